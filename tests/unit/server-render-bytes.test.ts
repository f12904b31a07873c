// React 18.3.1 encodes a streamed page into 2,048-byte views; when a multi-byte character does not fit at a view's
// end it sent the whole view anyway, unwritten bytes and all: NUL bytes in the page's Chinese text, wherever a
// character fell on a 2 KB boundary (facebook/react#26228, fixed upstream after 18.3.1; patches/react-dom+18.3.1.patch
// carries the fix). The pages are rendered this way (entry.server.tsx), so every boundary must be clean.
import { createRequire } from "node:module";
import path from "node:path";
import { Writable } from "node:stream";
import { createElement } from "react";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
type Server = typeof import("react-dom/server");
// Both of the builds react-dom/server picks from by NODE_ENV, by path: the package exports neither by name.
const build = (name: string) => require(path.resolve(`node_modules/react-dom/cjs/react-dom-server.node.${name}.js`)) as Server;
const builds: [string, Server][] = [
  ["production", build("production.min")],
  ["development", build("development")],
];

const TEXT = "岸上村的无公害桃，每一分钱都记入生产农户的账上";

/** Renders ~2 KB of markup, then `pad` characters of ASCII, then Chinese text, as entry.server.tsx renders a page. */
function render(server: Server, pad: number) {
  const page = createElement(
    "main",
    null,
    Array.from({ length: 250 }, (_, i) => createElement("b", { key: i }, "a")),
    createElement("p", null, "x".repeat(pad)),
    createElement("p", null, TEXT),
  );
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
      final(callback) {
        resolve(Buffer.concat(chunks));
        callback();
      },
    });
    const { pipe } = server.renderToPipeableStream(page, { onAllReady: () => pipe(sink), onShellError: reject });
  });
}

describe("a streamed page's bytes", () => {
  for (const [name, server] of builds) {
    it(`have no NUL byte wherever the Chinese text falls against a 2 KB boundary (${name} build)`, async () => {
      for (let pad = 0; pad < 40; pad++) {
        const bytes = await render(server, pad);
        expect(bytes.indexOf(0), `pad ${pad}`).toBe(-1);
        expect(bytes.toString("utf8")).toContain(`<p>${TEXT}</p>`);
      }
    });
  }
});
