// A rendered page with holes: what the signed-in page cache keeps (docs/decisions/0024-signed-in-page-cache.md).
// The page is rendered once with stand-ins (strings no real value contains) where a user's own values go; each hole
// remembers whether its stand-in stood in the HTML or inside an inline script, and a copy is filled with each
// request's values escaped as React and Remix would have escaped them there.

/** What a hole holds: one of the page's personal values, and where on the page it stands. */
type Hole<K extends string> = { key: K; inScript: boolean };

export type PageTemplate<K extends string> = { parts: (string | Hole<K>)[] };

/** React's escaping of text and attribute values (escapeTextForBrowser). */
const HTML_ESCAPES: Record<string, string> = { '"': "&quot;", "&": "&amp;", "'": "&#x27;", "<": "&lt;", ">": "&gt;" };

/** Remix's escaping of the inline script that carries the loaders' data (escapeHtml in @remix-run/react). */
const SCRIPT_ESCAPES: Record<string, string> = {
  "&": "\\u0026",
  ">": "\\u003e",
  "<": "\\u003c",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

const jsonStringBody = (value: string) => JSON.stringify(value).slice(1, -1);

export function escapeForHtml(value: string) {
  return value.replace(/["&'<>]/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * A string value inside the loaders' data script: turbo-stream writes it as a JSON string, Remix puts that stream
 * text in a JSON string of its own (`streamController.enqueue("…")`) and escapes what could end the script.
 */
export function escapeForDataScript(value: string) {
  return jsonStringBody(jsonStringBody(value)).replace(/[&<>\u2028\u2029]/g, (c) => SCRIPT_ESCAPES[c]!);
}

/** Where inline scripts' contents begin and end. */
function scriptBodies(html: string) {
  const bodies: [number, number][] = [];
  for (const match of html.matchAll(/(<script\b[^>]*>)([\s\S]*?)<\/script>/g)) {
    const start = match.index + match[1]!.length;
    bodies.push([start, start + match[2]!.length]);
  }
  return bodies;
}

/** Cuts `html` at every stand-in. Stand-ins must be letters and digits only, so that no escaping has changed them. */
export function compilePageTemplate<K extends string>(html: string, standIns: Record<K, string>): PageTemplate<K> {
  const keyOf = new Map<string, K>();
  for (const key of Object.keys(standIns) as K[]) {
    if (!/^[A-Za-z0-9]+$/.test(standIns[key])) throw new Error(`stand-in for ${key} is not letters and digits only`);
    keyOf.set(standIns[key], key);
  }
  const bodies = scriptBodies(html);
  const parts: PageTemplate<K>["parts"] = [];
  let last = 0;
  let body = 0;
  for (const match of html.matchAll(new RegExp([...keyOf.keys()].join("|"), "g"))) {
    while (body < bodies.length && bodies[body]![1] <= match.index) body++;
    const inScript = body < bodies.length && bodies[body]![0] <= match.index;
    parts.push(html.slice(last, match.index), { key: keyOf.get(match[0])!, inScript });
    last = match.index + match[0].length;
  }
  parts.push(html.slice(last));
  return { parts };
}

export function fillPageTemplate<K extends string>(template: PageTemplate<K>, values: Record<K, string>) {
  return template.parts
    .map((part) =>
      typeof part === "string" ? part : part.inScript ? escapeForDataScript(values[part.key]) : escapeForHtml(values[part.key]),
    )
    .join("");
}
