import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

// Prisma Migrate runs offline: unless told otherwise, the CLI spawns our schema engine (Prisma's
// own engine compiled to WebAssembly) instead of downloading the native binary. To use the native
// engine where it can be downloaded, set PRISMA_SCHEMA_ENGINE_BINARY to its path (README).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL("./packages/schema-engine/bin/schema-engine.mjs", import.meta.url));

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    // `prisma generate` needs no database; every other command reads DATABASE_URL.
    url: process.env.DATABASE_URL ?? "",
    ...(process.env.SHADOW_DATABASE_URL ? { shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL } : {}),
  },
});
