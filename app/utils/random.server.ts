// Every request takes two small random values (its request id and the CSP nonce). Node's randomBytes calls into
// OpenSSL each time, which a CPU profile of signed-in pages showed as ~2 % of the server's time; taking them from a
// buffer filled a few kilobytes at a time is what crypto.randomUUID does internally.
import { randomBytes } from "node:crypto";

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/** `size` bytes from the cryptographic generator. A filled pool is never written again, so a result stays as it is. */
export function pooledRandomBytes(size: number): Buffer {
  if (size > POOL_BYTES) return randomBytes(size);
  if (offset + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + size);
  offset += size;
  return bytes;
}
