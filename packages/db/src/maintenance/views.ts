import { UsageError } from "../errors.ts";
import type { Queryable } from "./sql.ts";

export interface RefreshedView {
  view: string;
  mode: string;
  ms: number;
}

/**
 * maint.refresh_rankings, the function pg_cron's mmo-refresh-rankings job calls. It refreshes every
 * ranking view; when a name is given it must be one of them. A `p_view` argument, when the schema
 * has one, limits the refresh to that view.
 */
export async function refreshViews(db: Queryable, options: { name?: string | undefined; concurrently?: boolean } = {}): Promise<{ views: RefreshedView[]; onlyRequested: boolean }> {
  const concurrently = options.concurrently ?? true;
  const known = await db.query<{ matviewname: string }>("SELECT matviewname FROM pg_matviews WHERE schemaname = 'public' ORDER BY matviewname");
  const names = known.rows.map((r) => r.matviewname);
  if (options.name !== undefined && !names.includes(options.name)) {
    throw new UsageError(`unknown materialized view "${options.name}": known views are ${names.join(", ") || "(none)"}`);
  }
  const perView = options.name !== undefined && (await hasViewArgument(db));
  const { rows } = perView
    ? await db.query<{ view_name: string; refresh_mode: string; ms: number }>(
        "SELECT view_name, refresh_mode, extract(epoch FROM duration) * 1000 AS ms FROM maint.refresh_rankings(p_concurrently => $1, p_view => $2)",
        [concurrently, options.name],
      )
    : await db.query<{ view_name: string; refresh_mode: string; ms: number }>("SELECT view_name, refresh_mode, extract(epoch FROM duration) * 1000 AS ms FROM maint.refresh_rankings($1)", [concurrently]);
  const views = rows.map((r) => ({ view: r.view_name, mode: r.refresh_mode, ms: Number(r.ms) }));
  if (options.name !== undefined && !views.some((v) => v.view === options.name)) {
    throw new UsageError(`materialized view "${options.name}" is not refreshed by maint.refresh_rankings`);
  }
  return { views, onlyRequested: perView || options.name === undefined };
}

async function hasViewArgument(db: Queryable): Promise<boolean> {
  const { rowCount } = await db.query(
    "SELECT 1 FROM pg_proc WHERE oid = ANY (SELECT oid FROM pg_proc WHERE proname = 'refresh_rankings' AND pronamespace = 'maint'::regnamespace) AND 'p_view' = ANY (proargnames)",
  );
  return Boolean(rowCount);
}
