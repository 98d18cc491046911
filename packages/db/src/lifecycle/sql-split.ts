/** One statement of a SQL script, as PostgreSQL's simple-query protocol would see it. */
export interface SqlStatement {
  /** The statement with comments removed and whitespace collapsed (for keyword checks). */
  code: string;
  /** 1-based line where the statement starts. */
  line: number;
}

/**
 * Splits a script into statements on top-level `;`, skipping `--` and (nested) `/* *\/` comments,
 * quoted strings, E'' strings, quoted identifiers and dollar-quoted bodies, so a function body or DO
 * block counts as one statement. Statements that are only comments are dropped.
 */
export function splitStatements(sql: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let code = "";
  let line = 1;
  let start = 0;
  let i = 0;
  const flush = () => {
    const text = code.replace(/\s+/g, " ").trim();
    if (text) out.push({ code: text, line: start || line });
    code = "";
    start = 0;
  };
  const take = (n: number) => {
    const piece = sql.slice(i, i + n);
    line += piece.split("\n").length - 1;
    i += n;
    return piece;
  };
  while (i < sql.length) {
    const ch = sql[i] as string;
    const rest = sql.slice(i, i + 2);
    if (rest === "--") {
      const end = sql.indexOf("\n", i);
      take((end === -1 ? sql.length : end) - i);
      continue;
    }
    if (rest === "/*") {
      let depth = 0;
      let j = i;
      while (j < sql.length) {
        if (sql.startsWith("/*", j)) (depth++, (j += 2));
        else if (sql.startsWith("*/", j)) {
          depth--;
          j += 2;
          if (depth === 0) break;
        } else j++;
      }
      take(j - i);
      code += " ";
      continue;
    }
    if (!start && /\S/.test(ch) && ch !== ";") start = line;
    if (ch === ";") {
      take(1);
      flush();
      continue;
    }
    if (ch === "'" || ch === '"') {
      const escapes = ch === "'" && /[eE]$/.test(code) && !/\w[eE]$/.test(code);
      let j = i + 1;
      while (j < sql.length) {
        if (escapes && sql[j] === "\\") j += 2;
        else if (sql[j] === ch && sql[j + 1] === ch) j += 2;
        else if (sql[j] === ch) break;
        else j++;
      }
      code += take(j + 1 - i);
      continue;
    }
    const dollar = ch === "$" ? /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i)) : null;
    if (dollar && !/[\w$]$/.test(code)) {
      const tag = dollar[0];
      const end = sql.indexOf(tag, i + tag.length);
      code += take((end === -1 ? sql.length : end + tag.length) - i);
      continue;
    }
    code += take(1);
  }
  flush();
  return out;
}
