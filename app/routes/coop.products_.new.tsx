import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { ProductForm } from "~/components/product-form";
import { withinVillage } from "~/domain/cooperative/scope.server";
import { ProductSchema } from "~/domain/cooperative/product-schema";
import { createProduct, DuplicateSlugError, ownCooperative } from "~/domain/cooperative/products.server";
import { useT } from "~/i18n/react";
import { invalid } from "~/utils/responses.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  await withinVillage(ownCooperative(user));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "coop");
  const submission = parseWithZod(await request.formData(), { schema: ProductSchema });
  if (submission.status !== "success") return invalid(submission.reply(), 422);
  try {
    const product = await withinVillage(createProduct(user, submission.value));
    return redirect(`/coop/products/${product.id}`);
  } catch (error) {
    if (error instanceof DuplicateSlugError)
      return invalid(submission.reply({ fieldErrors: { slug: ["cooperative.products.errors.duplicateSlug"] } }), 422);
    throw error;
  }
}

export default function NewProduct() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  return (
    <div className="space-y-4">
      <Link to="/coop/products" className="text-sm text-brand-700 underline">
        {t("cooperative.products.back")}
      </Link>
      <PageHeader title={t("cooperative.products.newProduct")} />
      <ProductForm
        lastResult={actionData?.result}
        defaultValue={{ feeRate: "8" }}
        submitLabel={t("cooperative.products.create")}
        pendingLabel={t("cooperative.products.creating")}
      />
    </div>
  );
}
