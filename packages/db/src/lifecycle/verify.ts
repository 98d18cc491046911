import pg from "pg";
import { diffFingerprints, schemaFingerprint, type SchemaFingerprint } from "../migrate/fingerprint.ts";
import { prismaErrorText } from "../migrate/prisma-cli.ts";
import { rollbackMigrations } from "../migrate/rollback.ts";
import { migrationsDir as defaultMigrationsDir } from "../paths.ts";
import { createScratchDatabase, steppedHistory } from "./scratch.ts";
import { nodePgUrl } from "../url.ts";

export interface VerifyStep {
  name: string;
  ok: boolean;
  /** What went wrong, when not ok: "apply", "rollback" (down.sql failed), "restore" (schema after down.sql differs), "reapply". */
  stage?: "apply" | "rollback" | "restore" | "reapply";
  message?: string;
  /** Fingerprint lines only before ("-") or only after ("+"). */
  diff: string[];
}

export interface VerifyReport {
  ok: boolean;
  steps: VerifyStep[];
}

/** The schema without Prisma's bookkeeping table, which rollbacks keep. */
async function fingerprint(client: pg.Client): Promise<SchemaFingerprint> {
  const full = await schemaFingerprint(client);
  const lines = full.lines.filter((l) => !l.includes("_prisma_migrations"));
  return { hash: lines.join("\n"), lines };
}

/**
 * The round-trip check users run on their own migrations: on a scratch database of the server at
 * `url`, apply the history one migration at a time with the real `prisma migrate deploy`; after
 * each, roll it back with its down.sql (the schema must be exactly what it was before), then apply
 * it again (exactly what it was after). Stops at the first failing step.
 */
export async function verifyMigrations(url: string, options: { migrationsDir?: string; onStep?: (text: string) => void } = {}): Promise<VerifyReport> {
  const history = await steppedHistory(options.migrationsDir ?? defaultMigrationsDir);
  const scratch = await createScratchDatabase(url, "mmo_verify");
  const client = new pg.Client({ connectionString: nodePgUrl(scratch.url), application_name: "mmo migrate verify" });
  const steps: VerifyStep[] = [];
  try {
    await client.connect();
    let before = await fingerprint(client);
    for (const [i, name] of history.names.entries()) {
      options.onStep?.(`${i + 1}/${history.names.length} ${name}`);
      const fail = (stage: VerifyStep["stage"], message: string, diff: string[] = []) => steps.push({ name, ok: false, stage, message, diff });
      const apply = await history.deployFirst(i + 1, scratch.url);
      if (apply.exitCode !== 0) {
        fail("apply", prismaErrorText(apply));
        break;
      }
      const after = await fingerprint(client);
      try {
        await rollbackMigrations(scratch.url, { steps: 1, migrationsDir: history.migrationsDir });
      } catch (error) {
        fail("rollback", (error as Error).message);
        break;
      }
      const restored = diffFingerprints(before, await fingerprint(client));
      if (restored.length) {
        fail("restore", `down.sql does not restore the schema before ${name}: ${restored.length} difference(s)`, restored);
        break;
      }
      const again = await history.deployFirst(i + 1, scratch.url);
      const reapplied = again.exitCode === 0 ? diffFingerprints(after, await fingerprint(client)) : [];
      if (again.exitCode !== 0 || reapplied.length) {
        fail("reapply", again.exitCode !== 0 ? prismaErrorText(again) : `re-applying ${name} gives another schema`, reapplied);
        break;
      }
      steps.push({ name, ok: true, diff: [] });
      before = after;
    }
    return { ok: steps.length === history.names.length && steps.every((s) => s.ok), steps };
  } finally {
    await client.end().catch(() => undefined);
    await scratch.drop();
    await history.remove();
  }
}
