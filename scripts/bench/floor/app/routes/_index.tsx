import { useLoaderData } from "@remix-run/react";
import { selectOne } from "../db.server";

export const loader = async () => ({ one: await selectOne() });

export default function Index() {
  const { one } = useLoaderData<typeof loader>();
  return <p>floor {one}</p>;
}
