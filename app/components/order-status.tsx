import type { FulfilmentStatus, OrderStatus } from "~/db/generated/enums";
import { useT } from "~/i18n/react";

const tone: Record<OrderStatus, string> = {
  pending_payment: "bg-amber-100 text-amber-900",
  paid: "bg-green-100 text-green-900",
  cancelled: "bg-stone-200 text-stone-700",
  expired: "bg-stone-200 text-stone-700",
  refunded: "bg-stone-200 text-stone-700",
};

/** Paid orders show how far fulfilment has got; others show their payment state. */
export function OrderStatusBadge({ status, fulfilmentStatus }: { status: OrderStatus; fulfilmentStatus: FulfilmentStatus }) {
  const t = useT();
  const label =
    status === "paid" && fulfilmentStatus !== "unfulfilled"
      ? t(`orders.fulfilmentStatus.${fulfilmentStatus}`)
      : t(`orders.status.${status}`);
  return <span className={`rounded-full px-2.5 py-0.5 text-xs font-medium ${tone[status]}`}>{label}</span>;
}
