import { createHash } from "node:crypto";
import type pg from "pg";

/**
 * What makes up a schema, one catalog query per kind of object, each row rendered as one line.
 * Objects are named by schema-qualified name so OIDs (which change on re-creation) never count.
 * Extension-owned objects (pg_cron's `cron` schema, …) are left out: they belong to the extension.
 */
const USER_NAMESPACES = `
  SELECT oid FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND nspname NOT LIKE 'pg_temp_%' AND nspname NOT LIKE 'pg_toast_temp_%'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = pg_namespace.oid AND d.deptype = 'e')`;

const NOT_EXTENSION_MEMBER = (catalog: string, alias: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${alias}.oid AND d.deptype = 'e')`;

// A NULL acl means "the owner's defaults"; GRANT then REVOKE leaves the same rights spelled out.
// Both mean the same, so compare the spelled-out form (acldefault).
const QUERIES: Record<string, string> = {
  schema: `SELECT format('%I owner=%s acl=%s', nspname, pg_get_userbyid(nspowner), coalesce(nspacl, acldefault('n', nspowner))::text) AS line
           FROM pg_namespace WHERE oid IN (${USER_NAMESPACES})`,
  extension: `SELECT format('%I %s', extname, extnamespace::regnamespace) AS line FROM pg_extension`,
  relation: `SELECT format('%s kind=%s persistence=%s partition_key=%s bound=%s owner=%s acl=%s', c.oid::regclass, c.relkind, c.relpersistence,
                coalesce(pg_get_partkeydef(c.oid), ''), coalesce(pg_get_expr(c.relpartbound, c.oid), ''), pg_get_userbyid(c.relowner),
                coalesce(c.relacl, acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", c.relowner))::text) AS line
             FROM pg_class c WHERE c.relnamespace IN (${USER_NAMESPACES}) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${NOT_EXTENSION_MEMBER("pg_class", "c")}`,
  column: `SELECT format('%s.%I %s notnull=%s default=%s identity=%s generated=%s', c.oid::regclass, a.attname, format_type(a.atttypid, a.atttypmod),
              a.attnotnull, coalesce(pg_get_expr(ad.adbin, ad.adrelid), ''), a.attidentity, a.attgenerated) AS line
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
           LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
           WHERE c.relnamespace IN (${USER_NAMESPACES}) AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
             AND ${NOT_EXTENSION_MEMBER("pg_class", "c")}`,
  constraint: `SELECT format('%s %I %s', con.conrelid::regclass, con.conname, pg_get_constraintdef(con.oid)) AS line
               FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
               WHERE c.relnamespace IN (${USER_NAMESPACES}) AND ${NOT_EXTENSION_MEMBER("pg_class", "c")}`,
  index: `SELECT pg_get_indexdef(i.indexrelid) AS line FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE c.relnamespace IN (${USER_NAMESPACES}) AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = i.indrelid AND d.deptype = 'e')`,
  function: `SELECT format('%s(%s) owner=%s acl=%s md5=%s', p.oid::regproc, pg_get_function_identity_arguments(p.oid), pg_get_userbyid(p.proowner),
                coalesce(p.proacl, acldefault('f', p.proowner))::text, md5(pg_get_functiondef(p.oid))) AS line
             FROM pg_proc p WHERE p.pronamespace IN (${USER_NAMESPACES}) AND p.prokind IN ('f', 'p', 'w') AND ${NOT_EXTENSION_MEMBER("pg_proc", "p")}`,
  view: `SELECT format('%s md5=%s', c.oid::regclass, md5(pg_get_viewdef(c.oid))) AS line
         FROM pg_class c WHERE c.relnamespace IN (${USER_NAMESPACES}) AND c.relkind IN ('v', 'm') AND ${NOT_EXTENSION_MEMBER("pg_class", "c")}`,
  trigger: `SELECT pg_get_triggerdef(t.oid) AS line FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND c.relnamespace IN (${USER_NAMESPACES})`,
  type: `SELECT format('%s kind=%s labels=%s', t.oid::regtype, t.typtype,
            (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)) AS line
         FROM pg_type t WHERE t.typnamespace IN (${USER_NAMESPACES}) AND t.typtype IN ('e', 'd', 'c')
           AND (t.typtype <> 'c' OR EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))
           AND ${NOT_EXTENSION_MEMBER("pg_type", "t")}`,
  policy: `SELECT format('%s %I %s', pol.polrelid::regclass, pol.polname, pg_get_expr(pol.polqual, pol.polrelid)) AS line FROM pg_policy pol`,
  default_acl: `SELECT format('%s %s %s', pg_get_userbyid(defaclrole), defaclobjtype, defaclacl::text) AS line FROM pg_default_acl`,
};

export interface SchemaFingerprint {
  /** sha256 of every line, in order. */
  hash: string;
  /** "kind: line", sorted; diff two of these to see what changed. */
  lines: string[];
}

export async function schemaFingerprint(client: pg.ClientBase | pg.Pool): Promise<SchemaFingerprint> {
  const lines: string[] = [];
  for (const [kind, sql] of Object.entries(QUERIES)) {
    const { rows } = await client.query<{ line: string }>(sql);
    for (const row of rows) lines.push(`${kind}: ${row.line}`);
  }
  lines.sort();
  return { hash: createHash("sha256").update(lines.join("\n")).digest("hex"), lines };
}

/** Lines only in `a` (prefixed "-") and only in `b` ("+"). */
export function diffFingerprints(a: SchemaFingerprint, b: SchemaFingerprint): string[] {
  const inA = new Set(a.lines);
  const inB = new Set(b.lines);
  return [...a.lines.filter((l) => !inB.has(l)).map((l) => `- ${l}`), ...b.lines.filter((l) => !inA.has(l)).map((l) => `+ ${l}`)];
}
