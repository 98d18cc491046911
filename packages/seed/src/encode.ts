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
let cachedDay = Number.NaN;
let cachedPrefix = "";

/**
 * UTC ISO-8601 with milliseconds, like Date#toISOString but without allocating a Date for the
 * date part: consecutive rows mostly share the day, whose "YYYY-MM-DDT" prefix is cached.
 */
export function timestamp(ms: number): string {
  const t = Math.floor(ms);
  const day = Math.floor(t / 86_400_000);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  let rest = t - day * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  return `${cachedPrefix}${pad2[h]}:${pad2[m]}:${pad2[sec]}.${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}Z`;
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
