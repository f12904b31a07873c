// Draws a group-order poster as PNG on the server, with no browser: satori lays the poster's boxes out and turns its
// text into outlines (SVG), resvg rasterises that. The font is Noto Sans SC from the @fontsource/noto-sans-sc
// package (SIL Open Font License), its simplified-Chinese and Latin subsets as WOFF (satori reads TTF, OTF and WOFF,
// not WOFF2), so a fresh machine draws the same poster as this one, whatever fonts it has. A poster is cached on disk
// under the hash of everything it shows: a changed title, price, photo or closing time is a new hash, so a new poster,
// and the group order's older posters are removed when it is written.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import QRCode from "qrcode";
import rosetta from "rosetta";
import satori from "satori";
import { config } from "~/config.server";
import { PRODUCT_PHOTOS_URL, readPhotoFile } from "~/domain/cooperative/photos.server";
import type { Locale, MessageKey, MessageParams } from "~/i18n/i18n";
import { catalogs } from "~/i18n/i18n.server";
import type { Translate } from "~/i18n/react";
import { POSTER_HEIGHT, POSTER_WIDTH, posterElement, type PosterContent } from "./poster-layout";

/** Bump when the layout changes, so cached posters drawn by the old one are not served. */
const LAYOUT_VERSION = 1;

// Satori takes a glyph from the first font of the family and weight that has it: the Chinese subset first.
const FONT_FILES = [
  { file: "noto-sans-sc-chinese-simplified-400-normal.woff", weight: 400 },
  { file: "noto-sans-sc-latin-400-normal.woff", weight: 400 },
  { file: "noto-sans-sc-chinese-simplified-700-normal.woff", weight: 700 },
  { file: "noto-sans-sc-latin-700-normal.woff", weight: 700 },
] as const;

let fonts: Promise<{ name: string; data: Buffer; weight: 400 | 700; style: "normal" }[]> | undefined;

function loadFonts() {
  const require = createRequire(import.meta.url);
  fonts ??= Promise.all(
    FONT_FILES.map(async ({ file, weight }) => ({
      name: "Noto Sans SC",
      data: await readFile(require.resolve(`@fontsource/noto-sans-sc/files/${file}`)),
      weight,
      style: "normal" as const,
    })),
  );
  return fonts;
}

export function posterTranslator(locale: Locale): Translate {
  const i18n = rosetta({ [locale]: catalogs[locale] });
  i18n.locale(locale);
  return (key: MessageKey, params?: MessageParams) => i18n.t(key, params);
}

const SEEDED_IMAGE = /^\/images\/([a-z0-9-]+\.(svg|png|jpg))$/;
const DATA_TYPES: Record<string, string> = { svg: "image/svg+xml", png: "image/png", jpg: "image/jpeg" };

/** A product photo as a data URL, or null: WebP photos are drawn as a tile, since resvg may not decode them. */
async function photoDataUrl(photoPath: string) {
  if (photoPath.startsWith(`${PRODUCT_PHOTOS_URL}/`)) {
    const photo = await readPhotoFile(photoPath.slice(PRODUCT_PHOTOS_URL.length + 1));
    if (!photo || photo.contentType === "image/webp") return null;
    return `data:${photo.contentType};base64,${photo.body.toString("base64")}`;
  }
  const seeded = SEEDED_IMAGE.exec(photoPath);
  if (!seeded) return null;
  const body = await readFile(path.join(process.cwd(), "public", "images", seeded[1]!)).catch(() => null);
  return body && `data:${DATA_TYPES[seeded[2]!]};base64,${body.toString("base64")}`;
}

/** Renders the poster to PNG bytes, uncached. */
export async function drawPoster(content: PosterContent, locale: Locale) {
  const photos: Record<string, string> = {};
  for (const item of content.items) {
    if (item.photoPath && !(item.photoPath in photos)) {
      const dataUrl = await photoDataUrl(item.photoPath);
      if (dataUrl) photos[item.photoPath] = dataUrl;
    }
  }
  // Level M and a quiet zone of two modules: decodes from a phone photo of a phone screen, as WeChat users scan.
  const qr = await QRCode.toBuffer(content.url, { type: "png", errorCorrectionLevel: "M", margin: 2, width: 340 });
  const element = posterElement({
    content,
    locale,
    t: posterTranslator(locale),
    photos,
    qrDataUrl: `data:image/png;base64,${qr.toString("base64")}`,
  });
  const svg = await satori(element, { width: POSTER_WIDTH, height: POSTER_HEIGHT, fonts: await loadFonts() });
  return new Resvg(svg, { fitTo: { mode: "original" }, font: { loadSystemFonts: false } }).render().asPng();
}

export function posterKey(content: PosterContent, locale: Locale) {
  return createHash("sha256")
    .update(JSON.stringify({ v: LAYOUT_VERSION, locale, content }))
    .digest("hex")
    .slice(0, 32);
}

function postersDir() {
  return path.join(config().dataDir, "posters");
}

const inFlight = new Map<string, Promise<Buffer>>();

/**
 * The poster's PNG, from the cache when one was drawn for the same content, else drawn now and cached. Concurrent
 * requests for the same poster wait for one drawing.
 */
export async function groupOrderPoster(content: PosterContent, locale: Locale) {
  const key = posterKey(content, locale);
  const prefix = `${content.groupOrderId}-${locale}-`;
  const file = path.join(postersDir(), `${prefix}${key}.png`);
  const cached = await readFile(file).catch(() => null);
  if (cached) return { png: cached, key, cached: true };
  let drawing = inFlight.get(key);
  if (!drawing) {
    drawing = drawAndStore(content, locale, file, prefix).finally(() => inFlight.delete(key));
    inFlight.set(key, drawing);
  }
  return { png: await drawing, key, cached: false };
}

async function drawAndStore(content: PosterContent, locale: Locale, file: string, prefix: string) {
  const png = await drawPoster(content, locale);
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  // Written aside and renamed into place, so another server sharing the folder never reads half a poster.
  const partial = `${file}.${randomBytes(6).toString("hex")}.part`;
  await writeFile(partial, png);
  await rename(partial, file);
  for (const name of await readdir(dir)) {
    if (name.startsWith(prefix) && name.endsWith(".png") && path.join(dir, name) !== file) {
      await unlink(path.join(dir, name)).catch(() => undefined);
    }
  }
  return Buffer.from(png);
}
