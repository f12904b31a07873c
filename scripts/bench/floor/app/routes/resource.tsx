import type { ActionFunctionArgs } from "@remix-run/node";
import { selectOne } from "../db.server";

export const loader = async () => Response.json({ one: await selectOne() });

/** A resource route's action: no rendering, no single-fetch encoding. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return Response.json({ one: await selectOne(), fields: [...form.keys()].length });
}
