import { describeTarget } from "./connection.ts";

export interface PrismaKnownError {
  code: string;
  message: string;
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET"]);

/**
 * Maps a connection-time failure to the Prisma error code and wording the native engine uses, so
 * the stock CLI prints its usual message (P1001 and friends) instead of a stack trace.
 */
export function connectionError(error: unknown, url: string): PrismaKnownError {
  const e = error as { code?: string; message?: string };
  let target: ReturnType<typeof describeTarget>;
  try {
    target = describeTarget(url);
  } catch {
    return { code: "P1013", message: "The provided database string is invalid. The connection string could not be parsed." };
  }
  const at = `${target.host}:${target.port}`;
  if (e.code && UNREACHABLE.has(e.code)) {
    return { code: "P1001", message: `Can't reach database server at \`${at}\`\n\nPlease make sure your database server is running at \`${at}\`.` };
  }
  switch (e.code) {
    case "28P01":
    case "28000":
      return { code: "P1000", message: `Authentication failed against database server at \`${at}\`, the provided database credentials for \`${target.user}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at \`${at}\`.` };
    case "3D000":
      return { code: "P1003", message: `Database \`${target.database}\` does not exist on the database server at \`${at}\`.` };
    case "42P04":
      return { code: "P1009", message: `Database \`${target.database}\` already exists on the database server at \`${at}\`` };
    case "42501":
      return { code: "P1010", message: `User \`${target.user}\` was denied access on the database \`${target.database}\`` };
    default:
      // No Prisma code fits: the CLI then shows the message as a plain engine error.
      return { code: "", message: e.message ?? String(error) };
  }
}

/** Where in a script a PostgreSQL error points, as "line L, column C" plus the line and a caret. */
export function locateInScript(script: string, position: number | string | undefined): string | undefined {
  const offset = Number(position);
  if (!Number.isInteger(offset) || offset < 1 || offset > script.length + 1) return undefined;
  const before = script.slice(0, offset - 1);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n") - 1;
  const text = script.split("\n")[line - 1] ?? "";
  return `at line ${line}, column ${column}:\n  ${text}\n  ${" ".repeat(Math.max(0, column - 1))}^`;
}
