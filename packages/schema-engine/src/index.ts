import { fileURLToPath } from "node:url";

/** The executable to put in PRISMA_SCHEMA_ENGINE_BINARY so the stock Prisma CLI runs offline. */
export const offlineSchemaEngineBinary = fileURLToPath(new URL("../bin/schema-engine.mjs", import.meta.url));
export { verifyFullSpelledOut } from "./sslmode.ts";
