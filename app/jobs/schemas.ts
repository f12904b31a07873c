// The admin's retry of a failed job, checked the same way in the browser and on the server.
import { z } from "zod";

export const RetryJobSchema = z.object({
  intent: z.literal("retry"),
  name: z.string().min(1).max(100),
  id: z.uuid(),
});
