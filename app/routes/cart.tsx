import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getOptionalUser } from "~/auth/guards.server";
import { FormAlert } from "~/components/forms";
import { primaryButton, useCartPending } from "~/components/cart-forms";
import { usePaymentList } from "~/components/payment-list";
import { PageHeader } from "~/components/page";
import { cardPaymentConfigured } from "~/domain/payments/stripe.server";
import { addToCart, cartOwner, getCart, removeFromCart, setCartQuantity, type CartLineNote } from "~/domain/shop/cart.server";
import { CartActionSchema } from "~/domain/shop/cart-schema";
import { paymentsOfWay, wayRefusal, type Way } from "~/domain/shop/checkout-options";
import { waysToGetOrder } from "~/domain/shop/checkout.server";
import { formatFen } from "~/domain/money";
import { useLocale, useT } from "~/i18n/react";
import type { FormAnswer } from "~/utils/forms";
import { invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { limitRequest } from "~/utils/rate-limit.server";
import { clientIp } from "~/auth/login-attempts.server";

export const meta = pageTitle("shop.cart.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const [cart, ways] = await Promise.all([getCart(await cartOwner(request, user?.id ?? null)), waysToGetOrder(user?.unitId ?? null)]);
  return {
    cart,
    signedIn: user !== null,
    hasUnit: Boolean(user?.unitId),
    // What each way of getting the order is paid by, said before checkout (checkout-options.ts).
    groupOrders: ways.groupOrders.map(({ id, title, allowCard, allowUnitSettlement }) => ({ id, title, allowCard, allowUnitSettlement })),
    deliveryFeeFen: ways.deliveryFeeFen,
    cardConfigured: cardPaymentConfigured(),
  };
}

/** One action for the whole cart (intent add, update or remove); anyone may keep a cart, signed in or not. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await getOptionalUser(request);
  await limitRequest("cartWrites", user ? `user:${user.id}` : clientIp(context));
  const submission = await parseForm(request, CartActionSchema);
  if (submission.status !== "success") return invalid(submission);
  const owner = await cartOwner(request, user?.id ?? null);
  const input = submission.value;
  return runCommand(submission, async () => {
    if (input.intent === "add") {
      const added = await addToCart(owner, input.skuId, input.quantity);
      // Back to the product, which says what was added; a visitor's first add also sets the cart cookie.
      const to = `/products/${encodeURIComponent(added.productSlug)}?${new URLSearchParams({ added: input.skuId })}`;
      return redirect(to, added.setCookie ? { headers: { "Set-Cookie": added.setCookie } } : undefined);
    }
    if (input.intent === "update") await setCartQuantity(owner, input.skuId, input.quantity);
    else await removeFromCart(owner, input.skuId);
    return redirect("/cart");
  });
}

const stepButton =
  "size-10 rounded-md border border-stone-300 bg-white text-lg leading-none hover:border-brand-500 disabled:cursor-not-allowed disabled:opacity-40";

function useLocalized() {
  const locale = useLocale();
  return (zh: string, en: string) => (locale === "en" ? en : zh);
}

export default function CartPage() {
  const t = useT();
  const { cart, signedIn } = useLoaderData<typeof loader>();
  const actionData = useActionData<FormAnswer>();
  // A refused change is about one line's quantity or SKU; the page has one place to say it.
  const errors = Object.values(actionData?.result.error ?? {}).flatMap((list) => list ?? []);
  return (
    <div className="space-y-6">
      <PageHeader title={t("shop.cart.title")} />
      <FormAlert errors={errors} />
      {cart.lines.length === 0 ? (
        <div className="rounded-lg border border-stone-200 bg-white p-6 text-center">
          <p className="text-stone-600">{t("shop.cart.empty")}</p>
          <Link to="/" className={`mt-4 inline-block ${primaryButton}`}>
            {t("shop.cart.browse")}
          </Link>
        </div>
      ) : (
        <>
          <ul className="space-y-3">
            {cart.lines.map((line) => (
              <CartLineItem key={line.skuId} line={line} />
            ))}
          </ul>
          <section aria-labelledby="subtotal" className="rounded-lg border border-stone-200 bg-white p-4">
            <div className="flex items-baseline justify-between">
              <h2 id="subtotal" className="font-semibold">
                {t("shop.cart.subtotal")}
              </h2>
              <p className="text-xl font-semibold text-brand-700">{formatFen(cart.subtotalFen)}</p>
            </div>
            <p className="mt-1 text-sm text-stone-600">{t("shop.cart.subtotalNote")}</p>
            {signedIn ? null : <p className="mt-1 text-sm text-stone-600">{t("shop.cart.signInHint")}</p>}
            <WaysToGetIt />
            <Link to="/checkout" className={`mt-4 block text-center ${primaryButton}`}>
              {t("shop.cart.checkout")}
            </Link>
          </section>
        </>
      )}
    </div>
  );
}

type Line = ReturnType<typeof useLoaderData<typeof loader>>["cart"]["lines"][number];

function CartLineItem({ line }: { line: Line }) {
  const t = useT();
  const localized = useLocalized();
  const pending = useCartPending(line.skuId);
  const productName = localized(line.productNameZh, line.productNameEn);
  const skuName = localized(line.skuNameZh, line.skuNameEn);
  const name = `${productName} ${skuName}`;
  return (
    <li className="rounded-lg border border-stone-200 bg-white p-4" aria-busy={pending}>
      <div className="flex gap-3">
        {line.image ? (
          <img
            src={line.image.path}
            alt=""
            width={64}
            height={64}
            loading="lazy"
            className="size-16 shrink-0 rounded-md border border-stone-100 object-cover"
          />
        ) : null}
        <div className="min-w-0 flex-1">
          <Link to={`/products/${line.productSlug}`} className="font-medium hover:text-brand-700">
            {productName}
          </Link>
          <p className="text-sm text-stone-700">{skuName}</p>
          <p className="text-sm text-stone-500">
            <span className="whitespace-nowrap">{t("shop.cart.unitPrice", { price: formatFen(line.priceFen) })}</span> ·{" "}
            <span className="whitespace-nowrap">{t("shop.cart.limit", { max: line.maxPerOrder })}</span>
          </p>
        </div>
        <p className={`shrink-0 font-semibold ${line.active ? "" : "text-stone-500 line-through"}`}>
          <span className="sr-only">{t("shop.cart.lineTotal")} </span>
          {formatFen(line.lineTotalFen)}
        </p>
      </div>
      {line.notes.length ? (
        <ul className="mt-2 space-y-1 text-sm text-amber-800">
          {line.notes.map((note) => (
            <li key={note.kind} className="rounded bg-amber-50 px-2 py-1">
              <NoteText note={note} />
            </li>
          ))}
        </ul>
      ) : null}
      <div className="mt-3 flex items-center justify-between gap-3">
        <Form method="post" preventScrollReset className="flex items-center gap-1">
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="skuId" value={line.skuId} />
          <button
            type="submit"
            name="quantity"
            value={Math.min(line.quantity - 1, line.maxPerOrder)}
            disabled={pending || !line.active}
            aria-label={t("shop.cart.decrease", { name })}
            className={stepButton}
          >
            −
          </button>
          <span className="w-10 text-center tabular-nums" aria-live="polite">
            <span className="sr-only">{t("shop.cart.quantity")} </span>
            {line.quantity}
          </span>
          <button
            type="submit"
            name="quantity"
            value={line.quantity + 1}
            disabled={pending || !line.active || line.quantity >= line.maxPerOrder}
            aria-label={t("shop.cart.increase", { name })}
            className={stepButton}
          >
            +
          </button>
        </Form>
        {pending ? (
          <span role="status" className="text-sm text-stone-500">
            {t("shop.cart.updating")}
          </span>
        ) : null}
        <Form method="post" preventScrollReset>
          <input type="hidden" name="intent" value="remove" />
          <input type="hidden" name="skuId" value={line.skuId} />
          <button
            type="submit"
            disabled={pending}
            aria-label={t("shop.cart.removeLabel", { name })}
            className="text-sm text-stone-600 underline hover:text-red-700 disabled:opacity-50"
          >
            {t("shop.cart.remove")}
          </button>
        </Form>
      </div>
      {line.active ? null : <p className="mt-2 text-xs text-stone-500">{t("shop.cart.notCounted")}</p>}
    </li>
  );
}

function NoteText({ note }: { note: CartLineNote }) {
  const t = useT();
  if (note.kind === "inactive") return t("shop.cart.notes.inactive");
  if (note.kind === "price_changed") return t("shop.cart.notes.priceChanged", { from: formatFen(note.fromFen), to: formatFen(note.toFen) });
  return note.available > 0 ? t("shop.cart.notes.lowStock", { count: note.available }) : t("shop.cart.notes.soldOut");
}

/** Which way of getting the order takes which payment, and what is not possible now, before the buyer checks out. */
function WaysToGetIt() {
  const t = useT();
  const { signedIn, hasUnit, groupOrders, deliveryFeeFen, cardConfigured } = useLoaderData<typeof loader>();
  const payments = usePaymentList();
  const delivery: Way = { kind: "delivery" };
  const ways = [
    ...groupOrders.map((group) => ({
      key: group.id,
      label: t("shop.cart.ways.group", { title: group.title }),
      way: { kind: "group", allowCard: group.allowCard, allowUnitSettlement: group.allowUnitSettlement } as Way,
    })),
    { key: "delivery", label: t("shop.cart.ways.delivery", { fee: formatFen(deliveryFeeFen) }), way: delivery },
  ];
  return (
    <section aria-labelledby="ways" className="mt-4 border-t border-stone-200 pt-3 text-sm">
      <h3 id="ways" className="font-medium">
        {t("shop.cart.ways.title")}
      </h3>
      <ul className="mt-1 space-y-1 text-stone-700" data-testid="ways">
        {!signedIn ? (
          <li>{t("shop.cart.ways.signInForGroups")}</li>
        ) : hasUnit && groupOrders.length === 0 ? (
          <li>{t("shop.cart.ways.noGroup")}</li>
        ) : null}
        {ways.map(({ key, label, way }) => {
          const refusal = wayRefusal(way, cardConfigured);
          return (
            <li key={key} className={refusal ? "text-stone-500" : undefined}>
              <span className="font-medium">{label}</span>
              {" · "}
              {refusal ? t(refusal) : t("checkout.takes", { payments: payments(paymentsOfWay(way)) })}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
