import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { lastScriptFailure, OfflineAdapterFactory } from "./adapter.ts";
import type { Datasource } from "./args.ts";
import { logRecord, redact } from "./log.ts";
import { migrationFailure, toRpcError, type RpcError } from "./rpc-errors.ts";
import { lastPanicMessage, loadWasmEngine, SchemaEngine, type WasmSchemaEngine } from "./wasm.ts";

interface RpcRequest { jsonrpc: "2.0"; id: number; method: string; params?: unknown }
interface RpcResponse { jsonrpc: "2.0"; id: number; result?: unknown; error?: unknown }

/** The native engine's RPC names that the wasm build spells differently. */
const WASM_METHOD_NAMES: Record<string, string> = { getDatabaseVersion: "version" };

/**
 * JSON-RPC 2.0 over stdio, one message per line: the Prisma CLI's requests come in on stdin and
 * our responses go out on stdout. The engine may also send the CLI a `print` request (how
 * `migrate diff` gets its script onto the terminal), whose answer arrives on stdin.
 */
export async function serveRpc(datamodelPaths: string[], datasource: Datasource | undefined): Promise<number> {
  const secrets = [datasource?.url, datasource?.shadowDatabaseUrl];
  const factory = datasource ? new OfflineAdapterFactory(datasource) : undefined;
  const engine = await createEngine(datamodelPaths, factory, secrets);
  const cli = new CliChannel();
  let current: RpcRequest | undefined;

  // A malformed request can make wasm-bindgen throw outside the request's promise; answer the
  // request in flight instead of dying silently.
  process.on("uncaughtException", (error) => {
    if (current) cli.respond({ jsonrpc: "2.0", id: current.id, error: toRpcError(error, lastPanicMessage(), secrets) });
    else logRecord("ERROR", { message: redact(String(error), ...secrets) });
  });
  const cleanup = async () => {
    await factory?.dropLeftoverShadowDatabases().catch(() => undefined);
  };
  // The CLI ends stdin and then kills the engine straight away: still drop what we created.
  process.once("SIGTERM", () => void cleanup().finally(() => process.exit(0)));

  for await (const message of cli.messages()) {
    if (!isRequest(message)) continue;
    current = message;
    const response = await handle(engine, message, cli, secrets);
    current = undefined;
    cli.respond(response);
  }
  await cleanup();
  return 0;
}

async function createEngine(paths: string[], factory: OfflineAdapterFactory | undefined, secrets: (string | undefined)[]): Promise<WasmSchemaEngine> {
  await loadWasmEngine();
  // The wasm engine panics on an empty list (how `migrate diff` starts it): pass none at all.
  const datamodels = paths.length === 0 ? undefined : await Promise.all(paths.map(async (p) => [p, await readFile(p, "utf8")] as [string, string]));
  const onLog = (line: string) => process.stderr.write(`${redact(line, ...secrets)}\n`);
  const adapter = factory ? bindMigrationAwareSqlAdapterFactory(factory as never) : missingDatasourceAdapter();
  return SchemaEngine.new({ datamodels }, onLog, adapter);
}

async function handle(engine: WasmSchemaEngine, request: RpcRequest, cli: CliChannel, secrets: (string | undefined)[]): Promise<RpcResponse> {
  const name = WASM_METHOD_NAMES[request.method] ?? request.method;
  const method = (engine as unknown as Record<string, unknown>)[name];
  if (typeof method !== "function" || name === "constructor" || name === "free") {
    return { jsonrpc: "2.0", id: request.id, error: { code: -32601, message: `Method not found: ${request.method}` } satisfies RpcError };
  }
  try {
    const result: unknown = await (method as (p: unknown) => Promise<unknown>).call(engine, request.params ?? null);
    if (name === "diff") return { jsonrpc: "2.0", id: request.id, result: await printDiff(result as DiffResult, cli) };
    return { jsonrpc: "2.0", id: request.id, result: result ?? null };
  } catch (error) {
    const failed = name === "applyMigrations" ? migrationFailure(error, lastScriptFailure) : undefined;
    return { jsonrpc: "2.0", id: request.id, error: toRpcError(failed ?? error, lastPanicMessage(), secrets) };
  }
}

interface DiffResult { exitCode: number; stdout: string | null }

/** The native engine prints a diff by asking the CLI to; the wasm build returns it instead. */
async function printDiff(result: DiffResult, cli: CliChannel): Promise<{ exitCode: number }> {
  if (result.stdout) await cli.request("print", { content: result.stdout.replace(/\n$/, "") });
  return { exitCode: result.exitCode };
}

function missingDatasourceAdapter(): never {
  throw new Error("no --datasource was given: set the datasource url in prisma.config.ts");
}

function isRequest(message: unknown): message is RpcRequest {
  const m = message as Partial<RpcRequest>;
  return typeof m?.method === "string" && typeof m.id === "number";
}

/** Both directions of the stdio channel, with our own outgoing requests' answers routed back. */
class CliChannel {
  private nextId = 1_000_000;
  private readonly waiting = new Map<number, (response: RpcResponse) => void>();
  private readonly lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  private readonly queue: unknown[] = [];
  private wake: (() => void) | undefined;
  private closed = false;

  constructor() {
    this.lines.on("line", (line) => {
      if (!line.trim()) return;
      const message = JSON.parse(line) as RpcResponse & { method?: string };
      if (message.method === undefined && this.waiting.has(message.id)) {
        this.waiting.get(message.id)?.(message);
        this.waiting.delete(message.id);
        return;
      }
      this.queue.push(message);
      this.wake?.();
    });
    this.lines.on("close", () => {
      this.closed = true;
      this.wake?.();
    });
  }

  async *messages(): AsyncGenerator<unknown> {
    for (;;) {
      const next = this.queue.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  respond(response: RpcResponse): void {
    process.stdout.write(`${JSON.stringify(response)}\n`);
  }

  request(method: string, params: unknown): Promise<RpcResponse> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    });
  }
}
