import type { LoaderFunctionArgs } from "@remix-run/node";
import { allowAnonymous } from "~/auth/guards.server";
import { readPhotoFile } from "~/domain/cooperative/photos.server";
import { notFound } from "~/utils/responses.server";

// A photo's name is the hash of its bytes: a changed photo gets a new name, so a copy may be kept for a year.
const FOREVER = "public, max-age=31536000, immutable";

export async function loader({ request, params }: LoaderFunctionArgs) {
  allowAnonymous(request);
  const photo = await readPhotoFile(params.file ?? "");
  if (!photo) notFound();
  return new Response(photo.body, {
    headers: { "Content-Type": photo.contentType, "Content-Length": String(photo.body.length), "Cache-Control": FOREVER },
  });
}
