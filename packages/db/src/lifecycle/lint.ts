import { readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "../errors.ts";
import { listMigrationDirectories } from "../migrate/history.ts";
import { migrationsDir as defaultMigrationsDir, repoRoot } from "../paths.ts";
import { checkDownSql, checkMigrationSql, checkName, isLoneNonTransactional } from "./lint-rules.ts";
import { runSquawk, squawkConfigPath } from "./squawk.ts";

export interface LintFinding {
  migration: string;
  file: "migration.sql" | "down.sql" | "";
  line: number | null;
  /** squawk's rule name, or one of MMO_LINT_RULES. */
  rule: string;
  source: "squawk" | "mmo";
  message: string;
}

export interface LintReport {
  migrations: string[];
  findings: LintFinding[];
}

export interface LintOptions {
  migrationsDir?: string;
  /** Directory names (or paths) to lint; all of them when absent. */
  only?: string[];
  squawkConfig?: string;
}

/** squawk's timeout rules cannot be met by a lone CONCURRENTLY statement: a SET would make the file a transaction. */
const NOT_APPLICABLE_WHEN_LONE = new Set(["require-lock-timeout", "require-statement-timeout"]);

/**
 * Lints migrations: squawk over each migration.sql (with the checked-in .squawk.toml; waivers are
 * `-- squawk-ignore <rule>` comments beside the statement, with the reason above them), then the
 * rules squawk cannot check (MMO_LINT_RULES). down.sql files are rollbacks, destructive by design,
 * so only mmo's rules apply to them.
 */
export async function lintMigrations(options: LintOptions = {}): Promise<LintReport> {
  const dir = options.migrationsDir ?? defaultMigrationsDir;
  const all = await listMigrationDirectories(dir);
  const wanted = options.only?.map((o) => basename(resolve(o)));
  const unknown = wanted?.filter((w) => !all.some((m) => m.name === w)) ?? [];
  if (unknown.length) throw new UsageError(`no migration directory ${unknown.join(", ")} in ${dir}`);
  const selected = wanted ? all.filter((m) => wanted.includes(m.name)) : all;
  const findings: LintFinding[] = [];
  const lone = new Set<string>();
  for (const m of selected) {
    const sql = await readFile(join(m.path, "migration.sql"), "utf8").catch(() => undefined);
    const down = m.hasDown ? await readFile(join(m.path, "down.sql"), "utf8") : undefined;
    const own = [...checkName(m.name), ...(sql === undefined ? [] : checkMigrationSql(sql)), ...checkDownSql(m.name, down)];
    if (sql === undefined) findings.push({ migration: m.name, file: "migration.sql", line: null, rule: "migration-sql-required", source: "mmo", message: "the directory has no migration.sql" });
    else if (isLoneNonTransactional(sql)) lone.add(m.name);
    findings.push(...own.map((f) => ({ migration: m.name, source: "mmo" as const, ...f })));
  }
  const files = selected.map((m) => join(m.path, "migration.sql"));
  const violations = await runSquawk(files.filter((f) => !findings.some((x) => x.rule === "migration-sql-required" && f.includes(x.migration))), options.squawkConfig ?? squawkConfigPath);
  for (const v of violations) {
    const migration = basename(dirname(resolve(repoRoot, v.file)));
    if (lone.has(migration) && NOT_APPLICABLE_WHEN_LONE.has(v.rule)) continue;
    findings.push({ migration, file: "migration.sql", line: v.line, rule: v.rule, source: "squawk", message: v.help ? `${v.message} ${v.help}` : v.message });
  }
  findings.sort((a, b) => a.migration.localeCompare(b.migration) || a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  return { migrations: selected.map((m) => m.name), findings };
}
