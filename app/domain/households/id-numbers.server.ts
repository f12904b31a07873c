import { createHmac } from "node:crypto";

/** The keyed hash an ID number is looked up by; without the key it cannot be reversed or guessed by enumeration. */
export function hashIdNumber(id: string, key: string) {
  return createHmac("sha256", key).update(id).digest("hex");
}
