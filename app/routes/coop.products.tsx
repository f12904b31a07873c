import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { basisPointsToPercentText, fenToYuanText } from "~/domain/money";
import { withinVillage } from "~/domain/cooperative/scope.server";
import { ProductQuickEditSchema, SkuQuickEditSchema } from "~/domain/cooperative/product-schema";
import { listCoopProducts, updateProduct, updateSku } from "~/domain/cooperative/products.server";
import type { MessageKey } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { notFound } from "~/utils/responses.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  return { products: await withinVillage(listCoopProducts(user)) };
}

type Answer = { target: string; ok: boolean; errors?: Record<string, MessageKey[]> };

function fieldErrors(issues: { path: PropertyKey[]; message: string }[]) {
  const errors: Record<string, MessageKey[]> = {};
  for (const issue of issues) (errors[String(issue.path[0] ?? "form")] ??= []).push(issue.message as MessageKey);
  return errors;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "coop");
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "sku") {
    const parsed = SkuQuickEditSchema.safeParse(form);
    if (!parsed.success)
      return data<Answer>({ target: String(form.skuId), ok: false, errors: fieldErrors(parsed.error.issues) }, { status: 422 });
    if (!(await withinVillage(updateSku(user, parsed.data.skuId, parsed.data.changes)))) notFound();
    return data<Answer>({ target: parsed.data.skuId, ok: true });
  }
  if (form.intent === "product") {
    const parsed = ProductQuickEditSchema.safeParse(form);
    if (!parsed.success)
      return data<Answer>({ target: String(form.productId), ok: false, errors: fieldErrors(parsed.error.issues) }, { status: 422 });
    if (!(await withinVillage(updateProduct(user, parsed.data.productId, parsed.data.changes)))) notFound();
    return data<Answer>({ target: parsed.data.productId, ok: true });
  }
  return data<Answer>({ target: "", ok: false }, { status: 400 });
}

const input = "w-24 rounded-md border border-stone-300 px-2 py-1";

export default function CoopProducts() {
  const t = useT();
  const en = useLocale() === "en";
  const { products } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const feedback = (target: string) =>
    result?.target === target ? (
      result.ok ? (
        <span role="status" className="text-green-800">
          {t("cooperative.products.saved")}
        </span>
      ) : (
        Object.values(result.errors ?? {})
          .flat()
          .map((key) => (
            <span key={key} role="alert" className="text-red-700">
              {t(key)}
            </span>
          ))
      )
    ) : null;
  return (
    <div className="space-y-6">
      <PageHeader title={t("cooperative.products.title")}>
        <Link to="/coop/products/new" className="inline-block rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
          {t("cooperative.products.newProduct")}
        </Link>
      </PageHeader>
      {products.length === 0 ? <p className="text-stone-600">{t("cooperative.products.empty")}</p> : null}
      {products.map((product) => (
        <section key={product.id} className="space-y-3 rounded-lg border border-stone-200 bg-white p-4">
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <h2 className="text-lg font-medium">{en ? product.nameEn : product.nameZh}</h2>
            <span className="font-mono text-sm text-stone-500">/products/{product.slug}</span>
            {product.active ? null : (
              <span className="rounded bg-stone-100 px-2 text-sm text-stone-600">{t("cooperative.products.offSale")}</span>
            )}
            <span className="text-sm text-stone-500">{t("cooperative.products.photoCount", { count: product._count.images })}</span>
            <Link to={`/coop/products/${product.id}`} className="text-sm text-brand-700 underline">
              {t("cooperative.products.edit")}
            </Link>
          </div>
          <Form method="post" className="flex flex-wrap items-center gap-3 text-sm">
            <input type="hidden" name="intent" value="product" />
            <input type="hidden" name="productId" value={product.id} />
            <label>
              {t("cooperative.products.feeRate")}{" "}
              <input name="feeRate" defaultValue={basisPointsToPercentText(product.feeRateBp)} inputMode="decimal" className={input} />
            </label>
            <label>
              <input type="checkbox" name="active" defaultChecked={product.active} /> {t("cooperative.products.active")}
            </label>
            <button type="submit" className="rounded-md border border-stone-300 px-3 py-1">
              {t("cooperative.products.save")}
            </button>
            {feedback(product.id)}
          </Form>
          <ul className="divide-y divide-stone-100">
            {product.skus.map((sku) => (
              <li key={sku.id} className="py-2">
                <Form method="post" className="flex flex-wrap items-center gap-3 text-sm">
                  <input type="hidden" name="intent" value="sku" />
                  <input type="hidden" name="skuId" value={sku.id} />
                  <span className="font-mono">{sku.code}</span>
                  <span>{en ? sku.nameEn : sku.nameZh}</span>
                  <label>
                    {t("cooperative.products.price")}{" "}
                    <input name="price" defaultValue={fenToYuanText(sku.priceFen)} inputMode="decimal" className={input} />
                  </label>
                  <label>
                    {t("cooperative.products.maxPerOrder")}{" "}
                    <input name="maxPerOrder" type="number" min={1} step={1} defaultValue={sku.maxPerOrder} className={input} />
                  </label>
                  <label>
                    <input type="checkbox" name="active" defaultChecked={sku.active} /> {t("cooperative.products.active")}
                  </label>
                  <button type="submit" className="rounded-md border border-stone-300 px-3 py-1">
                    {t("cooperative.products.save")}
                  </button>
                  {feedback(sku.id)}
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
