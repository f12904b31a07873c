// The group-order poster as a tree of flexbox boxes that satori lays out (inline styles only: satori reads no CSS
// files). 1080 × 1920, a phone held upright, as WeChat shows a picture full screen: the title and units on the brand
// colour, the products with photo, SKU and price, the closing time, pickup and producers, and the QR code large at the
// bottom where a thumb does not cover it. Pure: the same content, language and images always give the same tree.
import type { ReactElement, ReactNode } from "react";
import { formatFen } from "~/domain/money";
import type { Producers } from "~/domain/group-orders/producers.server";
import { languageTag, type Locale } from "~/i18n/i18n";
import type { Translate } from "~/i18n/react";
import { formatDate, formatDateTime } from "~/utils/dates";

export const POSTER_WIDTH = 1080;
export const POSTER_HEIGHT = 1920;
/** Rows of products a poster has room for; with more, the last row says how many more there are. */
export const POSTER_ROWS = 4;

export type PosterItem = {
  skuCode: string;
  productZh: string;
  productEn: string;
  skuZh: string;
  skuEn: string;
  priceFen: number;
  photoPath: string | null;
};

/** Everything a poster shows, as plain data: its hash is the poster's cache key. */
export type PosterContent = {
  groupOrderId: string;
  title: string;
  units: { name: string; nameEn: string }[];
  items: PosterItem[];
  closesAt: string;
  pickupPoint: string;
  deliveryDate: string;
  producers: Producers;
  url: string;
};

const BRAND = "#ea580c";
const BRAND_DARK = "#c2410c";
const CREAM = "#fff7ed";
const INK = "#1c1917";
const MUTED = "#57534e";
const PHOTO = { width: 176, height: 132 };
const MAX_PRODUCERS_SHOWN = 8;

function clip(text: string, max: number) {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
}

function producersLine(producers: Producers, locale: Locale, t: Translate) {
  const entries = [
    ...producers.names.map((name) => ({ text: name, households: 1 })),
    ...producers.groups.map(({ group, count }) => ({ text: t("posters.art.groupHouseholds", { group, count }), households: count })),
  ];
  if (entries.length === 0) return null;
  const shown = entries.slice(0, MAX_PRODUCERS_SHOWN).map((entry) => entry.text);
  const rest = entries.slice(MAX_PRODUCERS_SHOWN).reduce((sum, entry) => sum + entry.households, 0);
  const separator = locale === "en" ? ", " : "、";
  const names = rest > 0 ? `${shown.join(separator)}${t("posters.art.moreProducers", { count: rest })}` : shown.join(separator);
  return t("posters.art.producers", { names });
}

function ProductRow({ item, locale, photo }: { item: PosterItem; locale: Locale; photo: string | undefined }) {
  const en = locale === "en";
  const product = en ? item.productEn : item.productZh;
  return (
    <div style={{ display: "flex", alignItems: "center", backgroundColor: "white", borderRadius: 24, padding: 16, marginBottom: 18 }}>
      {photo ? (
        <img src={photo} alt="" width={PHOTO.width} height={PHOTO.height} style={{ flexShrink: 0, borderRadius: 16, objectFit: "cover" }} />
      ) : (
        <div
          style={{
            display: "flex",
            alignItems: "center",
            justifyContent: "center",
            flexShrink: 0,
            width: PHOTO.width,
            height: PHOTO.height,
            borderRadius: 16,
            backgroundColor: CREAM,
            color: BRAND,
            fontSize: 64,
            fontWeight: 700,
          }}
        >
          {Array.from(product)[0] ?? ""}
        </div>
      )}
      <div style={{ display: "flex", flexDirection: "column", flexGrow: 1, flexShrink: 1, marginLeft: 28, marginRight: 16 }}>
        <div style={{ fontSize: 36, fontWeight: 700 }}>{clip(product, en ? 36 : 16)}</div>
        <div style={{ fontSize: 28, color: MUTED, marginTop: 4 }}>{clip(en ? item.skuEn : item.skuZh, en ? 40 : 20)}</div>
        <div style={{ fontSize: 22, color: MUTED, marginTop: 4 }}>{item.skuCode}</div>
      </div>
      <div style={{ flexShrink: 0, fontSize: 46, fontWeight: 700, color: BRAND_DARK }}>{formatFen(item.priceFen)}</div>
    </div>
  );
}

/** The poster. `photos` maps a product photo's path to a data URL (a missing one is drawn as a tile with a letter). */
export function posterElement({
  content,
  locale,
  t,
  photos,
  qrDataUrl,
}: {
  content: PosterContent;
  locale: Locale;
  t: Translate;
  photos: Record<string, string>;
  qrDataUrl: string;
}): ReactElement {
  const tag = languageTag(locale);
  const en = locale === "en";
  const title = clip(content.title, 40);
  const titleSize = Array.from(title).length <= 12 ? 80 : Array.from(title).length <= 24 ? 64 : 52;
  const overflow = content.items.length > POSTER_ROWS;
  const shown = overflow ? content.items.slice(0, POSTER_ROWS - 1) : content.items;
  const producers = producersLine(content.producers, locale, t);
  const units = content.units.map((unit) => (en ? unit.nameEn : unit.name)).join(en ? ", " : "、");
  const note = (text: ReactNode) => (
    <div style={{ display: "flex", justifyContent: "center", fontSize: 32, color: BRAND_DARK, padding: "12px 0" }}>{text}</div>
  );
  return (
    <div
      style={{
        width: POSTER_WIDTH,
        height: POSTER_HEIGHT,
        display: "flex",
        flexDirection: "column",
        backgroundColor: CREAM,
        color: INK,
        fontFamily: "Noto Sans SC",
      }}
    >
      <div style={{ display: "flex", flexDirection: "column", backgroundColor: BRAND, color: "white", padding: "56px 64px 44px" }}>
        <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center", fontSize: 30 }}>
          <div>{t("app.name")}</div>
          <div style={{ border: "3px solid white", borderRadius: 40, padding: "4px 24px" }}>{t("posters.art.heading")}</div>
        </div>
        <div style={{ fontSize: titleSize, fontWeight: 700, marginTop: 28, lineHeight: 1.25 }}>{title}</div>
        <div style={{ fontSize: 30, marginTop: 18 }}>{clip(t("posters.art.units", { units }), en ? 60 : 30)}</div>
      </div>

      <div style={{ display: "flex", flexDirection: "column", justifyContent: "center", flexGrow: 1, padding: "24px 64px" }}>
        {shown.map((item) => (
          <ProductRow key={item.skuCode} item={item} locale={locale} photo={item.photoPath ? photos[item.photoPath] : undefined} />
        ))}
        {overflow ? note(t("posters.art.more", { count: content.items.length - shown.length })) : null}
        {content.items.length === 0 ? note(t("posters.art.none")) : null}
      </div>

      <div style={{ display: "flex", flexDirection: "column", padding: "0 64px" }}>
        <div style={{ fontSize: 42, fontWeight: 700, color: BRAND_DARK }}>
          {t("posters.art.closes", { date: formatDateTime(content.closesAt, tag) })}
        </div>
        <div style={{ fontSize: 32, marginTop: 10 }}>
          {clip(t("posters.art.pickup", { place: content.pickupPoint, date: formatDate(content.deliveryDate, tag) }), en ? 70 : 36)}
        </div>
        {producers ? <div style={{ fontSize: 26, color: MUTED, marginTop: 10 }}>{clip(producers, en ? 120 : 64)}</div> : null}
      </div>

      <div
        style={{
          display: "flex",
          alignItems: "center",
          margin: "32px 64px 56px",
          padding: 28,
          backgroundColor: "white",
          borderRadius: 32,
        }}
      >
        <img src={qrDataUrl} alt="" width={340} height={340} style={{ flexShrink: 0 }} />
        <div style={{ display: "flex", flexDirection: "column", flexShrink: 1, marginLeft: 40 }}>
          <div style={{ fontSize: 46, fontWeight: 700 }}>{t("posters.art.scan")}</div>
          <div style={{ fontSize: 26, color: MUTED, marginTop: 16 }}>{t("app.tagline")}</div>
        </div>
      </div>
    </div>
  );
}

/** The poster's words in drawing order: what a reader sees, for tests (satori turns the text into outlines). */
export function posterTextLayer(node: ReactNode): string[] {
  if (node === null || node === undefined || typeof node === "boolean") return [];
  if (typeof node === "string" || typeof node === "number") return [String(node)];
  if (Array.isArray(node)) return node.flatMap(posterTextLayer);
  const element = node as ReactElement<{ children?: ReactNode }>;
  if (typeof element.type === "function") {
    return posterTextLayer((element.type as (props: unknown) => ReactNode)(element.props));
  }
  return posterTextLayer(element.props.children);
}
