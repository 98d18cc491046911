/** The CLI's exit codes (README "Exit codes"). */
export const EXIT = {
  OK: 0,
  /** The operation failed (database error, unreachable server, missing tool). */
  FAILED: 1,
  /** Bad usage: unknown command or flag, malformed value, unknown table. Nothing was changed. */
  USAGE: 2,
  /** The command ran and found problems (validate, health, status). */
  PROBLEMS: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
