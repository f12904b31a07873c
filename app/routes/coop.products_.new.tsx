import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { ProductForm } from "~/components/product-form";
import { ProductSchema } from "~/domain/cooperative/product-schema";
import { createProduct, ownCooperative } from "~/domain/cooperative/products.server";
import { basisPointsToPercentText } from "~/domain/money";
import { useT } from "~/i18n/react";
import { invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("cooperative.products.newProduct");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const cooperative = await ownCooperative(user);
  return { feeRate: basisPointsToPercentText(cooperative.defaultFeeRateBp) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "coop");
  const submission = await parseForm(request, ProductSchema);
  if (submission.status !== "success") return invalid(submission, { status: 422 });
  return runCommand(submission, async () => {
    const product = await createProduct(user, submission.value.data);
    return redirect(`/coop/products/${product.id}`);
  });
}

export default function NewProduct() {
  const t = useT();
  const { feeRate } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <Link to="/coop/products" className="text-sm text-brand-700 underline">
        {t("cooperative.products.back")}
      </Link>
      <PageHeader title={t("cooperative.products.newProduct")} />
      <ProductForm
        defaultValue={{ feeRate }}
        submitLabel={t("cooperative.products.create")}
        pendingLabel={t("cooperative.products.creating")}
      />
    </div>
  );
}
