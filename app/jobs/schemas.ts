// The admin's retry of a failed job, checked the same way in the browser and on the server.
import { z } from "zod";

// The fields are the page's own (hidden): wrong only when the page is out of date or the form was forged.
export const RetryJobSchema = z.object({
  intent: z.literal("retry", { error: "errors.badRequestTitle" }),
  name: z.string({ error: "errors.staleForm" }).min(1, "errors.staleForm").max(100, "errors.staleForm"),
  id: z.uuid({ error: "errors.staleForm" }),
});
