/**
 * `sslmode=prefer|require|verify-ca` as `verify-full`: what pg-connection-string 2.x does with them
 * anyway (certificate and host verified), without its 10-line deprecation warning on stderr. Left
 * alone when `uselibpqcompat` asks for libpq's weaker meaning.
 * Shared by this engine's connections and @mmo/db's node-postgres pools.
 */
export function verifyFullSpelledOut(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const mode = parsed.searchParams.get("sslmode");
  if (mode === null || !["prefer", "require", "verify-ca"].includes(mode) || parsed.searchParams.has("uselibpqcompat")) return url;
  parsed.searchParams.set("sslmode", "verify-full");
  return parsed.toString();
}
