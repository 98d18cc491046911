import { Writable } from "node:stream";
import cliProgress from "cli-progress";

export interface SeedProgress {
  table: string;
  rows: number;
  total: number;
  rowsPerSecond: number;
  etaSeconds: number;
  /** Set while the rows are in and the table's indexes are being built. */
  buildingIndexes?: number;
  /** A ready-made plain-text line. */
  line: string;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

export function progressLine(table: string, rows: number, total: number, rowsPerSecond: number, etaSeconds: number, indexes = 0): string {
  const pct = total ? ((rows / total) * 100).toFixed(1) : "100.0";
  const tail = indexes ? `rows in, building ${indexes} index${indexes === 1 ? "" : "es"}` : rows >= total ? "done" : `ETA ${Math.ceil(etaSeconds)}s`;
  return `${table.padEnd(24)} ${fmt(rows).padStart(12)} / ${fmt(total).padEnd(12)} ${pct.padStart(5)}%  ${fmt(rowsPerSecond).padStart(10)} rows/s  ${tail}`;
}

/**
 * Tracks one table's load and emits a progress event at most once per `intervalMs`, plus one
 * when the table completes, so a plain log gets a few lines per table, not one per chunk.
 */
export class TableProgress {
  private readonly started = performance.now();
  private lastEmit = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly table: string,
    private readonly total: number,
    private readonly emit: ((p: SeedProgress) => void) | undefined,
    private readonly intervalMs = 1000,
  ) {}

  update(rows: number, final = false): void {
    if (!this.emit) return;
    const now = performance.now();
    if (!final && (rows >= this.total || now - this.lastEmit < this.intervalMs)) return;
    this.lastEmit = now;
    const seconds = Math.max((now - this.started) / 1000, 1e-3);
    const rate = rows / seconds;
    const eta = rate > 0 ? Math.max(0, this.total - rows) / rate : 0;
    const total = final ? rows : this.total;
    this.emit({ table: this.table, rows, total, rowsPerSecond: rate, etaSeconds: final ? 0 : eta, line: progressLine(this.table, rows, total, rate, final ? 0 : eta) });
  }

  /** The rows are in; the table's deferred indexes are being built (the last step before done). */
  indexing(indexes: number): void {
    if (!this.emit) return;
    const seconds = Math.max((performance.now() - this.started) / 1000, 1e-3);
    this.emit({ table: this.table, rows: this.total, total: this.total, rowsPerSecond: this.total / seconds, etaSeconds: 0, buildingIndexes: indexes, line: progressLine(this.table, this.total, this.total, this.total / seconds, 0, indexes) });
  }
}

export interface ProgressReporter {
  onProgress(p: SeedProgress): void;
  stop(): void;
}

/** One bar per table on a terminal (cli-progress); otherwise the plain lines, passed to `write`. */
export function createProgressReporter(options: { tty: boolean; write: (text: string) => void; columns?: number }): ProgressReporter {
  if (!options.tty) {
    return { onProgress: (p) => options.write(`${p.line}\n`), stop: () => undefined };
  }
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        options.write(String(chunk));
        callback();
      },
    }),
    { isTTY: true, columns: options.columns ?? 100 },
  );
  const multi = new cliProgress.MultiBar(
    { stream, format: "{table} [{bar}] {percentage}% {value}/{total} {rate} rows/s ETA {eta}s {phase}", barsize: 24, hideCursor: true, clearOnComplete: false, fps: 5 },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    onProgress(p) {
      const payload = { table: p.table.padEnd(24), rate: fmt(p.rowsPerSecond).padStart(9), phase: p.buildingIndexes ? `building ${p.buildingIndexes} indexes` : "" };
      let bar = bars.get(p.table);
      if (!bar) {
        bar = multi.create(p.total, p.rows, payload);
        bars.set(p.table, bar);
      }
      bar.setTotal(p.total);
      bar.update(p.rows, payload);
    },
    stop() {
      multi.stop();
    },
  };
}
