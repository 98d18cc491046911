import { splitStatements, type SqlStatement } from "./sql-split.ts";

/** The checks squawk cannot make: they are about the migration directory, not one SQL file. */
export const MMO_LINT_RULES = {
  "down-sql-required": "every migration has a down.sql, so `mmo migrate down` can undo it",
  "down-sql-header": "down.sql starts with `-- Rollback of <directory>` and a `-- Data loss: <what, or none>` line",
  "destructive-down-declared": "a down.sql that drops tables or columns, truncates or deletes declares its data loss (not \"none\")",
  "non-transactional-alone": "a statement that cannot run in a transaction (CREATE INDEX CONCURRENTLY, …) is the only statement of its migration",
  "migration-name": "the directory is named <yyyymmddhhmmss>_<lower_snake_case>",
} as const;

export type MmoRule = keyof typeof MMO_LINT_RULES;

export interface RuleFinding {
  rule: MmoRule;
  file: "migration.sql" | "down.sql" | "";
  line: number | null;
  message: string;
}

/** Statements PostgreSQL refuses inside a transaction block (a multi-statement query is one). */
const NON_TRANSACTIONAL = [
  /^(CREATE (UNIQUE )?INDEX|DROP INDEX|REINDEX\b.*) CONCURRENTLY\b/i,
  /^REINDEX (\(.*\) )?(SYSTEM|DATABASE)\b/i,
  /^ALTER TABLE .* DETACH PARTITION .* CONCURRENTLY\b/i,
  /^(VACUUM|CREATE DATABASE|DROP DATABASE|ALTER SYSTEM|CREATE TABLESPACE|DROP TABLESPACE|CREATE SUBSCRIPTION|DROP SUBSCRIPTION)\b/i,
];

const DESTRUCTIVE = [/^DROP TABLE\b/i, /^ALTER TABLE\b.*\bDROP (COLUMN\b|(?!CONSTRAINT\b|DEFAULT\b|NOT NULL\b|EXPRESSION\b|IDENTITY\b)"?\w)/i, /^TRUNCATE\b/i, /^DELETE FROM\b/i, /^DROP SCHEMA\b.*\bCASCADE\b/i];

export function isNonTransactional(statement: SqlStatement): boolean {
  return NON_TRANSACTIONAL.some((re) => re.test(statement.code));
}

/** Whether the migration is a lone non-transactional statement (Prisma runs it outside a transaction). */
export function isLoneNonTransactional(sql: string): boolean {
  const statements = splitStatements(sql);
  return statements.length === 1 && isNonTransactional(statements[0] as SqlStatement);
}

export function checkName(name: string): RuleFinding[] {
  return /^\d{14}_[a-z0-9]+(_[a-z0-9]+)*$/.test(name)
    ? []
    : [{ rule: "migration-name", file: "", line: null, message: `"${name}" is not <yyyymmddhhmmss>_<lower_snake_case> (create migrations with \`mmo migrate new <name>\`)` }];
}

export function checkMigrationSql(sql: string): RuleFinding[] {
  const statements = splitStatements(sql);
  if (statements.length < 2) return [];
  return statements.filter(isNonTransactional).map((s) => ({
    rule: "non-transactional-alone" as const,
    file: "migration.sql" as const,
    line: s.line,
    message: `\`${s.code.slice(0, 60)}…\` cannot run inside a transaction, and Prisma applies this file (${statements.length} statements) as one: move it alone into a migration of its own, with no SET lines`,
  }));
}

export function checkDownSql(name: string, down: string | undefined): RuleFinding[] {
  if (down === undefined) return [{ rule: "down-sql-required", file: "down.sql", line: null, message: `${name} has no down.sql: \`mmo migrate down\` could not undo it (create one, even if it only says why nothing is undone)` }];
  const findings: RuleFinding[] = [];
  const header = /^--\s*Rollback of\s+(\S+)\s*$/m.exec(down);
  const loss = /^--\s*Data loss:\s*(.*?)\s*$/m.exec(down);
  if (!header || header[1] !== name) findings.push({ rule: "down-sql-header", file: "down.sql", line: 1, message: `down.sql must say \`-- Rollback of ${name}\`${header ? ` (it names ${header[1]})` : ""}` });
  if (!loss || !loss[1] || loss[1].startsWith("<")) findings.push({ rule: "down-sql-header", file: "down.sql", line: 1, message: "down.sql must declare `-- Data loss: <what is destroyed, or none>` (fill in the template's line)" });
  const destructive = splitStatements(down).filter((s) => DESTRUCTIVE.some((re) => re.test(s.code)));
  if (loss?.[1] && /^none\b/i.test(loss[1]) && destructive.length) {
    const first = destructive[0] as SqlStatement;
    findings.push({
      rule: "destructive-down-declared",
      file: "down.sql",
      line: first.line,
      message: `down.sql says "Data loss: none" but destroys data: ${destructive.map((s) => `\`${s.code.slice(0, 50)}\` (line ${s.line})`).join(", ")}`,
    });
  }
  return findings;
}
