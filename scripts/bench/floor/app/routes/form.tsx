import type { ActionFunctionArgs } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { selectOne } from "../db.server";

export const loader = async () => ({ one: await selectOne() });

/** A page route's action: what every form post of the shop costs at least (the body read, one query). */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return { one: await selectOne(), fields: [...form.keys()].length };
}

export default function FormPage() {
  const answer = useActionData<typeof action>();
  return (
    <Form method="post">
      <input name="value" defaultValue="1" aria-label="value" />
      <button type="submit">send</button>
      {answer ? <output>{answer.one}</output> : null}
    </Form>
  );
}
