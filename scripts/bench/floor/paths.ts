import path from "node:path";

/** Where `npm run bench:floor` builds the minimal Remix app: ignored by git, lint and the type checker alike. */
export const FLOOR_BUILD_DIR = path.resolve(import.meta.dirname, "../../../node_modules/.cache/anshang-bench-floor");
