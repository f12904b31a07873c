// `prisma generate` never runs the schema engine, but the CLI insists on finding (or downloading) its native
// binary first; the machines here cannot reach Prisma's download server, so point it at any existing file.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

if (!existsSync("prisma/schema.prisma")) process.exit(0);
execFileSync("npx", ["prisma", "generate", "--schema", "prisma/schema.prisma"], {
  stdio: "inherit",
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath },
});
