import cliProgress from "cli-progress";
import Table from "cli-table3";
import pc from "picocolors";

/**
 * All terminal output goes through here: data to stdout (tables for people, JSON for machines),
 * messages and errors to stderr, so `--json` output stays parseable.
 */
export interface Output {
  json(value: unknown): void;
  line(text?: string): void;
  table(head: string[], rows: (string | number | null | undefined)[][]): void;
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  success(text: string): void;
  /** A progress bar on stderr when it is a terminal; silent otherwise (logs stay clean). */
  progress(label: string, total: number): Progress;
}

export interface Progress {
  update(value: number, total?: number): void;
  stop(): void;
}

export interface Streams {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
}

export function createOutput(streams: Streams = process): Output {
  const color = Boolean(streams.stderr.isTTY) && !process.env.NO_COLOR;
  const paint = (f: (s: string) => string, s: string) => (color ? f(s) : s);
  return {
    json: (value) => streams.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`),
    line: (text = "") => streams.stdout.write(`${text}\n`),
    table(head, rows) {
      const t = new Table({ head, style: { head: color ? ["cyan"] : [], border: color ? ["grey"] : [], compact: true } });
      for (const row of rows) t.push(row.map((cell) => (cell === null || cell === undefined ? "" : String(cell))));
      streams.stdout.write(`${t.toString()}\n`);
    },
    info: (text) => streams.stderr.write(`${text}\n`),
    warn: (text) => streams.stderr.write(`${paint(pc.yellow, "warning:")} ${text}\n`),
    // One line: a newline inside a message would break log parsing and the one-line promise.
    error: (text) => streams.stderr.write(`${paint(pc.red, "error:")} ${text.replace(/\s*\n\s*/g, " ")}\n`),
    success: (text) => streams.stderr.write(`${paint(pc.green, "✓")} ${text}\n`),
    progress(label, total) {
      if (!streams.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
      const bar = new cliProgress.SingleBar(
        { format: `${label} [{bar}] {value}/{total}`, stream: streams.stderr as NodeJS.WritableStream, clearOnComplete: false, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(total, 1), 0);
      return {
        update(value, newTotal) {
          if (newTotal !== undefined) bar.setTotal(Math.max(newTotal, 1));
          bar.update(value);
        },
        stop: () => bar.stop(),
      };
    },
  };
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
