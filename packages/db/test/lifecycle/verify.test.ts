import { afterAll, describe, expect, it } from "vitest";
import { verifyMigrations } from "../../src/index.ts";
import { testServer } from "../../src/testing/index.ts";
import { down, fixtureProject, TIMEOUTS, type FixtureProject } from "./helpers.ts";

/** `migrate verify`: the round trip on a scratch database, catching a down.sql that forgets an index. */
const T = "20270101000000_create_widgets";
const I = "20270102000000_index_widget_names";
const projects: FixtureProject[] = [];
afterAll(async () => Promise.all(projects.map((p) => p.remove())));

async function history(indexDown: string) {
  const project = await fixtureProject({
    [T]: { up: `${TIMEOUTS}CREATE TABLE widgets (id bigint PRIMARY KEY, name text);\n`, down: down(T, "all widgets", "DROP TABLE widgets;") },
    [I]: { up: `${TIMEOUTS}CREATE INDEX widgets_name ON widgets (name);\nCOMMENT ON TABLE widgets IS 'indexed';\n`, down: down(I, "none", indexDown) },
  });
  projects.push(project);
  return project;
}

describe("verifyMigrations", () => {
  it("passes a history whose down.sql files restore the schema exactly", async () => {
    const project = await history("DROP INDEX widgets_name;\nCOMMENT ON TABLE widgets IS NULL;");
    const report = await verifyMigrations(testServer().adminUrl, { migrationsDir: project.migrationsDir });
    expect(report).toEqual({ ok: true, steps: [T, I].map((name) => ({ name, ok: true, diff: [] })) });
  });

  it("catches a down.sql that forgets to drop an index", async () => {
    const project = await history("COMMENT ON TABLE widgets IS NULL;");
    const report = await verifyMigrations(testServer().adminUrl, { migrationsDir: project.migrationsDir });
    expect(report.ok).toBe(false);
    const failed = report.steps.at(-1);
    expect(failed).toMatchObject({ name: I, ok: false, stage: "restore" });
    expect(failed?.diff).toEqual(["+ index: CREATE INDEX widgets_name ON public.widgets USING btree (name)"]);
  });
});
