import { describe, expect, it } from "vitest";
import { createdObjects } from "../../src/index.ts";

/** What status looks for to tell whether a failed migration committed after all (see deploy-killed.test.ts). */
describe("createdObjects", () => {
  it("lists what a script creates outright, in the schema it lands in", () => {
    const script = `SET LOCAL lock_timeout = '2s';
CREATE TABLE "maint"."job_runs" (id int);
CREATE UNIQUE INDEX job_runs_name ON "maint"."job_runs" (id);
CREATE INDEX CONCURRENTLY characters_title_idx ON characters (title);
ALTER TABLE characters ADD COLUMN title text, ADD COLUMN subtitle text;
ALTER TABLE ONLY characters ADD CONSTRAINT characters_title_check CHECK (title <> '');
CREATE MATERIALIZED VIEW guild_top AS SELECT 1;
CREATE FUNCTION maint.do_it(p int) RETURNS int LANGUAGE sql AS $$ SELECT 1; CREATE TABLE not_this(); $$;
CREATE SCHEMA archive;
CREATE TYPE mood AS ENUM ('calm');
-- created only if missing, or replaced: they prove nothing
CREATE TABLE IF NOT EXISTS maybe (id int);
CREATE OR REPLACE FUNCTION maint.again() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE INDEX IF NOT EXISTS maybe_idx ON maybe (id);
`;
    expect(createdObjects(script).map((o) => o.what)).toEqual([
      'table "maint"."job_runs"',
      'index "maint".job_runs_name',
      "index characters_title_idx",
      "column characters.title",
      "view guild_top",
      "function maint.do_it",
      "schema archive",
      "type mood",
    ]);
  });
});
