#!/usr/bin/env node
// Executable the Prisma CLI spawns through PRISMA_SCHEMA_ENGINE_BINARY. It only loads tsx (so the
// engine stays TypeScript with no build step) and hands over to src/main.ts.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
