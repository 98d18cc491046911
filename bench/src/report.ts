import Table from "cli-table3";
import type { Measured } from "./loaders.ts";

export interface ShapeResult {
  shape: string;
  /** Raw COPY with the seeder's strategy (indexes built after the load): the baseline of the targets. */
  copy: Measured;
  /** Raw COPY maintaining every index row by row: for context. */
  copyRowByRow: Measured;
  generator: Measured;
  prisma: Measured | undefined;
}

const rate = (m: Measured) => m.rows / m.seconds;
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** Seconds per row of `a` over seconds per row of `b`: a time ratio that does not depend on sample sizes. */
const timeRatio = (a: Measured, b: Measured) => (a.seconds / a.rows) / (b.seconds / b.rows);

/** Rows, seconds and rows/s per loader, then the ratios the targets are stated in. */
export function printReport(results: ShapeResult[], info: { rawCopyMode: string; peakRssMb: number }): void {
  const table = new Table({ head: ["shape", "loader", "rows", "seconds", "rows/s"] });
  for (const r of results) {
    table.push([r.shape, `raw COPY, indexes built after (${info.rawCopyMode})`, fmt(r.copy.rows), fmt(r.copy.seconds, 2), fmt(rate(r.copy))]);
    table.push(["", "raw COPY, indexes maintained row by row", fmt(r.copyRowByRow.rows), fmt(r.copyRowByRow.seconds, 2), fmt(rate(r.copyRowByRow))]);
    table.push(["", "seed generator -> COPY, indexes built after", fmt(r.generator.rows), fmt(r.generator.seconds, 2), fmt(rate(r.generator))]);
    if (r.prisma) table.push(["", "Prisma createMany (sample)", fmt(r.prisma.rows), fmt(r.prisma.seconds, 2), fmt(rate(r.prisma))]);
  }
  console.log(table.toString());
  const ratios = new Table({
    head: ["shape", "seed time / COPY time (target <= 1.40)", "seed throughput % of COPY (target >= 70%)", "seed rows/s / createMany rows/s (target >= 20x)", "seed time / row-by-row COPY time"],
  });
  let seedSeconds = 0, copySeconds = 0;
  for (const r of results) {
    seedSeconds += r.generator.seconds;
    copySeconds += r.copy.seconds * (r.generator.rows / r.copy.rows);
    ratios.push([
      r.shape, fmt(timeRatio(r.generator, r.copy), 2), `${fmt((rate(r.generator) / rate(r.copy)) * 100, 1)}%`,
      r.prisma ? `${fmt(rate(r.generator) / rate(r.prisma), 1)}x` : "n/a", fmt(timeRatio(r.generator, r.copyRowByRow), 2),
    ]);
  }
  ratios.push(["all three", fmt(seedSeconds / copySeconds, 2), `${fmt((copySeconds / seedSeconds) * 100, 1)}%`, "", ""]);
  console.log(ratios.toString());
  // Measured while writing this: ~150 MB before the first Prisma createMany, ~640 MB after it. The
  // seeder's own footprint is measured on a real seed run (README).
  console.log(`peak RSS of the bench process: ${fmt(info.peakRssMb)} MB, mostly Prisma createMany's; the seeder's own is measured on a seed run (bench/README.md)`);
}
