export interface Job {
  name: string;
  deps: readonly string[];
  /** Planned rows; drives the priority. */
  rows: number;
}

/**
 * Runs jobs at most `concurrency` at a time, each only after its dependencies (foreign-key parents)
 * finished. Ready jobs start longest-critical-path first (own rows plus the heaviest chain of
 * dependants), so e.g. users -> characters -> inventory is not stuck behind an independent log table.
 * On the first failure no new job starts; running ones are awaited, then the error is thrown.
 */
export async function runJobs<J extends Job>(jobs: readonly J[], concurrency: number, run: (job: J) => Promise<void>): Promise<void> {
  const names = new Set(jobs.map((j) => j.name));
  const priority = new Map<string, number>();
  const pathOf = (job: J): number => {
    const known = priority.get(job.name);
    if (known !== undefined) return known;
    const children = jobs.filter((j) => j.deps.includes(job.name));
    const value = job.rows + Math.max(0, ...children.map(pathOf));
    priority.set(job.name, value);
    return value;
  };
  const pending = [...jobs].sort((a, b) => pathOf(b) - pathOf(a));
  const done = new Set<string>();
  const running = new Map<string, Promise<void>>();
  let failure: unknown;
  while ((pending.length && failure === undefined) || running.size) {
    for (let i = 0; failure === undefined && i < pending.length && running.size < concurrency; ) {
      const job = pending[i]!;
      if (!job.deps.every((d) => done.has(d) || !names.has(d))) {
        i++;
        continue;
      }
      pending.splice(i, 1);
      running.set(job.name, run(job).then(
        () => {
          done.add(job.name);
          running.delete(job.name);
        },
        (error: unknown) => {
          failure ??= error;
          running.delete(job.name);
        },
      ));
    }
    if (!running.size) {
      if (failure !== undefined) break;
      throw new Error(`unsatisfiable dependencies: ${pending.map((j) => j.name).join(", ")}`);
    }
    await Promise.race(running.values());
  }
  if (failure !== undefined) throw failure;
}
