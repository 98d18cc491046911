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
