import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole, type SessionUser } from "~/auth/guards.server";
import { ErrorList, Field, FormAlert, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { ProductForm, SkuForm } from "~/components/product-form";
import { basisPointsToPercentText, fenToYuanText } from "~/domain/money";
import { withinVillage } from "~/domain/cooperative/scope.server";
import { checkPhoto, MAX_PHOTO_BYTES } from "~/domain/cooperative/photos.server";
import { ProductSchema, SkuSchema } from "~/domain/cooperative/product-schema";
import {
  addProductPhoto,
  createSku,
  DuplicateSkuCodeError,
  DuplicateSlugError,
  getCoopProduct,
  movePhotoFirst,
  PhotoSchema,
  removeProductPhoto,
  updateProduct,
  updateSku,
} from "~/domain/cooperative/products.server";
import type { MessageKey } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { notFound } from "~/utils/responses.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const product = await withinVillage(getCoopProduct(user, params.productId ?? ""));
  if (!product) notFound();
  return { product };
}

/** Which form on the page an answer belongs to, what it says, and a notice on success. */
type Answer = { form: string; result: SubmissionResult<string[]>; notice?: MessageKey; noticeValues?: Record<string, string> };
const answer = (body: Answer, status = 200) => data(body, { status });

const ImageChoice = z.object({ imageId: z.string().min(1), confirm: z.literal("yes", { error: "cooperative.errors.confirm" }).optional() });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "coop");
  const productId = params.productId ?? "";
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) return uploadPhoto(request, user, productId);
  const formData = await request.formData();
  const intent = formData.get("intent");

  if (intent === "product") {
    const submission = parseWithZod(formData, { schema: ProductSchema });
    if (submission.status !== "success") return answer({ form: "product", result: submission.reply() }, 422);
    try {
      if (!(await withinVillage(updateProduct(user, productId, submission.value)))) notFound();
    } catch (error) {
      if (error instanceof DuplicateSlugError)
        return answer(
          { form: "product", result: submission.reply({ fieldErrors: { slug: ["cooperative.products.errors.duplicateSlug"] } }) },
          422,
        );
      throw error;
    }
    return answer({ form: "product", result: submission.reply(), notice: "cooperative.products.saved" });
  }

  if (intent === "sku" || intent === "new-sku") {
    const skuId = String(formData.get("skuId") ?? "");
    const form = intent === "sku" ? `sku-${skuId}` : "new-sku";
    const submission = parseWithZod(formData, { schema: SkuSchema });
    if (submission.status !== "success") return answer({ form, result: submission.reply() }, 422);
    try {
      const saved = await withinVillage(
        intent === "sku" ? updateSku(user, skuId, submission.value, productId) : createSku(user, productId, submission.value),
      );
      if (!saved) notFound();
    } catch (error) {
      if (error instanceof DuplicateSkuCodeError)
        return answer({ form, result: submission.reply({ fieldErrors: { code: ["cooperative.products.errors.duplicateCode"] } }) }, 422);
      throw error;
    }
    return intent === "sku"
      ? answer({ form, result: submission.reply(), notice: "cooperative.products.saved" })
      : answer({
          form,
          result: submission.reply({ resetForm: true }),
          notice: "cooperative.products.skuAdded",
          noticeValues: { code: submission.value.code },
        });
  }

  if (intent === "photo-first" || intent === "photo-remove") {
    const submission = parseWithZod(formData, { schema: ImageChoice });
    const form = `image-${String(formData.get("imageId") ?? "")}`;
    if (submission.status !== "success") return answer({ form, result: submission.reply() }, 422);
    if (intent === "photo-first") {
      if (!(await withinVillage(movePhotoFirst(user, productId, submission.value.imageId)))) notFound();
      return answer({ form: "photo", result: submission.reply(), notice: "cooperative.products.movedFirst" });
    }
    // Removing is for good: the box must be ticked, so a stray click does nothing.
    if (!submission.value.confirm)
      return answer({ form, result: submission.reply({ fieldErrors: { confirm: ["cooperative.errors.confirm"] } }) }, 422);
    if (!(await withinVillage(removeProductPhoto(user, productId, submission.value.imageId)))) notFound();
    return answer({ form: "photo", result: submission.reply({ resetForm: true }), notice: "cooperative.products.removed" });
  }

  return answer({ form: "", result: { status: "error", error: { "": ["errors.badRequestTitle"] } } }, 400);
}

/**
 * The photo arrives as multipart form data, held in memory up to the size limit; a larger part stops the parsing
 * at once (413). Its bytes decide whether it is an image at all, whatever its name or declared type.
 */
async function uploadPhoto(request: Request, user: SessionUser, productId: string) {
  const refuse = (key: MessageKey, status: number) =>
    answer(
      { form: "photo", result: parseWithZod(new FormData(), { schema: PhotoSchema }).reply({ fieldErrors: { photo: [key] } }) },
      status,
    );
  // Room for the two descriptions and the multipart framing; a body declared larger is refused unread.
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_PHOTO_BYTES + 64 * 1024)
    return refuse("cooperative.products.errors.tooBig", 413);
  let formData: FormData;
  try {
    formData = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_PHOTO_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return refuse("cooperative.products.errors.tooBig", 413);
    if (error instanceof TypeError) return refuse("cooperative.products.errors.photoMissing", 400);
    throw error;
  }
  const submission = parseWithZod(formData, { schema: PhotoSchema });
  if (submission.status !== "success") return answer({ form: "photo", result: submission.reply() }, 422);
  const checked = await checkPhoto(submission.value.photo);
  if (typeof checked === "string") {
    const problems = {
      empty: ["cooperative.products.errors.photoMissing", 422],
      too_big: ["cooperative.products.errors.tooBig", 413],
      not_an_image: ["cooperative.products.errors.notAnImage", 422],
    } as const;
    const [key, status] = problems[checked];
    return answer({ form: "photo", result: submission.reply({ fieldErrors: { photo: [key] } }) }, status);
  }
  const { altZh, altEn } = submission.value;
  if (!(await withinVillage(addProductPhoto(user, productId, checked, { altZh, altEn })))) notFound();
  return answer({ form: "photo", result: submission.reply({ resetForm: true }), notice: "cooperative.products.uploaded" });
}

function Notice({ answer, form }: { answer?: Answer; form: string }) {
  const t = useT();
  if (answer?.form !== form || !answer.notice) return null;
  return (
    <p role="status" className="text-sm text-green-800">
      {t(answer.notice, answer.noticeValues)}
    </p>
  );
}

function PhotoUpload({ lastResult }: { lastResult?: SubmissionResult<string[]> }) {
  const t = useT();
  const [form, fields] = useForm<{ photo: File; altZh: string; altEn: string }>({ id: "photo", lastResult });
  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="max-w-2xl space-y-3">
      <FormAlert errors={form.errors} />
      <Field
        label={t("cooperative.products.fields.photo")}
        hint={t("cooperative.products.fields.photoHint")}
        errors={fields.photo.errors}
        inputProps={{ ...getInputProps(fields.photo, { type: "file" }), accept: "image/jpeg,image/png,image/webp", required: true }}
      />
      <div className="grid gap-3 sm:grid-cols-2">
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
        <SubmitButton label={t("cooperative.products.upload")} pendingLabel={t("cooperative.products.uploading")} />
      </div>
    </Form>
  );
}

type Photo = { id: string; path: string; altZh: string; altEn: string; width: number; height: number };

function PhotoCard({ photo, first, lastResult }: { photo: Photo; first: boolean; lastResult?: SubmissionResult<string[]> }) {
  const t = useT();
  const en = useLocale() === "en";
  const [form, fields] = useForm<{ imageId: string; confirm: string }>({ id: `image-${photo.id}`, lastResult });
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
      <Form method="post" {...getFormProps(form)} className="space-y-2 text-sm">
        <input type="hidden" name="imageId" value={photo.id} />
        <label className="flex items-center gap-2">
          <input {...getInputProps(fields.confirm, { type: "checkbox", value: "yes" })} />
          {t("cooperative.products.confirmRemove")}
        </label>
        <ErrorList errors={fields.confirm.errors} />
        <div className="flex flex-wrap gap-2">
          <button type="submit" name="intent" value="photo-remove" className="rounded-md border border-red-300 px-3 py-1 text-red-800">
            {t("cooperative.products.remove")}
          </button>
          {first ? null : (
            <button type="submit" name="intent" value="photo-first" className="rounded-md border border-stone-300 px-3 py-1">
              {t("cooperative.products.makeFirst")}
            </button>
          )}
        </div>
      </Form>
    </li>
  );
}

export default function EditProduct() {
  const t = useT();
  const en = useLocale() === "en";
  const { product } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const resultFor = (form: string) => (actionData?.form === form ? actionData.result : undefined);
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
        <Notice answer={actionData} form="product" />
        <ProductForm
          lastResult={resultFor("product")}
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
              <Notice answer={actionData} form={`sku-${sku.id}`} />
              <SkuForm
                id={`sku-${sku.id}`}
                skuId={sku.id}
                lastResult={resultFor(`sku-${sku.id}`)}
                defaultValue={skuValues(sku)}
                submitLabel={t("cooperative.products.save")}
                pendingLabel={t("cooperative.products.saving")}
              />
            </li>
          ))}
        </ul>
        <div className="rounded-lg border border-dashed border-stone-300 p-4">
          <h3 className="mb-2 font-medium">{t("cooperative.products.addSku")}</h3>
          <Notice answer={actionData} form="new-sku" />
          <SkuForm
            id="new-sku"
            lastResult={resultFor("new-sku")}
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
        {product.images.length === 0 ? <p className="text-stone-600">{t("cooperative.products.noPhotos")}</p> : null}
        <ul className="grid gap-3 sm:grid-cols-3">
          {product.images.map((photo, index) => (
            <PhotoCard key={photo.id} photo={photo} first={index === 0} lastResult={resultFor(`image-${photo.id}`)} />
          ))}
        </ul>
        <Notice answer={actionData} form="photo" />
        <PhotoUpload lastResult={resultFor("photo")} />
      </section>
    </div>
  );
}
