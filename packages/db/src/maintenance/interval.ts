import { UsageError } from "../errors.ts";

/** A duration given on the command line, normalised to PostgreSQL interval text. */
export interface ParsedInterval {
  /** PostgreSQL interval text, e.g. "90 days"; always passed to SQL as a `$n::interval` parameter. */
  text: string;
  /** Length in milliseconds (a month counts 30 days, a year 365), for timers and display. */
  ms: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const SHORT: Record<string, { unit: string; ms: number }> = {
  s: { unit: "second", ms: SECOND },
  m: { unit: "minute", ms: MINUTE },
  h: { unit: "hour", ms: HOUR },
  d: { unit: "day", ms: DAY },
  w: { unit: "week", ms: 7 * DAY },
};

const LONG: Record<string, { unit: string; ms: number }> = {};
for (const [names, unit, ms] of [
  [["s", "sec", "secs", "second", "seconds"], "second", SECOND],
  [["m", "min", "mins", "minute", "minutes"], "minute", MINUTE],
  [["h", "hr", "hrs", "hour", "hours"], "hour", HOUR],
  [["d", "day", "days"], "day", DAY],
  [["w", "week", "weeks"], "week", 7 * DAY],
  [["mon", "mons", "month", "months"], "month", 30 * DAY],
  [["y", "year", "years"], "year", 365 * DAY],
] as const) {
  for (const name of names) LONG[name] = { unit, ms };
}

const EXPECTED = "expected a duration such as 30s, 5m, 2h, 90d, 1w or PostgreSQL interval text such as '90 days'";

/**
 * Parses `30s`, `5m`, `2h`, `90d`, `1w` and PostgreSQL interval text made of `<number> <unit>`
 * pairs (`90 days`, `1 day 12 hours`). Anything else is a UsageError: the text never reaches SQL
 * unless it has this shape, and even then only as a parameter.
 */
export function parseInterval(input: string): ParsedInterval {
  const value = input.trim().toLowerCase();
  if (value.length === 0 || value.length > 64) throw new UsageError(`invalid interval "${input.slice(0, 64)}": ${EXPECTED}`);
  const short = /^(\d{1,6})([smhdw])$/.exec(value);
  if (short) {
    const n = Number(short[1]);
    const unit = SHORT[short[2] as string]!;
    return { text: plural(n, unit.unit), ms: n * unit.ms };
  }
  const parts: string[] = [];
  let ms = 0;
  const seen = new Set<string>();
  const pair = /(\d{1,6})\s*([a-z]+)\s*/y;
  let match: RegExpExecArray | null;
  while (pair.lastIndex < value.length && (match = pair.exec(value))) {
    const unit = LONG[match[2] as string];
    if (!unit || seen.has(unit.unit)) throw new UsageError(`invalid interval "${input}": ${EXPECTED}`);
    seen.add(unit.unit);
    const n = Number(match[1]);
    parts.push(plural(n, unit.unit));
    ms += n * unit.ms;
  }
  if (parts.length === 0 || pair.lastIndex !== value.length) throw new UsageError(`invalid interval "${input}": ${EXPECTED}`);
  return { text: parts.join(" "), ms };
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}
