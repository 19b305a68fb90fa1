/**
 * Preloaded into the CLI or the server (`node --require`): deletes files at chosen moments of a
 * scan, so "a file deleted mid-scan" happens at the same point every run.
 *   DELETE_AFTER_LISTING=<name>  unlinked right after the folder listing that holds it is read
 *   DELETE_AFTER_STAT=<name>     unlinked right after its first stat (so the read finds it gone)
 * Names are base names; each file is deleted once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const afterListing = process.env.DELETE_AFTER_LISTING;
const afterStat = process.env.DELETE_AFTER_STAT;
const deleted = new Set<string>();

function deleteOnce(file: string): void {
  if (deleted.has(file)) return;
  deleted.add(file);
  fs.rmSync(file, { force: true });
}

const promises = fs.promises as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;

if (afterListing) {
  const readdir = promises.readdir;
  promises.readdir = async function (...args: unknown[]) {
    const names = await readdir.apply(fs.promises, args);
    if (Array.isArray(names) && names.includes(afterListing)) deleteOnce(path.join(String(args[0]), afterListing));
    return names;
  };
}

if (afterStat) {
  const stat = promises.stat;
  promises.stat = async function (...args: unknown[]) {
    const result = await stat.apply(fs.promises, args);
    if (path.basename(String(args[0])) === afterStat) deleteOnce(String(args[0]));
    return result;
  };
}
