// Uploaded files kept in the database (StoredFile) rather than a local folder: every app process, on any host, sees
// a photo the moment another one stored it, and a backup of the database holds the photos too
// (docs/decisions/0011-jobs-and-processes.md). Files are named by content hash, so a name never changes meaning and a
// small in-process cache of recently served files saves the database most reads.
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { db } from "./client.server";

type Cached = { contentType: string; bytes: Uint8Array<ArrayBuffer> };

const CACHE_BYTES = 32 * 1024 * 1024;
const cache = new Map<string, Cached>();
let cachedBytes = 0;

function remember(key: string, file: Cached) {
  if (file.bytes.length > CACHE_BYTES / 4) return;
  cache.set(key, file);
  cachedBytes += file.bytes.length;
  for (const [oldest, entry] of cache) {
    if (cachedBytes <= CACHE_BYTES) break;
    cache.delete(oldest);
    cachedBytes -= entry.bytes.length;
  }
}

/** Stores a file under its key once; storing the same key again changes nothing. */
export async function putFile(key: string, contentType: string, bytes: Uint8Array) {
  await db.storedFile.createMany({ data: [{ key, contentType, bytes: Buffer.from(bytes) }], skipDuplicates: true });
}

export async function getFile(key: string): Promise<Cached | null> {
  const cached = cache.get(key);
  if (cached) return cached;
  const row = await db.storedFile.findUnique({ where: { key }, select: { contentType: true, bytes: true } });
  if (!row) return null;
  const file = { contentType: row.contentType, bytes: new Uint8Array(row.bytes) };
  remember(key, file);
  return file;
}

export async function deleteFile(key: string) {
  const cached = cache.get(key);
  if (cached) {
    cache.delete(key);
    cachedBytes -= cached.bytes.length;
  }
  await db.storedFile.deleteMany({ where: { key } });
}

const LEGACY_TYPES: Record<string, string> = { jpg: "image/jpeg", png: "image/png", webp: "image/webp" };

/**
 * Photos that versions before the database store wrote to `DATA_DIR/uploads/products` are moved into it at start,
 * so upgrading loses none; the folder is removed once every file is in.
 */
export async function importLegacyUploads(dataDir: string) {
  const dir = path.join(dataDir, "uploads", "products");
  const names = await readdir(dir).catch(() => [] as string[]);
  let imported = 0;
  for (const name of names) {
    const type = LEGACY_TYPES[path.extname(name).slice(1)];
    if (!type || !/^[0-9a-f]{64}\.\w+$/.test(name)) continue;
    await putFile(`products/${name}`, type, await readFile(path.join(dir, name)));
    imported++;
  }
  if (names.length) await rm(dir, { recursive: true, force: true });
  return imported;
}
