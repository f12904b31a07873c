// Product photo files: checked by their bytes, stored in the database's file store by content hash (so every app
// process serves them), served forever-cacheable. A file's name is the SHA-256 of its bytes, so a changed photo is a
// new URL and the old one may be cached for a year; the same photo uploaded twice is one file.
import { createHash } from "node:crypto";
import { deleteFile, getFile, putFile } from "~/db/files.server";
import { DomainError } from "~/domain/errors";
import { IMAGE_EXTENSIONS, readImageHeader, type ImageType } from "./image-header";

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const PRODUCT_PHOTOS_URL = "/uploads/products";

const FILE_NAME = /^[0-9a-f]{64}\.(jpg|png|webp)$/;
const CONTENT_TYPES: Record<string, string> = { jpg: "image/jpeg", png: "image/png", webp: "image/webp" };

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

/** Stores the photo under its content hash (once) and answers the URL it is served at. */
export async function storePhoto(photo: CheckedPhoto) {
  const extension = IMAGE_EXTENSIONS[photo.type];
  const name = `${createHash("sha256").update(photo.bytes).digest("hex")}.${extension}`;
  await putFile(`products/${name}`, CONTENT_TYPES[extension]!, photo.bytes);
  return `${PRODUCT_PHOTOS_URL}/${name}`;
}

/** Deletes the file behind a photo URL; seeded pictures under /images are part of the build and stay. */
export async function deletePhotoFile(url: string) {
  const name = url.startsWith(`${PRODUCT_PHOTOS_URL}/`) ? url.slice(PRODUCT_PHOTOS_URL.length + 1) : "";
  if (!FILE_NAME.test(name)) return;
  await deleteFile(`products/${name}`);
}

/** A stored photo by file name, or null; names other than a hash and a known extension never reach the database. */
export async function readPhotoFile(name: string) {
  if (!FILE_NAME.test(name)) return null;
  const file = await getFile(`products/${name}`);
  return file && { body: Buffer.from(file.bytes), contentType: file.contentType };
}
