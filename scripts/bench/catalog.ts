// npm run bench:catalog — the home page and a product page under 50 connections for 10 s each, beside a bare
// node:http server answering the same HTML bytes in the same run, and the gzipped client JS of the home page.
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { freePort } from "../free-port";
import { createBenchDatabase, startAppServer } from "./app-server";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const PAGES = (process.env.BENCH_PAGES ?? "/,/products/peaches").split(",");

async function load(url: string) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

async function homePageJsGzipBytes(baseUrl: string, html: string) {
  const sources = new Set<string>();
  for (const match of html.matchAll(/<(?:link[^>]+rel="modulepreload"[^>]+href|script[^>]+src)="([^"]+\.js)"/g)) sources.add(match[1]!);
  for (const match of html.matchAll(/import\("([^"]+\.js)"\)|import "([^"]+\.js)"/g)) sources.add((match[1] ?? match[2])!);
  let gzipped = 0;
  let raw = 0;
  for (const src of sources) {
    const body = Buffer.from(await (await fetch(new URL(src, baseUrl))).arrayBuffer());
    raw += body.length;
    gzipped += gzipSync(body, { level: 9 }).length;
  }
  return { files: sources.size, raw, gzipped };
}

const database = await createBenchDatabase("catalog");
const app = await startAppServer(database.url);
try {
  const rows = [];
  for (const page of PAGES) {
    const response = await fetch(`${app.baseUrl}${page}`);
    if (!response.ok) throw new Error(`${page} answered ${response.status}`);
    const html = Buffer.from(await response.arrayBuffer());
    const headers = { "content-type": "text/html; charset=utf-8" };
    const bare = createServer((_req, res) => res.writeHead(200, headers).end(html));
    const port = await freePort();
    await new Promise<void>((resolve) => bare.listen(port, "127.0.0.1", resolve));
    const appResult = await load(`${app.baseUrl}${page}`);
    const bareResult = await load(`http://127.0.0.1:${port}/`);
    await new Promise((resolve) => bare.close(resolve));
    rows.push({
      page,
      bytes: html.length,
      ...appResult,
      bareRps: bareResult.rps,
      bareP99: bareResult.p99,
      ratio: appResult.rps / bareResult.rps,
    });
  }
  const home = await (await fetch(`${app.baseUrl}/`)).text();
  const js = await homePageJsGzipBytes(app.baseUrl, home);
  console.log(`\ncatalog benchmark: ${CONNECTIONS} connections, ${DURATION_S} s per run, app on PostgreSQL`);
  for (const r of rows) {
    console.log(
      `${r.page.padEnd(20)} app ${r.rps.toFixed(0).padStart(6)} req/s p99 ${String(r.p99).padStart(4)} ms | bare node:http ${r.bareRps.toFixed(0).padStart(6)} req/s p99 ${String(r.bareP99).padStart(4)} ms | ratio ${(r.ratio * 100).toFixed(1)}% | ${r.bytes} B HTML | non-2xx ${r.non2xx} errors ${r.errors}`,
    );
  }
  console.log(`home page client JS: ${js.files} files, ${(js.raw / 1024).toFixed(1)} KB raw, ${(js.gzipped / 1024).toFixed(1)} KB gzipped`);
  const ok = rows.every((r) => r.ratio >= 0.2 && r.p99 < 100) && js.gzipped <= 100 * 1024;
  console.log(ok ? "goal met: ≥ 20% of the bare ceiling, p99 < 100 ms, ≤ 100 KB gzipped JS" : "goal NOT met");
} finally {
  await app.stop();
  await database.drop();
}
