import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, SerializeFrom } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ErrorList, FormAlert, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { FetcherOutcome } from "~/components/row-action";
import { ProductListActionSchema } from "~/domain/cooperative/product-schema";
import { listCoopProducts, updateProduct, updateSku } from "~/domain/cooperative/products.server";
import { basisPointsToPercentText, fenToYuanText } from "~/domain/money";
import { useLocale, useT } from "~/i18n/react";
import type { FormAnswer } from "~/utils/forms";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { useSchemaValidation } from "~/utils/lazy-validation";

export const meta = pageTitle("cooperative.products.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  return { products: await listCoopProducts(user) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "coop");
  const submission = await parseForm(request, ProductListActionSchema);
  if (submission.status !== "success") return invalid(submission, { status: 422 });
  const input = submission.value;
  return runCommand(submission, async () => {
    if (input.intent === "sku") await updateSku(user, input.skuId, input.changes);
    else await updateProduct(user, input.productId, input.changes);
    // The row keeps what was typed: it is what was saved.
    return done(submission, "cooperative.products.saved", undefined, { resetForm: false });
  });
}

type Product = SerializeFrom<typeof loader>["products"][number];

const input = "w-24 rounded-md border border-stone-300 px-2 py-1.5";

export default function CoopProducts() {
  const t = useT();
  const en = useLocale() === "en";
  const { products } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("cooperative.products.title")}>
        <Link to="/coop/products/new" className="inline-block rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
          {t("cooperative.products.newProduct")}
        </Link>
      </PageHeader>
      {products.length === 0 ? <p className="text-stone-600">{t("cooperative.products.empty")}</p> : null}
      {products.map((product) => (
        <section key={product.id} className="space-y-3 rounded-lg border border-stone-200 bg-white p-4">
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <h2 className="text-lg font-medium">{en ? product.nameEn : product.nameZh}</h2>
            <span className="break-all font-mono text-sm text-stone-500">/products/{product.slug}</span>
            {product.active ? null : (
              <span className="rounded bg-stone-100 px-2 text-sm text-stone-600">{t("cooperative.products.offSale")}</span>
            )}
            <span className="text-sm text-stone-500">{t("cooperative.products.photoCount", { count: product._count.images })}</span>
            <Link to={`/coop/products/${product.id}`} className="text-sm text-brand-700 underline">
              {t("cooperative.products.edit")}
            </Link>
          </div>
          <ProductQuickEdit product={product} />
          <ul className="divide-y divide-stone-100">
            {product.skus.map((sku) => (
              <li key={sku.id} className="py-2">
                <SkuQuickEdit sku={sku} />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

/** A quick edit's save button, pending while its row is saved, and what saving answered beside it. */
function SaveButton({ fetcherKey }: { fetcherKey: string }) {
  const t = useT();
  const fetcher = useFetcher<FormAnswer>({ key: fetcherKey });
  return (
    <>
      <SubmitButton
        label={t("cooperative.products.save")}
        pendingLabel={t("cooperative.products.saving")}
        pending={fetcher.state !== "idle"}
        variant="secondary"
      />
      <FetcherOutcome fetcherKey={fetcherKey} withErrors={false} />
    </>
  );
}

/** A product's fee rate and availability, saved on their own without reloading the list. */
function ProductQuickEdit({ product }: { product: Product }) {
  const t = useT();
  const fetcher = useFetcher<FormAnswer>({ key: `product-${product.id}` });
  const [form, fields] = useForm({
    id: `product-${product.id}`,
    lastResult: fetcher.state === "idle" ? fetcher.data?.result : undefined,
    defaultValue: { feeRate: basisPointsToPercentText(product.feeRateBp), active: product.active ? "on" : undefined },
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/domain/cooperative/product-schema").then((m) => m.ProductQuickEditSchema)),
  });
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="space-y-1 text-sm">
      <input type="hidden" name="intent" value="product" />
      <input type="hidden" name="productId" value={product.id} />
      <div className="flex flex-wrap items-center gap-3">
        <label>
          {t("cooperative.products.feeRate")}{" "}
          <input {...getInputProps(fields.feeRate, { type: "text" })} inputMode="decimal" className={input} />
        </label>
        <label className="flex items-center gap-1">
          <input {...getInputProps(fields.active, { type: "checkbox" })} /> {t("cooperative.products.active")}
        </label>
        <SaveButton fetcherKey={`product-${product.id}`} />
      </div>
      <ErrorList id={fields.feeRate.errorId} errors={fields.feeRate.errors} />
      <FormAlert errors={form.errors} />
    </fetcher.Form>
  );
}

/** A SKU's price, limit per order and availability, saved on their own. */
function SkuQuickEdit({ sku }: { sku: Product["skus"][number] }) {
  const t = useT();
  const en = useLocale() === "en";
  const fetcher = useFetcher<FormAnswer>({ key: `sku-${sku.id}` });
  const [form, fields] = useForm({
    id: `sku-${sku.id}`,
    lastResult: fetcher.state === "idle" ? fetcher.data?.result : undefined,
    defaultValue: { price: fenToYuanText(sku.priceFen), maxPerOrder: String(sku.maxPerOrder), active: sku.active ? "on" : undefined },
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/domain/cooperative/product-schema").then((m) => m.SkuQuickEditSchema)),
  });
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="space-y-1 text-sm">
      <input type="hidden" name="intent" value="sku" />
      <input type="hidden" name="skuId" value={sku.id} />
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <span className="font-mono">{sku.code}</span>
        <span>{en ? sku.nameEn : sku.nameZh}</span>
        <label>
          {t("cooperative.products.price")}{" "}
          <input {...getInputProps(fields.price, { type: "text" })} inputMode="decimal" className={input} />
        </label>
        <label>
          {t("cooperative.products.maxPerOrder")}{" "}
          <input {...getInputProps(fields.maxPerOrder, { type: "number" })} min={1} step={1} inputMode="numeric" className={input} />
        </label>
        <label className="flex items-center gap-1">
          <input {...getInputProps(fields.active, { type: "checkbox" })} /> {t("cooperative.products.active")}
        </label>
        <SaveButton fetcherKey={`sku-${sku.id}`} />
      </div>
      <ErrorList id={fields.price.errorId} errors={fields.price.errors} />
      <ErrorList id={fields.maxPerOrder.errorId} errors={fields.maxPerOrder.errors} />
      <FormAlert errors={form.errors} />
    </fetcher.Form>
  );
}
