/**
 * PostgreSQL COPY text format (https://www.postgresql.org/docs/current/sql-copy.html, "Text
 * Format"): columns separated by TAB, rows by LF, NULL as \N, and backslash, TAB, LF and CR inside a
 * value written as \\, \t, \n, \r. Only values that can contain those characters go through
 * `text()`; numbers, UUIDs and ISO timestamps are safe as they are and skip the scan.
 */
const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const REPLACEMENT: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

export const NULL = "\\N";

export function text(value: string): string {
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => REPLACEMENT[c]!) : value;
}

export function nullableText(value: string | null | undefined): string {
  return value == null ? NULL : text(value);
}

/** JSON/JSONB: JSON.stringify already escapes control characters; COPY then escapes its backslashes. */
export function json(value: unknown): string {
  return text(JSON.stringify(value));
}

export function nullableJson(value: unknown): string {
  return value === null || value === undefined ? NULL : json(value);
}

export function bool(value: boolean): string {
  return value ? "t" : "f";
}

const pad2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const pad3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
/** "YYYY-MM-DDT" per day number; time series revisit the same few thousand days, so keep them all. */
const dayPrefixes = new Map<number, string>();
const MAX_CACHED_DAYS = 1 << 17;

function dayPrefix(day: number): string {
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
    if (dayPrefixes.size < MAX_CACHED_DAYS) dayPrefixes.set(day, prefix);
  }
  return prefix;
}

/**
 * UTC ISO-8601 with milliseconds, like Date#toISOString but without allocating a Date: the
 * "YYYY-MM-DDT" prefix of each day is computed once (the profiler put a Date per row at a third of
 * the inventory generator's time), the time of day from lookup tables.
 */
export function timestamp(ms: number): string {
  const t = Math.floor(ms);
  const day = Math.floor(t / 86_400_000);
  let rest = t - day * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  return `${dayPrefix(day)}${pad2[h]}:${pad2[m]}:${pad2[sec]}.${pad3[rest - sec * 1000]}Z`;
}

export function nullableTimestamp(ms: number | null): string {
  return ms === null ? NULL : timestamp(ms);
}

/** bytea in hex form; the backslash of `\x` is itself escaped for COPY. */
export function byteaHex(hex: string): string {
  return `\\\\x${hex}`;
}

/**
 * A one-dimensional array literal ({a,"b c",NULL}) then escaped for COPY. Every non-null element is
 * double-quoted with " and \ backslash-escaped, which is always valid whatever the content.
 */
export function array(values: ReadonlyArray<string | number | boolean | null>): string {
  const parts = values.map((v) => {
    if (v === null) return "NULL";
    if (typeof v === "number") return String(v);
    if (typeof v === "boolean") return v ? "t" : "f";
    return `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  });
  return text(`{${parts.join(",")}}`);
}

/** One COPY line from already-encoded fields. */
export function row(fields: readonly string[]): string {
  return `${fields.join("\t")}\n`;
}
