import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";

export type WasmSchemaEngine = bg.SchemaEngine;
export const SchemaEngine = bg.SchemaEngine;

/** Node's WebAssembly global; @types/node does not declare it without the DOM lib. */
const wasmApi = (globalThis as unknown as {
  WebAssembly: {
    compile(bytes: Uint8Array): Promise<object>;
    instantiate(module: object, imports: Record<string, Record<string, unknown>>): Promise<{ exports: Record<string, unknown> }>;
  };
}).WebAssembly;

let loaded: Promise<void> | undefined;

/**
 * Instantiates Prisma's schema engine compiled to WebAssembly. Node cannot import a `.wasm` file as an
 * ES module, so we do what the package's own entry would do by hand (as Prisma 6 did).
 */
export function loadWasmEngine(): Promise<void> {
  loaded ??= (async () => {
    // A Rust panic inside the engine reports its message here; without it the panic turns into an
    // unrelated TypeError and the real message is lost.
    const registry = { message: "", set_message(msg: string) { this.message = msg; } };
    (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = registry;
    const require = createRequire(import.meta.url);
    // The .wasm file is not in the package's export map: find it beside the JS glue.
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = join(dirname(gluePath), "schema_engine_bg.wasm");
    const module = await wasmApi.compile(await readFile(wasmPath));
    const instance = await wasmApi.instantiate(module, { "./schema_engine_bg.js": bg as unknown as Record<string, unknown> });
    const exports = instance.exports as Record<string, unknown> & { __wbindgen_start: () => void };
    bg.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return loaded;
}

export function lastPanicMessage(): string {
  const registry = (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY as { message?: string } | undefined;
  return registry?.message ?? "";
}
