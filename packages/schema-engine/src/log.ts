/**
 * The native engine logs JSON lines on stderr; the Prisma CLI parses them (it keeps ERROR records
 * and shows their messages). Connection strings never reach these lines: callers pass messages
 * already redacted by `redact`.
 */
export function logRecord(level: "INFO" | "WARN" | "ERROR", fields: Record<string, unknown>, target = "schema_engine::logger"): void {
  process.stderr.write(`${JSON.stringify({ timestamp: new Date().toISOString(), level, fields, target })}\n`);
}

export function redact(text: string, ...secrets: (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join("<REDACTED>");
  // Any other URL with credentials: keep the host, drop the password.
  return out.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+):[^@\s]+@/g, "$1:<REDACTED>@");
}
