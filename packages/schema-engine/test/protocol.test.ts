import { describe, expect, it } from "vitest";
import { parseEngineArgs } from "../src/args.ts";
import { locateInScript } from "../src/errors.ts";
import { redact } from "../src/log.ts";
import { migrationFailure, toRpcError } from "../src/rpc-errors.ts";

describe("engine arguments, as the Prisma CLI passes them", () => {
  it("reads RPC mode with repeated --datamodels and a datasource", () => {
    const inv = parseEngineArgs(["--datamodels", "a.prisma", "--datamodels", "b.prisma", "--datasource", '{"url":"postgresql://u@h/db"}']);
    expect(inv).toEqual({ mode: "rpc", datamodelPaths: ["a.prisma", "b.prisma"], datasource: { url: "postgresql://u@h/db" } });
  });

  it("reads CLI mode commands", () => {
    const inv = parseEngineArgs(["--datasource", '{"url":"postgresql://u@h/db","shadowDatabaseUrl":"postgresql://u@h/s"}', "cli", "create-database"]);
    expect(inv).toEqual({ mode: "cli", command: "create-database", datasource: { url: "postgresql://u@h/db", shadowDatabaseUrl: "postgresql://u@h/s" } });
  });

  it("rejects an unknown CLI command and a datasource without url", () => {
    expect(() => parseEngineArgs(["--datasource", '{"url":"x"}', "cli", "explode"])).toThrow(/unknown engine CLI command/);
    expect(() => parseEngineArgs(["--datasource", "{}"])).toThrow(/string `url`/);
  });
});

describe("error reporting", () => {
  it("points at the line and column of a failing statement", () => {
    const script = "CREATE TABLE a (id int);\nSELEC 1;\n";
    expect(locateInScript(script, "26")).toBe("at line 2, column 1:\n  SELEC 1;\n  ^");
    expect(locateInScript(script, undefined)).toBeUndefined();
  });

  it("rebuilds P3018 from the connector error and the database error", () => {
    const error = new Error('external connector error\n   0: apply_script\n           with migration_name="20250101_x"');
    const failure = migrationFailure(error, { code: "42601", message: 'ERROR: syntax error at or near "SELEC"' });
    expect(failure?.error_code).toBe("P3018");
    expect(failure?.message).toContain("Migration name: 20250101_x");
    expect(failure?.message).toContain("Database error code: 42601");
  });

  it("passes known error codes through and strips the span trace", () => {
    const error = Object.assign(new Error("migrate found failed migrations\n   0: schema_engine::x\n             at a.rs:1"), { code: "P3009" });
    const rpc = toRpcError(error, "", []);
    expect(rpc.data).toEqual({ is_panic: false, message: "migrate found failed migrations", error_code: "P3009" });
  });

  it("never lets a password through", () => {
    expect(redact("cannot connect to postgresql://app:hunter2@db:5432/x")).toBe("cannot connect to postgresql://app:<REDACTED>@db:5432/x");
    expect(redact("token abc in text", "abc")).toBe("token <REDACTED> in text");
  });
});
