import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { useFetcher } from "@remix-run/react";
import { useSchemaValidation } from "~/utils/lazy-validation";
import { useT } from "~/i18n/react";
import type { FormAnswer } from "~/utils/forms";
import { DoneNote, ErrorList, Field, FormAlert, SubmitButton } from "./forms";

export type ProductFormValues = {
  slug: string;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  seasonZh: string;
  seasonEn: string;
  feeRate: string;
  active: boolean;
};

export type SkuFormValues = {
  code: string;
  nameZh: string;
  nameEn: string;
  price: string;
  weightGrams: string;
  maxPerOrder: string;
  active: boolean;
};

const textareaClass = "mt-1 block w-full rounded-md border border-stone-300 px-3 py-2";

/**
 * The one form for creating a product and editing its details, checked in the browser as fields are left and on
 * the server. Sent through its own fetcher, so the rest of the page stays usable; creating answers with a redirect
 * to the new product's page.
 */
export function ProductForm({
  defaultValue,
  submitLabel,
  pendingLabel,
}: {
  defaultValue?: Partial<ProductFormValues>;
  submitLabel: string;
  pendingLabel: string;
}) {
  const t = useT();
  const fetcher = useFetcher<FormAnswer>({ key: "product" });
  const [form, fields] = useForm({
    id: "product",
    lastResult: fetcher.state === "idle" ? fetcher.data?.result : undefined,
    defaultValue,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: useSchemaValidation(() => import("~/domain/cooperative/product-schema").then((m) => m.ProductSchema)),
  });
  const text = (name: "nameZh" | "nameEn" | "seasonZh" | "seasonEn") => (
    <Field
      label={t(`cooperative.products.fields.${name}`)}
      errors={fields[name].errors}
      inputProps={{ ...getInputProps(fields[name], { type: "text" }), required: name.startsWith("name") }}
    />
  );
  const description = (name: "descriptionZh" | "descriptionEn") => (
    <div>
      <label className="block text-sm font-medium text-stone-700">
        {t(`cooperative.products.fields.${name}`)}
        <textarea {...getTextareaProps(fields[name])} rows={4} className={textareaClass} />
      </label>
      <ErrorList id={fields[name].errorId} errors={fields[name].errors} />
    </div>
  );
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="max-w-2xl space-y-4">
      <input type="hidden" name="intent" value="product" />
      <FormAlert errors={form.errors} />
      <DoneNote message={fetcher.state === "idle" ? fetcher.data?.done : null} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        {text("nameZh")}
        {text("nameEn")}
      </div>
      <Field
        label={t("cooperative.products.fields.slug")}
        hint={t("cooperative.products.fields.slugHint")}
        errors={fields.slug.errors}
        inputProps={{ ...getInputProps(fields.slug, { type: "text" }), autoCapitalize: "off", spellCheck: false }}
      />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        {description("descriptionZh")}
        {description("descriptionEn")}
        {text("seasonZh")}
        {text("seasonEn")}
        <Field
          label={t("cooperative.products.feeRate")}
          errors={fields.feeRate.errors}
          inputProps={{ ...getInputProps(fields.feeRate, { type: "text" }), inputMode: "decimal", required: true }}
        />
      </div>
      <label className="flex items-center gap-2">
        <input {...getInputProps(fields.active, { type: "checkbox" })} />
        {t("cooperative.products.active")}
      </label>
      <div className="sm:w-48">
        <SubmitButton label={submitLabel} pendingLabel={pendingLabel} pending={fetcher.state !== "idle"} />
      </div>
    </fetcher.Form>
  );
}

/** A SKU's form: every field of an existing one (`skuId` given), or a new one under the product; each its own fetcher. */
export function SkuForm({
  id,
  skuId,
  defaultValue,
  submitLabel,
  pendingLabel,
}: {
  id: string;
  skuId?: string;
  defaultValue?: Partial<SkuFormValues>;
  submitLabel: string;
  pendingLabel: string;
}) {
  const t = useT();
  const fetcher = useFetcher<FormAnswer>({ key: id });
  const [form, fields] = useForm({
    id,
    lastResult: fetcher.state === "idle" ? fetcher.data?.result : undefined,
    defaultValue,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: useSchemaValidation(() =>
      import("~/domain/cooperative/product-schema").then((m) => (skuId ? m.SkuSchema : m.NewSkuSchema)),
    ),
  });
  const field = (name: "code" | "nameZh" | "nameEn", label: string, hint?: string) => (
    <Field
      label={label}
      hint={hint}
      errors={fields[name].errors}
      inputProps={{ ...getInputProps(fields[name], { type: "text" }), required: true }}
    />
  );
  const number = (name: "price" | "weightGrams" | "maxPerOrder", label: string) => (
    <Field
      label={label}
      errors={fields[name].errors}
      inputProps={{ ...getInputProps(fields[name], { type: "text" }), inputMode: name === "price" ? "decimal" : "numeric", required: true }}
    />
  );
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="space-y-3">
      <input type="hidden" name="intent" value={skuId ? "sku" : "new-sku"} />
      {skuId ? <input type="hidden" name="skuId" value={skuId} /> : null}
      <FormAlert errors={form.errors} />
      <DoneNote message={fetcher.state === "idle" ? fetcher.data?.done : null} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        {field("code", t("cooperative.products.fields.code"), t("cooperative.products.fields.codeHint"))}
        {field("nameZh", t("cooperative.products.fields.nameZh"))}
        {field("nameEn", t("cooperative.products.fields.nameEn"))}
        {number("price", t("cooperative.products.price"))}
        {number("weightGrams", t("cooperative.products.fields.weightGrams"))}
        {number("maxPerOrder", t("cooperative.products.maxPerOrder"))}
      </div>
      <label className="flex items-center gap-2">
        <input {...getInputProps(fields.active, { type: "checkbox" })} />
        {t("cooperative.products.active")}
      </label>
      <div className="sm:w-48">
        <SubmitButton label={submitLabel} pendingLabel={pendingLabel} pending={fetcher.state !== "idle"} />
      </div>
    </fetcher.Form>
  );
}
