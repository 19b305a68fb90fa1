/**
 * Preloaded into the CLI or the server (`node --require`, which worker threads run too): deletes
 * files at chosen moments of a scan, so "a file deleted mid-scan" happens at the same point
 * every run.
 *   DELETE_AFTER_LISTING=<name>  unlinked right after the folder listing that holds it is read
 *   DELETE_BEFORE_READ=<name>    unlinked when the scanner opens it to read, after the walk found it
 * Names are base names; each file is deleted once per thread.
 */
import fs = require('node:fs');
import path = require('node:path');

const afterListing = process.env.DELETE_AFTER_LISTING;
const beforeRead = process.env.DELETE_BEFORE_READ;
const deleted = new Set<string>();

function deleteOnce(file: string): void {
  if (deleted.has(file)) return;
  deleted.add(file);
  fs.rmSync(file, { force: true });
}

type Method = (...args: unknown[]) => unknown;

/** Replaces `owner[name]` with `wrap(original)`. */
function patch(owner: object, name: string, wrap: (original: Method) => Method): void {
  const target = owner as Record<string, Method>;
  if (typeof target[name] === 'function') target[name] = wrap(target[name]);
}

const listed = (dir: unknown, names: unknown) => {
  if (!afterListing || !Array.isArray(names)) return;
  if (names.some((n: unknown) => (typeof n === 'string' ? n : (n as fs.Dirent).name) === afterListing)) deleteOnce(path.join(String(dir), afterListing));
};
patch(fs.promises, 'readdir', (original) => async function (this: unknown, ...args: unknown[]) {
  const names = await original.apply(this, args);
  listed(args[0], names);
  return names;
});
patch(fs, 'readdirSync', (original) => function (this: unknown, ...args: unknown[]) {
  const names = original.apply(this, args);
  listed(args[0], names);
  return names;
});

const opening = (file: unknown) => {
  if (beforeRead && typeof file === 'string' && path.basename(file) === beforeRead) deleteOnce(file);
};
for (const name of ['readFile', 'open']) {
  patch(fs.promises, name, (original) => function (this: unknown, ...args: unknown[]) {
    opening(args[0]);
    return original.apply(this, args);
  });
}
for (const name of ['readFileSync', 'openSync', 'readFile', 'open']) {
  patch(fs, name, (original) => function (this: unknown, ...args: unknown[]) {
    opening(args[0]);
    return original.apply(this, args);
  });
}
