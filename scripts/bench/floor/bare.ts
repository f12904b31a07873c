// The bare ceiling: node:http and nothing else, as its own process (lib/servers.ts starts it).
//   GET|POST /select   reads the body, runs one SELECT 1, answers a few bytes
//   GET /page/<name>   answers the bytes and headers saved in BARE_PAGES_DIR/<name>.json (a page the shop served)
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { selectOne } from "./app/db.server";

type SavedPage = { headers: Record<string, string>; base64: string };

const pages = new Map<string, { headers: Record<string, string>; body: Buffer }>();
const dir = process.env.BARE_PAGES_DIR;
if (dir) {
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".json"))) {
    const saved = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as SavedPage;
    pages.set(`/page/${file.slice(0, -".json".length)}`, { headers: saved.headers, body: Buffer.from(saved.base64, "base64") });
  }
}

const server = createServer((req, res) => {
  const page = pages.get(req.url ?? "");
  if (page) {
    res.writeHead(200, { ...page.headers, "content-length": page.body.length }).end(page.body);
    return;
  }
  if (req.url === "/select" || req.url === "/healthz") {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const fields = [...new URLSearchParams(Buffer.concat(chunks).toString()).keys()].length;
      selectOne().then(
        (one) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ one, fields })),
        () => res.writeHead(500).end(),
      );
    });
    return;
  }
  res.writeHead(404).end();
});
server.listen(Number(process.env.PORT), process.env.HOST ?? "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
