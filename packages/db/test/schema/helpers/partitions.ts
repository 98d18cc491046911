import { randomUUID } from "node:crypto";
import type pg from "pg";
import { insertRow, qualified } from "./sql.ts";

/** The managed tables and their granularity as documented (docs/maintenance-functions.md). */
export const GRANULARITY = {
  character_positions: "day",
  combat_log: "month",
  analytics_events: "month",
  audit_log: "month",
  performance_metrics: "month",
} as const;
export type LogTable = keyof typeof GRANULARITY;
export const LOG_TABLES = Object.keys(GRANULARITY) as LogTable[];

const pad = (n: number) => String(n).padStart(2, "0");

/** Expected partition name, computed here independently of maint.partition_name: UTC period start. */
export function partitionName(table: LogTable, ts: Date): string {
  const ym = `${ts.getUTCFullYear()}_${pad(ts.getUTCMonth() + 1)}`;
  return GRANULARITY[table] === "day" ? `${table}_p${ym}_${pad(ts.getUTCDate())}` : `${table}_p${ym}`;
}

export const DAY_MS = 86_400_000;
export const addDays = (ts: Date, days: number) => new Date(ts.getTime() + days * DAY_MS);
export const addMonths = (ts: Date, months: number) => {
  const d = new Date(ts);
  d.setUTCDate(1); // no month overflow (31 Jan + 1 month)
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
};

/** A valid row of the table at that instant; keys are random so rows never collide. */
export function logRow(table: LogTable, ts: Date | string): Record<string, unknown> {
  const timestamp = typeof ts === "string" ? ts : ts.toISOString();
  switch (table) {
    case "character_positions":
      return { character_id: randomUUID(), timestamp, position_x: 1, position_y: 2, position_z: 3, rotation_yaw: 0, zone_id: 1, instance_id: "i1" };
    case "combat_log":
      return { timestamp, source_id: randomUUID(), action_type: "hit", amount: 10, zone_id: 1, instance_id: "i1" };
    case "analytics_events":
      return { timestamp, event_type: "login", event_data: "{}" };
    case "audit_log":
      return { timestamp, action: "update", resource_type: "character" };
    case "performance_metrics":
      return { timestamp, server_id: randomUUID(), metric_type: "cpu", metric_value: 0.5 };
  }
}

/** Inserts one row and returns the partition PostgreSQL routed it to. */
export async function insertRouted(db: pg.Pool | pg.ClientBase, table: LogTable, ts: Date | string): Promise<string> {
  const { text, values } = insertRow(table, logRow(table, ts));
  const { rows } = await db.query<{ part: string }>(`${text} RETURNING tableoid::regclass::text AS part`, values);
  return rows[0]!.part;
}

export interface PartitionInfo {
  partition_name: string;
  is_default: boolean;
  range_from: Date | null;
  range_to: Date | null;
}

export async function listPartitions(db: pg.Pool, table: string): Promise<PartitionInfo[]> {
  const { rows } = await db.query<PartitionInfo>(
    `SELECT "partition_name", "is_default", "range_from", "range_to" FROM maint.list_partitions($1) ORDER BY "is_default", "range_from"`,
    [table],
  );
  return rows;
}

/** Exact rows per partition of a table (including DEFAULT), by tableoid. */
export async function rowsByPartition(db: pg.Pool, table: LogTable): Promise<Map<string, number>> {
  const { rows } = await db.query<{ part: string; n: string }>(
    `SELECT tableoid::regclass::text AS part, count(*) AS n FROM ${qualified(table)} GROUP BY 1`,
  );
  return new Map(rows.map((r) => [r.part, Number(r.n)]));
}
