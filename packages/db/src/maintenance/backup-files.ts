import { link, mkdir, open, readdir, rm, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UsageError } from "../errors.ts";

/**
 * Backups hold password hashes and session tokens: every file is created 0600 and every directory
 * 0700 from the start (the umask can only narrow that), never chmod-ed afterwards, so there is no
 * moment at which another user can open them.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Where a run writes before the file is complete. The pid in the name lets the next run tell a
 * file left by a killed run (its writer is gone) from one a running backup is still writing.
 */
export function partialPath(file: string, pid = process.pid): string {
  return `${file}.mmo-${pid}.partial`;
}

const PARTIAL = /^(.+)\.mmo-(\d+)\.partial$/;

/** Creates the missing directories of `file`'s path, 0700. */
export async function ensurePrivateDirectory(file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** A new file, created 0600; fails when it exists (O_EXCL: no symlink or earlier file is reused). */
export function createPrivateFile(path: string): Promise<FileHandle> {
  return open(path, "wx", PRIVATE_FILE_MODE);
}

export interface StalePartial {
  path: string;
  pid: number;
}

/**
 * Removes the partial files in `file`'s directory whose writer is no longer running: what a backup
 * killed before it finished leaves. None of them is a backup (a backup is only ever complete under
 * its final name). Partial files of running backups are left alone.
 */
export async function removeStalePartials(file: string): Promise<StalePartial[]> {
  const dir = dirname(file);
  const removed: StalePartial[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const match = PARTIAL.exec(name);
    if (!match) continue;
    const pid = Number(match[2]);
    if (pid === process.pid || isRunning(pid)) continue;
    const path = join(dir, name);
    await rm(path, { force: true });
    removed.push({ path, pid });
  }
  return removed;
}

/**
 * Gives a finished file its final name without ever replacing an existing one (link fails with
 * EEXIST where rename would overwrite a backup another run finished meanwhile).
 */
export async function publish(partial: string, file: string): Promise<void> {
  try {
    await link(partial, file);
  } catch (error) {
    if ((error as { code?: string }).code === "EEXIST") throw new UsageError(`${file} already exists: choose another --out`);
    throw error;
  }
  await rm(partial, { force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, run by another user.
    return (error as { code?: string }).code === "EPERM";
  }
}

export function describePartial(p: StalePartial): string {
  return `removed ${basename(p.path)} in ${dirname(p.path)}: a backup (pid ${p.pid}) was killed before it finished; a partial file is never a backup`;
}
