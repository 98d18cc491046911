import { CronExpressionParser } from "cron-parser";
import { UsageError } from "../errors.ts";

/**
 * pg_cron 1.4 takes five-field cron syntax in UTC (and '[1-59] seconds', which maint.cron_jobs does
 * not use). Throws UsageError for anything else.
 */
export function validateCronSchedule(schedule: string): void {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) throw new UsageError(`invalid cron schedule "${schedule}": expected five fields (minute hour day-of-month month day-of-week)`);
  try {
    CronExpressionParser.parse(schedule, { tz: "UTC", strict: false });
  } catch (error) {
    throw new UsageError(`invalid cron schedule "${schedule}": ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Whether the schedule fires in (after, until]: the job became due since it last ran. */
export function cronFiredBetween(schedule: string, after: Date, until: Date): boolean {
  const next = CronExpressionParser.parse(schedule, { tz: "UTC", currentDate: after }).next().toDate();
  return next.getTime() <= until.getTime();
}

/** The schedule's latest firing at or before `at` (pg_cron fires at whole minutes, in UTC). */
export function latestFiring(schedule: string, at: Date): Date {
  return CronExpressionParser.parse(schedule, { tz: "UTC", currentDate: new Date(at.getTime() + 1) }).prev().toDate();
}

/** The longest wait between two firings seen over the next `samples` firings after `at` (ms). */
export function longestGap(schedule: string, at: Date, samples = 32): number {
  const expr = CronExpressionParser.parse(schedule, { tz: "UTC", currentDate: at });
  let previous = expr.next().getTime();
  let longest = 0;
  for (let i = 0; i < samples; i++) {
    const next = expr.next().getTime();
    longest = Math.max(longest, next - previous);
    previous = next;
  }
  return longest;
}
