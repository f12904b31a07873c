// A page rendered with stand-ins and filled with real values is the page React and Remix render with those values:
// checked with React's own renderer and Remix's own data script (turbo-stream, then the inline script's escaping).
import { escapeHtml } from "@remix-run/react/dist/markup.js";
import { encodeViaTurboStream } from "@remix-run/server-runtime/dist/single-fetch.js";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { compilePageTemplate, fillPageTemplate } from "~/utils/page-template.server";

const STAND_INS = { name: "namestandin0a1b2c", id: "idstandin0a1b2c", nonce: "noncestandin0a1b2c", count: "918273645546" };
type Values = Record<keyof typeof STAND_INS, string>;

async function turboText(value: unknown) {
  const stream = encodeViaTurboStream(value, new AbortController().signal, 5_000, "production" as never);
  return new Response(stream).text();
}

/** A page as the shop's document carries these values: in text, in attributes and in the loaders' data script. */
async function page({ name, id, nonce, count }: Values) {
  const markup = renderToString(
    createElement(
      "div",
      null,
      createElement("h1", null, `Hello, ${name}`),
      createElement("a", { href: "/account", "aria-label": `Cart, ${count} items` }, name),
      createElement("span", null, Number(count)),
    ),
  );
  const data = await turboText({ root: { user: { id, name, roles: ["employee"] }, cartCount: Number(count) }, home: { user: { name } } });
  const script = `window.__remixContext.streamController.enqueue(${escapeHtml(JSON.stringify(data))});`;
  return `<!DOCTYPE html><html><body>${markup}<script nonce="${nonce}">${script}</script></body></html>`;
}

const NAMES = [
  "林小雨",
  `</script><script>alert("x")</script>`,
  `Tom & "Jerry" O'Neil <b>`,
  "line\u2028separator\u2029and\nnewline\ttab",
  String.raw`back\slash \"quoted\" \u0041`,
  "😀 emoji and 𠮷",
  "<!-- comment -->",
];

describe("page templates", () => {
  it.each(NAMES)("fills %j where React and Remix would have put it", async (name) => {
    const values: Values = { name, id: "cmx499y5l0020q67df7ry1o91", nonce: "HcCefC06ErdlaYBD/dtXlQ==", count: "3" };
    const template = compilePageTemplate(await page(STAND_INS), STAND_INS);
    expect(fillPageTemplate(template, values)).toBe(await page(values));
  });

  it("tells the nonce attribute of a script from the script's content", async () => {
    const template = compilePageTemplate(await page(STAND_INS), STAND_INS);
    const holes = template.parts.filter((part) => typeof part !== "string");
    expect(holes).toContainEqual({ key: "nonce", inScript: false });
    expect(holes).toContainEqual({ key: "name", inScript: true });
    expect(holes).toContainEqual({ key: "name", inScript: false });
    expect(holes.filter((hole) => hole.key === "id")).toEqual([{ key: "id", inScript: true }]);
  });

  it("refuses a stand-in that escaping could change", () => {
    expect(() => compilePageTemplate("<p>x</p>", { name: "stand-in" })).toThrow(/letters and digits/);
  });
});
