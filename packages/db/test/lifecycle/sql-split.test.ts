import { describe, expect, it } from "vitest";
import { splitStatements } from "../../src/index.ts";

describe("splitStatements", () => {
  it("splits on top-level semicolons only, with 1-based start lines", () => {
    const sql = [
      "-- a comment; not a statement",
      "SET LOCAL lock_timeout = '2s';",
      "/* block; /* nested; */ still */ CREATE TABLE \"a;b\" (x text DEFAULT 'x;y' || E'\\';');",
      "",
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$ BEGIN RETURN 1; END $fn$;",
      "DO $$ BEGIN PERFORM 1; END $$",
    ].join("\n");
    const statements = splitStatements(sql);
    expect(statements.map((s) => s.line)).toEqual([2, 3, 5, 6]);
    expect(statements[1]?.code).toBe("CREATE TABLE \"a;b\" (x text DEFAULT 'x;y' || E'\\';')");
    expect(statements[2]?.code).toMatch(/^CREATE FUNCTION .* \$fn\$$/);
  });

  it("drops comment-only statements", () => {
    expect(splitStatements("-- nothing\n/* here */;\n;")).toEqual([]);
  });
});
