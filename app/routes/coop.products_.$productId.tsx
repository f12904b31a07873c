import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, SerializeFrom } from "@remix-run/node";
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { requireRole, type SessionUser } from "~/auth/guards.server";
import { DoneNote, Field, FormAlert, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { ProductForm, SkuForm } from "~/components/product-form";
import { FetcherOutcome, RowAction } from "~/components/row-action";
import { DomainError } from "~/domain/errors";
import { MAX_PHOTO_BYTES, photoRefusal } from "~/domain/cooperative/photos.server";
import { PhotoSchema, ProductPageActionSchema } from "~/domain/cooperative/product-schema";
import {
  addProductPhoto,
  createSku,
  getCoopProduct,
  movePhotoFirst,
  removeProductPhoto,
  updateProduct,
  updateSku,
} from "~/domain/cooperative/products.server";
import { basisPointsToPercentText, fenToYuanText } from "~/domain/money";
import { useLocale, useT } from "~/i18n/react";
import type { FormAnswer } from "~/utils/forms";
import { done, invalid, parseForm, refusalReply, runCommand, unreadableForm } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { useSchemaValidation } from "~/utils/lazy-validation";

// Each language's title names the product in that language.
export const meta = pageTitle<typeof loader>((t, data) =>
  data
    ? t("cooperative.products.pageTitle", { nameZh: data.product.nameZh, nameEn: data.product.nameEn })
    : t("cooperative.products.title"),
);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  return { product: await getCoopProduct(user, params.productId ?? "") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "coop");
  const productId = params.productId ?? "";
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) return uploadPhoto(request, user, productId);
  const submission = await parseForm(request, ProductPageActionSchema);
  if (submission.status !== "success") return invalid(submission, { status: 422 });
  const input = submission.value;
  // The detail and SKU forms keep what was typed (it is what was saved); a new SKU's form empties for the next one.
  const keep = { resetForm: false };
  return runCommand(submission, async () => {
    switch (input.intent) {
      case "product":
        await updateProduct(user, productId, input.data);
        return done(submission, "cooperative.products.saved", undefined, keep);
      case "sku":
        await updateSku(user, input.skuId, input.changes, productId);
        return done(submission, "cooperative.products.saved", undefined, keep);
      case "new-sku":
        await createSku(user, productId, input.data);
        return done(submission, "cooperative.products.skuAdded", { code: input.data.code });
      case "photo-first":
        await movePhotoFirst(user, productId, input.imageId);
        return done(submission, "cooperative.products.movedFirst");
      case "photo-remove":
        await removeProductPhoto(user, productId, input.imageId);
        return done(submission, "cooperative.products.removed");
    }
  });
}

/**
 * The photo arrives as multipart form data, held in memory up to the size limit; a larger part stops the parsing
 * at once (413). Its bytes decide whether it is an image at all, whatever its name or declared type.
 */
async function uploadPhoto(request: Request, user: SessionUser, productId: string) {
  const unread = () => parseWithZod(new FormData(), { schema: PhotoSchema });
  // Room for the two descriptions and the multipart framing; a body declared larger is refused unread.
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_PHOTO_BYTES + 64 * 1024)
    return refusalReply(unread(), photoRefusal("tooBig"));
  let formData: FormData;
  try {
    formData = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_PHOTO_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return refusalReply(unread(), photoRefusal("tooBig"));
    if (error instanceof TypeError)
      return refusalReply(unread(), new DomainError("cooperative.products.errors.photoMissing", { status: 400, field: "photo" }));
    // The multipart parser throws plain Errors for framing it cannot read (a part header it does not understand).
    throw unreadableForm();
  }
  const submission = parseWithZod(formData, { schema: PhotoSchema });
  if (submission.status !== "success") return invalid(submission, { status: 422 });
  const { photo, altZh, altEn } = submission.value;
  return runCommand(submission, async () => {
    await addProductPhoto(user, productId, photo, { altZh, altEn });
    return done(submission, "cooperative.products.uploaded");
  });
}

/** Making a photo the main one moves it, removing one drops it: their answers are shown above the photos. */
const PHOTO_FETCHER = "product-photo";

type Photo = SerializeFrom<typeof loader>["product"]["images"][number];

function PhotoUpload() {
  const t = useT();
  const fetcher = useFetcher<FormAnswer>({ key: "photo-upload" });
  const [form, fields] = useForm({
    id: "photo",
    lastResult: fetcher.state === "idle" ? fetcher.data?.result : undefined,
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/domain/cooperative/product-schema").then((m) => m.PhotoSchema)),
  });
  return (
    <fetcher.Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="max-w-2xl space-y-3">
      <FormAlert errors={form.errors} />
      <DoneNote message={fetcher.state === "idle" ? fetcher.data?.done : null} />
      <Field
        label={t("cooperative.products.fields.photo")}
        hint={t("cooperative.products.fields.photoHint")}
        errors={fields.photo.errors}
        inputProps={{ ...getInputProps(fields.photo, { type: "file" }), accept: "image/jpeg,image/png,image/webp" }}
      />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <Field
          label={t("cooperative.products.fields.altZh")}
          errors={fields.altZh.errors}
          inputProps={getInputProps(fields.altZh, { type: "text" })}
        />
        <Field
          label={t("cooperative.products.fields.altEn")}
          errors={fields.altEn.errors}
          inputProps={getInputProps(fields.altEn, { type: "text" })}
        />
      </div>
      <div className="sm:w-48">
        <SubmitButton
          label={t("cooperative.products.upload")}
          pendingLabel={t("cooperative.products.uploading")}
          pending={fetcher.state !== "idle"}
        />
      </div>
    </fetcher.Form>
  );
}

function PhotoCard({ photo, first }: { photo: Photo; first: boolean }) {
  const t = useT();
  const en = useLocale() === "en";
  return (
    <li className="space-y-2 rounded-lg border border-stone-200 bg-white p-3">
      <img
        src={photo.path}
        alt={en ? photo.altEn : photo.altZh}
        width={photo.width}
        height={photo.height}
        loading="lazy"
        decoding="async"
        className="aspect-[4/3] h-auto w-full rounded object-cover"
      />
      <p className="text-xs text-stone-500">
        {photo.width} × {photo.height}
        {first ? ` · ${t("cooperative.products.first")}` : null}
      </p>
      <div className="flex flex-wrap items-start gap-2 text-sm">
        {first ? null : (
          <RowAction
            intent="photo-first"
            fields={{ imageId: photo.id }}
            fetcherKey={PHOTO_FETCHER}
            label={t("cooperative.products.makeFirst")}
            pendingLabel={t("cooperative.products.makingFirst")}
          />
        )}
        <RowAction
          intent="photo-remove"
          fields={{ imageId: photo.id }}
          fetcherKey={PHOTO_FETCHER}
          label={t("cooperative.products.remove")}
          pendingLabel={t("cooperative.products.removing")}
          confirm={t("cooperative.products.removeConfirm")}
          confirmLabel={t("cooperative.products.removeYes")}
        />
      </div>
    </li>
  );
}

export default function EditProduct() {
  const t = useT();
  const en = useLocale() === "en";
  const { product } = useLoaderData<typeof loader>();
  const { slug, nameZh, nameEn, descriptionZh, descriptionEn, seasonZh, seasonEn, active } = product;
  const productValues = {
    slug,
    nameZh,
    nameEn,
    descriptionZh,
    descriptionEn,
    seasonZh,
    seasonEn,
    active,
    feeRate: basisPointsToPercentText(product.feeRateBp),
  };
  const skuValues = (sku: (typeof product.skus)[number]) => ({
    code: sku.code,
    nameZh: sku.nameZh,
    nameEn: sku.nameEn,
    price: fenToYuanText(sku.priceFen),
    weightGrams: String(sku.weightGrams),
    maxPerOrder: String(sku.maxPerOrder),
    active: sku.active,
  });
  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <Link to="/coop/products" className="text-sm text-brand-700 underline">
          {t("cooperative.products.back")}
        </Link>
        <PageHeader title={en ? product.nameEn : product.nameZh}>
          {product.active ? (
            <Link to={`/products/${product.slug}`} className="text-sm text-brand-700 underline">
              {t("cooperative.products.inShop")}
            </Link>
          ) : (
            <p className="text-sm text-stone-600">{t("cooperative.products.offSale")}</p>
          )}
        </PageHeader>
      </div>

      <section aria-labelledby="details" className="space-y-3">
        <h2 id="details" className="text-lg font-semibold">
          {t("cooperative.products.details")}
        </h2>
        <ProductForm
          defaultValue={productValues}
          submitLabel={t("cooperative.products.save")}
          pendingLabel={t("cooperative.products.saving")}
        />
      </section>

      <section aria-labelledby="skus" className="space-y-3">
        <h2 id="skus" className="text-lg font-semibold">
          {t("cooperative.products.skus")}
        </h2>
        {product.skus.length === 0 ? <p className="text-stone-600">{t("cooperative.products.noSkus")}</p> : null}
        <ul className="space-y-3">
          {product.skus.map((sku) => (
            <li key={sku.id} className="rounded-lg border border-stone-200 bg-white p-4">
              <SkuForm
                id={`sku-${sku.id}`}
                skuId={sku.id}
                defaultValue={skuValues(sku)}
                submitLabel={t("cooperative.products.save")}
                pendingLabel={t("cooperative.products.saving")}
              />
            </li>
          ))}
        </ul>
        <div className="rounded-lg border border-dashed border-stone-300 p-4">
          <h3 className="mb-2 font-medium">{t("cooperative.products.addSku")}</h3>
          <SkuForm
            id="new-sku"
            defaultValue={{ maxPerOrder: "20", active: true }}
            submitLabel={t("cooperative.products.addSku")}
            pendingLabel={t("cooperative.products.saving")}
          />
        </div>
      </section>

      <section aria-labelledby="photos" className="space-y-3">
        <h2 id="photos" className="text-lg font-semibold">
          {t("cooperative.products.photos")}
        </h2>
        <FetcherOutcome fetcherKey={PHOTO_FETCHER} />
        {product.images.length === 0 ? <p className="text-stone-600">{t("cooperative.products.noPhotos")}</p> : null}
        <ul className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          {product.images.map((photo, index) => (
            <PhotoCard key={photo.id} photo={photo} first={index === 0} />
          ))}
        </ul>
        <PhotoUpload />
      </section>
    </div>
  );
}
