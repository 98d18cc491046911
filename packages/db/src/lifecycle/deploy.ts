import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import pg from "pg";
import { createDatabaseClient } from "../client.ts";
import { DataLayerError, UsageError } from "../errors.ts";
import { backupDatabase, type BackupResult } from "../maintenance/backup.ts";
import { validateDatabase, type ValidateReport } from "../maintenance/validate.ts";
import { MigrationError } from "../migrate/deploy.ts";
import { listMigrationDirectories, migrationState, type MigrationState } from "../migrate/history.ts";
import { prismaErrorText, runPrisma, type PrismaRun, type PrismaRunOptions } from "../migrate/prisma-cli.ts";
import { migrationUrl } from "../migrate/session-guard.ts";
import { migrationsDir as defaultMigrationsDir } from "../paths.ts";
import { runningScript } from "./committed.ts";
import { nodePgUrl } from "../url.ts";

export class MigrationLockBusyError extends DataLayerError {
  override name = "MigrationLockBusyError";
}

export interface DeployOptions {
  /** pg_dump the database first (`mmo backup`); the deploy does not start when it fails. */
  backup?: boolean;
  backupOut?: string | undefined;
  /** Run `validateDatabase` after the deploy. */
  validate?: boolean;
  onStep?: (text: string) => void;
  /** Another Prisma project (tests, fixtures); default: the repository's. */
  project?: PrismaProject;
}

/** A prisma.config.ts and the migrations directory it names. */
export interface PrismaProject {
  configPath: string;
  migrationsDir: string;
}

export function prismaOptions(project: PrismaProject | undefined): PrismaRunOptions {
  return project ? { configPath: project.configPath, cwd: dirname(project.configPath) } : {};
}

export interface DeployReport {
  backup: BackupResult | null;
  /** Migrations this run applied (from Prisma's own report, so concurrent runs never double-count). */
  applied: string[];
  state: MigrationState;
  validation: ValidateReport | null;
}

/** The migration names `prisma migrate deploy` lists under "The following migration(s) have been applied". */
export function appliedByRun(run: PrismaRun): string[] {
  return [...run.stdout.matchAll(/└─ (\d{14}_[^/\s]+)\/\s*$/gm)].map((m) => m[1] as string);
}

/**
 * Optional backup, then the real `prisma migrate deploy`, then status and optional validation.
 * A migration that fails leaves nothing of itself (each is one transaction) and is recorded as
 * failed in `_prisma_migrations`; `migrationRecovery` explains what to do next.
 */
export async function deployWithChecks(url: string, options: DeployOptions = {}): Promise<DeployReport> {
  const step = options.onStep ?? (() => undefined);
  let backup: BackupResult | null = null;
  if (options.backup) {
    const client = createDatabaseClient({ url, poolMax: 2, applicationName: "mmo migrate deploy (backup)" });
    try {
      step("backing up before deploying");
      backup = await backupDatabase(client.pool, url, { out: options.backupOut, onStep: step, onWarning: step });
    } catch (error) {
      throw new MigrationError(`backup failed, nothing was deployed: ${(error as Error).message}`);
    } finally {
      await client.close();
    }
  }
  step("running prisma migrate deploy");
  const run = await runPrisma(["migrate", "deploy"], await migrationUrl(url), prismaOptions(options.project));
  if (run.exitCode !== 0) {
    const text = prismaErrorText(run);
    if (/P1002/.test(text) && /advisory lock/i.test(text)) {
      throw new MigrationLockBusyError("another deploy (or rollback) holds Prisma's migration lock and did not finish within 10 s: this run applied nothing; run it again when the other one has finished");
    }
    throw new MigrationError(`${text.split("\n").filter(Boolean).slice(0, 6).join(" ")} (run \`mmo migrate status\` for the recovery)`);
  }
  const client = new pg.Client({ connectionString: nodePgUrl(url), application_name: "mmo migrate deploy" });
  await client.connect();
  try {
    const state = await migrationState(client, options.project?.migrationsDir);
    const validation = options.validate ? (step("validating"), await validateDatabase(client)) : null;
    return { backup, applied: appliedByRun(run), state, validation };
  } finally {
    await client.end();
  }
}

/**
 * `prisma migrate resolve`: record a failed migration as rolled back (to fix and deploy again) or as
 * applied. A name that is not a migration of the project, or not in a state the action applies to,
 * is a usage error (nothing changed), as with `mmo migrate down --to`.
 */
export async function resolveMigration(url: string, action: { rolledBack?: string | undefined; applied?: string | undefined }, project?: PrismaProject): Promise<void> {
  if (Boolean(action.rolledBack) === Boolean(action.applied)) throw new UsageError("pass exactly one of --rolled-back <migration> or --applied <migration>");
  const name = (action.rolledBack ?? action.applied) as string;
  const client = new pg.Client({ connectionString: nodePgUrl(url), application_name: "mmo migrate resolve" });
  await client.connect();
  try {
    const dirs = await listMigrationDirectories(project?.migrationsDir);
    if (!dirs.some((d) => d.name === name)) throw new UsageError(`${name} is not a migration of ${project?.migrationsDir ?? "prisma/migrations"} (see \`mmo migrate status\`)`);
    const state = await migrationState(client, project?.migrationsDir);
    if (action.rolledBack && !state.failed.includes(name)) throw new UsageError(`${name} has not failed: there is nothing to mark rolled back (see \`mmo migrate status\`)`);
    if (action.applied && state.applied.includes(name)) throw new UsageError(`${name} is already applied (see \`mmo migrate status\`)`);
    // A killed deploy's session still running it would make either answer wrong once it ends.
    const script = await readFile(join(project?.migrationsDir ?? defaultMigrationsDir, name, "migration.sql"), "utf8").catch(() => "");
    const running = script ? await runningScript(client, script) : null;
    if (running?.kind === "running") {
      throw new MigrationError(`${name} is still being applied by server session pid ${running.pid}: wait for it to end (or SELECT pg_terminate_backend(${running.pid});), then see \`mmo migrate status\`; nothing was changed`);
    }
    // Rows rolled back by an older `mmo migrate down` kept finished_at, which makes Prisma refuse
    // `--applied` (P3008); clear it as `down` now does (see MARK_ROLLED_BACK in migrate/rollback.ts).
    if (action.applied) await client.query("UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = $1 AND rolled_back_at IS NOT NULL AND finished_at IS NOT NULL", [name]);
  } finally {
    await client.end();
  }
  const args = action.rolledBack ? ["--rolled-back", name] : ["--applied", name];
  const run = await runPrisma(["migrate", "resolve", ...args], url, prismaOptions(project));
  if (run.exitCode !== 0) throw new MigrationError(prismaErrorText(run).split("\n").filter(Boolean).slice(0, 4).join(" "));
}
