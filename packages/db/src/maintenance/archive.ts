import type { ParsedInterval } from "./interval.ts";
import type { Queryable } from "./sql.ts";
import { sandboxed } from "./sandbox.ts";
import { num } from "./sql.ts";

export interface ArchiveOptions {
  olderThan: ParsedInterval;
  batch: number;
  dryRun?: boolean;
  /** Called after each committed batch with the running total. */
  onBatch?: (progress: { archived: number; total: number; batch: number }) => void;
  /** Stops between batches; every committed batch stays committed. */
  signal?: AbortSignal;
}

export interface ArchiveResult {
  olderThan: string;
  dryRun: boolean;
  /** Characters eligible when the run started. */
  eligible: number;
  archived: number;
  batches: number;
  interrupted: boolean;
}

/**
 * Calls maint.archive_deleted_characters (the function pg_cron's mmo-archive-characters job calls)
 * batch after batch until it returns 0. Each call is its own transaction and moves each character
 * exactly once, so an interrupted run simply continues on the next.
 */
export async function archiveCharacters(db: Queryable, options: ArchiveOptions): Promise<ArchiveResult> {
  // For progress and --dry-run: maint.archivable_characters has the archive function's predicate.
  const eligible = num((await db.query<{ n: string }>("SELECT maint.archivable_characters($1::interval) AS n", [options.olderThan.text])).rows[0]?.n);
  const result: ArchiveResult = { olderThan: options.olderThan.text, dryRun: Boolean(options.dryRun), eligible, archived: 0, batches: 0, interrupted: false };
  if (options.dryRun) return result;
  for (;;) {
    if (options.signal?.aborted) {
      result.interrupted = true;
      break;
    }
    // In the job sandbox (as mmo_maint), like pg_cron's mmo-archive-characters.
    const rows = await sandboxed<{ archive_deleted_characters: number }>(
      db,
      "SELECT format('SELECT maint.archive_deleted_characters(%L::interval, %s)', $1::text, $2::integer) AS command",
      [options.olderThan.text, options.batch],
    );
    const moved = rows[0]?.archive_deleted_characters ?? 0;
    if (moved === 0) break;
    result.archived += moved;
    result.batches += 1;
    options.onBatch?.({ archived: result.archived, total: Math.max(eligible, result.archived), batch: result.batches });
  }
  return result;
}
