import { readFileSync } from "node:fs";
import { get, type IncomingHttpHeaders } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, inject, it } from "vitest";
import { pageJsWeights } from "../../scripts/bundle-size";

const baseUrl = inject("baseUrl");

// Issue 11: no page makes a phone download more than 100 KB of gzipped JavaScript before it works. Read from the
// build this run made (npm run test:e2e builds first); scripts/bundle-size.ts says what is counted.
const BUDGET_BYTES = 100 * 1024;

/** The answer's bytes as they came over the wire (fetch would undo the Content-Encoding). */
function getRaw(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    }).on("error", reject);
  });
}

describe("the built client's JavaScript", () => {
  it("weighs at most 100 KB gzipped on every page", () => {
    const pages = pageJsWeights();
    expect(pages.length).toBeGreaterThan(40);
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    expect(pages.filter((page) => page.gzipBytes > BUDGET_BYTES).map((page) => `${page.route}: ${kb(page.gzipBytes)}`)).toEqual([]);
  });

  it("is sent as the build compressed it: Brotli to a browser that asks for it, gzip otherwise, cached for a year", async () => {
    const shared = pageJsWeights()[0]?.files.find((file) => file.includes("entry.client"));
    if (!shared) throw new Error("no entry chunk on the heaviest page");
    const original = readFileSync(`build/client/${shared}`);
    const answers = [
      { acceptEncoding: "gzip, deflate, br", encoding: "br", file: `build/client/${shared}.br`, decode: brotliDecompressSync },
      { acceptEncoding: "gzip, deflate", encoding: "gzip", file: `build/client/${shared}.gz`, decode: gunzipSync },
    ];
    for (const { acceptEncoding, encoding, file, decode } of answers) {
      const { status, headers, body } = await getRaw(`${baseUrl}/${shared}`, { "Accept-Encoding": acceptEncoding });
      expect(status).toBe(200);
      expect(headers["content-encoding"]).toBe(encoding);
      expect(headers.vary).toMatch(/accept-encoding/i);
      expect(headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(body.equals(readFileSync(file))).toBe(true);
      expect(decode(body).equals(original)).toBe(true);
    }
  });
});
