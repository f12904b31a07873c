// Traceability labels: one per box of a lot, each with a QR code of the lot's public page /trace/<traceCode>.
import QRCode from "qrcode";
import { db } from "~/db/client.server";
import { cooperativeForVillage, missing, otherVillage } from "./scope.server";

export const MAX_LABELS = 500;

/** The label sheet of a lot of the coop user's village: what each label shows and its QR code as SVG markup. */
export async function lotLabels(actor: { villageId: string | null }, lotId: string, appUrl: string, copies?: number) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  const lot = await db.stockLot.findUnique({
    where: { id: lotId },
    select: {
      code: true,
      traceCode: true,
      quantityReceived: true,
      producedOn: true,
      bestBefore: true,
      sku: { select: { nameZh: true, nameEn: true, product: { select: { nameZh: true, nameEn: true, cooperativeId: true } } } },
      household: { select: { code: true, consentToDisplay: true, displayName: true, village: { select: { name: true, nameEn: true } } } },
    },
  });
  if (!lot) throw missing();
  if (lot.sku.product.cooperativeId !== cooperative.id) throw otherVillage();
  const traceUrl = new URL(`/trace/${lot.traceCode}`, appUrl).toString();
  // Margin 2 and level M: readable by phone cameras at the ~25 mm a label has room for, even a little smudged.
  const qrSvg = await QRCode.toString(traceUrl, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  const { household, sku } = lot;
  return {
    code: lot.code,
    producedOn: lot.producedOn,
    bestBefore: lot.bestBefore,
    sku: { nameZh: sku.nameZh, nameEn: sku.nameEn, product: { nameZh: sku.product.nameZh, nameEn: sku.product.nameEn } },
    producer: household.consentToDisplay && household.displayName ? household.displayName : household.code,
    village: household.village,
    traceUrl,
    qrSvg,
    copies: Math.min(MAX_LABELS, Math.max(1, copies ?? lot.quantityReceived)),
  };
}
