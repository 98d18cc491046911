#!/usr/bin/env node
// The `mmo` maintenance CLI. Loads tsx so the CLI runs from its TypeScript sources with no build.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
