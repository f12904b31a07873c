import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import type { RootData } from "./root";
import { NonceProvider } from "./utils/nonce";

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

/**
 * The whole document, rendered before the first byte is sent. No page streams (no deferred data), and React writes
 * a page in hundreds of small chunks: each one went through compression and the socket on its own, which cost more
 * server CPU than rendering the page (docs/decisions/0012-speed-closing-rush.md).
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = (loadContext as { cspNonce?: string }).cspNonce ?? "";
  // The browser fetches the page's catalog while it reads the page, before the scripts that need it (decision 28).
  const catalog = (remixContext.staticHandlerContext.loaderData.root as Partial<RootData> | undefined)?.catalog;
  if (catalog) responseHeaders.append("Link", `<${catalog}>; rel=preload; as=fetch; crossorigin=anonymous`);
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const chunks: Buffer[] = [];
    // No "close" event: React listens for it to abort a render whose reader went away, and aborting a render that has
    // finished ends the stream a second time (an ERR_STREAM_ALREADY_FINISHED error made and thrown away per page).
    const document = new Writable({
      emitClose: false,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
      final(callback) {
        // A timer left running would keep the finished render, and everything it holds, alive for its delay.
        clearTimeout(timeout);
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
        callback();
      },
    });
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          pipe(document);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    // React renders after this function returns (setImmediate), so the timer exists before the document can end.
    const timeout = setTimeout(abort, ABORT_DELAY).unref();
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  console.error(`Error while handling ${request.method} ${new URL(request.url).pathname}:`, error);
}
