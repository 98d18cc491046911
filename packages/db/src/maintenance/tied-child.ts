import { spawn, type ChildProcess } from "node:child_process";

/**
 * Watches its stdin, a pipe only the CLI holds open: end of file without "done" means the CLI
 * died (SIGKILL, a crash, a signal it did not handle), so it terminates the tool's process group.
 * pg_dump and pg_restore answer SIGTERM by cancelling their running query and exiting, so a killed
 * `mmo backup` leaves no dump that finishes on its own and a killed `mmo restore` no restore that
 * commits unverified. Plain Node, no native prctl(PR_SET_PDEATHSIG), so it works on every Unix.
 */
const WATCHDOG = `
const group = Number(process.argv[1]);
let said = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { said += chunk; });
process.stdin.on("end", () => { if (!said.includes("done")) { try { process.kill(-group, "SIGTERM"); } catch {} } });
`;

export interface TiedChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs a tool that cannot outlive this process: it leads its own process group (a terminal's
 * Ctrl-C reaches the CLI, which stops it and cleans up, instead of racing it), it is terminated
 * when this process exits or is signalled, and a watchdog terminates it when this process is
 * killed outright.
 * `stdout` may be a file descriptor the tool writes into (the CLI created the file, with its mode).
 */
export function runTiedChild(path: string, args: string[], options: { env: NodeJS.ProcessEnv; stdout?: number }): Promise<TiedChildResult> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(path, args, { env: options.env, detached: true, stdio: ["ignore", options.stdout ?? "ignore", "pipe"] });
    } catch (error) {
      reject(error);
      return;
    }
    // Started right after the tool and detached too, so a signal to the CLI's group spares it.
    const watchdog = child.pid === undefined ? undefined : spawn(process.execPath, ["-e", WATCHDOG, String(child.pid)], { detached: true, stdio: ["pipe", "ignore", "ignore"] });
    watchdog?.on("error", () => undefined);
    watchdog?.stdin?.on("error", () => undefined);
    const terminate = () => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, "SIGTERM");
        } catch {
          // Already gone.
        }
      }
    };
    // The first Ctrl-C / SIGTERM stops the tool, which fails the command the usual way, so its
    // cleanup runs (partial file removed, created database dropped); a second one is not caught.
    const onSignal = () => {
      terminate();
      release();
    };
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
    for (const signal of signals) process.once(signal, onSignal);
    process.once("exit", terminate);
    let released = false;
    function release() {
      if (released) return;
      released = true;
      for (const signal of signals) process.off(signal, onSignal);
      process.off("exit", terminate);
    }
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      // Enough for the error message; a chatty tool cannot grow the CLI's memory.
      if (stderr.length < 64 * 1024) stderr += chunk;
    });
    child.on("error", (error) => {
      release();
      watchdog?.stdin?.end("done\n");
      reject(error);
    });
    child.on("close", (code, signal) => {
      release();
      watchdog?.stdin?.end("done\n");
      resolve({ code, signal, stderr });
    });
  });
}
