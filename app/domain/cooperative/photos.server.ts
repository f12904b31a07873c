// Product photo files: checked by their bytes, stored under the data folder by content hash, served forever-cacheable.
// A file's name is the SHA-256 of its bytes, so a changed photo is a new URL and the old one may be cached for a year;
// the same photo uploaded twice is one file.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { config } from "~/config.server";
import { DomainError, notFound } from "~/domain/errors";
import { IMAGE_EXTENSIONS, readImageHeader, type ImageType } from "./image-header";

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const PRODUCT_PHOTOS_URL = "/uploads/products";

const FILE_NAME = /^[0-9a-f]{64}\.(jpg|png|webp)$/;
const CONTENT_TYPES: Record<string, string> = { jpg: "image/jpeg", png: "image/png", webp: "image/webp" };

export function productPhotosDir() {
  return path.join(config().dataDir, "uploads", "products");
}

export type CheckedPhoto = { bytes: Uint8Array; type: ImageType; width: number; height: number };

/** Refuses a photo on the photo field of its form. */
export const photoRefusal = (code: "missing" | "tooBig" | "notAnImage") =>
  code === "tooBig"
    ? new DomainError("cooperative.products.errors.tooBig", { status: 413, field: "photo" })
    : new DomainError(code === "missing" ? "cooperative.products.errors.photoMissing" : "cooperative.products.errors.notAnImage", {
        field: "photo",
      });

/** The photo's bytes with its real format and pixel size; refused when it is empty, too big or not an image. */
export async function checkPhoto(file: Blob): Promise<CheckedPhoto> {
  if (file.size === 0) throw photoRefusal("missing");
  if (file.size > MAX_PHOTO_BYTES) throw photoRefusal("tooBig");
  const bytes = new Uint8Array(await file.arrayBuffer());
  const header = readImageHeader(bytes);
  if (!header) throw photoRefusal("notAnImage");
  return { bytes, ...header };
}

/** Writes the photo under its content hash (once) and answers the URL it is served at. */
export async function storePhoto(photo: CheckedPhoto) {
  const name = `${createHash("sha256").update(photo.bytes).digest("hex")}.${IMAGE_EXTENSIONS[photo.type]}`;
  const dir = productPhotosDir();
  const target = path.join(dir, name);
  await mkdir(dir, { recursive: true });
  if (!(await exists(target))) {
    // Written aside and renamed into place, so another server never serves half a file.
    const partial = `${target}.${randomBytes(6).toString("hex")}.part`;
    await writeFile(partial, photo.bytes);
    await rename(partial, target);
  }
  return `${PRODUCT_PHOTOS_URL}/${name}`;
}

/** Deletes the file behind a photo URL; seeded pictures under /images are part of the build and stay. */
export async function deletePhotoFile(url: string) {
  const name = url.startsWith(`${PRODUCT_PHOTOS_URL}/`) ? url.slice(PRODUCT_PHOTOS_URL.length + 1) : "";
  if (!FILE_NAME.test(name)) return;
  await unlink(path.join(productPhotosDir(), name)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
}

/** A stored photo by file name (404 when there is none); names other than a hash and a known extension never reach the disk. */
export async function readPhotoFile(name: string) {
  const match = FILE_NAME.exec(name);
  if (!match) throw notFound();
  try {
    return { body: await readFile(path.join(productPhotosDir(), name)), contentType: CONTENT_TYPES[match[1]!]! };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw notFound();
    throw error;
  }
}

async function exists(file: string) {
  return stat(file).then(
    () => true,
    () => false,
  );
}
