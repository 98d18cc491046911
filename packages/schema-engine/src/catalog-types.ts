import { ColumnTypeEnum, type SqlQuery, type SqlResultSet } from "@prisma/driver-adapter-utils";

/** PostgreSQL's internal one-byte `"char"` (pg_class.relkind, pg_constraint.contype, …). */
const CHAR_OID = 18;
const TEXT_OID = 25;
/** `name[]`, which the adapter does not map either; text[] reads the same. */
const NAME_ARRAY_OID = 1003;
const TEXT_ARRAY_OID = 1009;

const CHAR_COLUMNS = Symbol("charColumns");

interface PgField { dataTypeID: number }
interface PgResult { fields: PgField[]; rows: unknown[] & { [CHAR_COLUMNS]?: number[] } }
interface Queryable {
  performIO(query: SqlQuery): Promise<PgResult>;
  queryRaw(query: SqlQuery): Promise<SqlResultSet>;
}

let patched = false;

/**
 * `@prisma/adapter-pg` 7.10 cannot map `"char"` columns, which the schema engine reads whenever it
 * describes a schema (drift checks, `migrate diff`), and the engine expects them typed as
 * Character. We patch the adapter's query class (shared by connections and transactions) once,
 * inside this engine process only: performIO reports such columns as text so the adapter accepts
 * them and remembers their positions; queryRaw then types those positions as Character.
 */
export function teachAdapterCatalogTypes(sampleAdapter: object): void {
  if (patched) return;
  const proto = findQueryableProto(sampleAdapter);
  const performIO = proto.performIO;
  const queryRaw = proto.queryRaw;
  proto.performIO = async function (this: Queryable, query: SqlQuery): Promise<PgResult> {
    const result = await performIO.call(this, query);
    const charColumns: number[] = [];
    result.fields?.forEach((field, i) => {
      if (field.dataTypeID === CHAR_OID) {
        field.dataTypeID = TEXT_OID;
        charColumns.push(i);
      } else if (field.dataTypeID === NAME_ARRAY_OID) field.dataTypeID = TEXT_ARRAY_OID;
    });
    if (charColumns.length && Array.isArray(result.rows)) Object.defineProperty(result.rows, CHAR_COLUMNS, { value: charColumns });
    return result;
  };
  proto.queryRaw = async function (this: Queryable, query: SqlQuery): Promise<SqlResultSet> {
    const resultSet = await queryRaw.call(this, query);
    const charColumns = (resultSet.rows as PgResult["rows"])[CHAR_COLUMNS];
    for (const i of charColumns ?? []) resultSet.columnTypes[i] = ColumnTypeEnum.Character;
    return resultSet;
  };
  patched = true;
}

function findQueryableProto(adapter: object): Queryable {
  for (let proto = Object.getPrototypeOf(adapter); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (Object.hasOwn(proto, "performIO") && Object.hasOwn(proto, "queryRaw")) return proto as Queryable;
  }
  throw new Error("@prisma/adapter-pg changed: no performIO/queryRaw to teach catalog types to");
}
