import { fileURLToPath } from "node:url";

/** The repository root: prisma.config.ts, prisma/ and the embedded server's data live there. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
export const prismaConfigPath = fileURLToPath(new URL("../../../prisma.config.ts", import.meta.url));
export const migrationsDir = fileURLToPath(new URL("../../../prisma/migrations/", import.meta.url));
export const defaultEmbeddedDataDir = fileURLToPath(new URL("../../../.data/pg18", import.meta.url));
