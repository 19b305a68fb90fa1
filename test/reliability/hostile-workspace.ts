/**
 * A workspace of files a scan must survive: a 50 MB file, binary data named `.dart`, symbolic
 * link loops, an unreadable file, a named pipe, files deleted mid-scan — next to ordinary files
 * whose findings must still be reported.
 *
 * "Unreadable" is made real: a chmod 000 file stops every user but root, and these tests run
 * as root, so when we are root the scanner runs as `nobody` (uid 65534) over a workspace
 * `nobody` owns. Deletions mid-scan are timed by a preload (preload/delete-during-scan.ts).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const INSECURE_TS = "import * as https from 'node:https';\nexport const agent = new https.Agent({ rejectUnauthorized: false });\n";
export const INSECURE_DART = [
  "import 'dart:io';",
  '',
  'HttpClient insecure() {',
  '  final client = HttpClient();',
  '  client.badCertificateCallback = (X509Certificate cert, String host, int port) => true;',
  '  return client;',
  '}',
  '',
].join('\n');

export const DELETE_PRELOAD = path.resolve(__dirname, 'preload', 'delete-during-scan.js');

const UNPRIVILEGED_ID = 65534;

export interface HostileEntry {
  /** Relative to the workspace, `/`-separated. */
  path: string;
  /** What the skip reason must say. */
  reason: RegExp;
}

export interface HostileWorkspace {
  dir: string;
  /** Ordinary files (one finding each) that must be audited despite their neighbours. */
  audited: string[];
  /** All files a scan audits: `audited` plus the plain files of the copies. */
  fileCount: number;
  /** Entries each skipped with exactly one line. */
  skipped: HostileEntry[];
  /** Spawn options: an unprivileged user when we are root, plus the deletion preload's settings. */
  process: { uid?: number; gid?: number; env: NodeJS.ProcessEnv; execArgv: string[] };
  /** Puts back the files a previous scan deleted. */
  restoreVanishing(): void;
  remove(): void;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * `copies` > 1 (the long run) repeats everything but the 50 MB file in folders `copy-2/`…, each
 * among a hundred ordinary files, so the hostile entries sit in a larger tree.
 */
export function createHostileWorkspace(copies = 1): HostileWorkspace {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-hostile-')));
  const write = (relative: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), content);
  };
  const prefixes = Array.from({ length: copies }, (_, i) => (i === 0 ? '' : `copy-${i + 1}/`));
  const audited: string[] = [];
  const skipped: HostileEntry[] = [];

  // 50 MB of real text, far over the default 1024 KB limit.
  const line = 'export const filler = "0123456789abcdef0123456789abcdef0123456789abcdef";\n';
  write('generated/huge.ts', Buffer.alloc(50 * 1024 * 1024, line));
  skipped.push({ path: 'generated/huge.ts', reason: /^larger than 1024 KB \(51200 KB\)$/ });

  for (const at of prefixes) {
    write(`${at}src/client.ts`, INSECURE_TS);
    write(`${at}lib/insecure.dart`, INSECURE_DART);
    // A folder may be named like a source file: it is walked, not read.
    write(`${at}broken.dart/inner.ts`, INSECURE_TS);
    audited.push(`${at}broken.dart/inner.ts`, `${at}lib/insecure.dart`, `${at}src/client.ts`);
    if (at) for (let i = 0; i < 100; i++) write(`${at}plain/file${i}.ts`, `export const value${i} = ${i};\n`);

    // Image bytes under a Dart name.
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(4096, 0x00), Buffer.from('badCertificateCallback')]);
    write(`${at}assets/logo.dart`, png);

    // A folder link back to its parent, and two file links to each other.
    fs.mkdirSync(path.join(dir, at, 'loop'), { recursive: true });
    fs.symlinkSync('..', path.join(dir, at, 'loop', 'again'));
    fs.symlinkSync('pong.dart', path.join(dir, at, 'ping.dart'));
    fs.symlinkSync('ping.dart', path.join(dir, at, 'pong.dart'));

    // Unreadable, and a named pipe (reading one would block the scan forever).
    write(`${at}secret.dart`, INSECURE_DART);
    execFileSync('mkfifo', [path.join(dir, at, 'pipe.dart')]);

    skipped.push(
      { path: `${at}assets/logo.dart`, reason: /^binary file/ },
      { path: `${at}loop/again`, reason: /symbolic link loop/ },
      { path: `${at}ping.dart`, reason: /symbolic link loop/ },
      { path: `${at}pipe.dart`, reason: /^not a regular file \(a named pipe\)$/ },
      { path: `${at}pong.dart`, reason: /symbolic link loop/ },
      { path: `${at}secret.dart`, reason: /permission denied/i },
      { path: `${at}vanishing/listed.ts`, reason: /no such file|deleted/ },
      { path: `${at}vanishing/unread.ts`, reason: /^deleted during the scan$/ },
    );
  }

  const restoreVanishing = () => {
    for (const at of prefixes) {
      write(`${at}vanishing/listed.ts`, INSECURE_TS);
      write(`${at}vanishing/unread.ts`, INSECURE_TS);
      if (isRoot()) chownTree(path.join(dir, at, 'vanishing'), UNPRIVILEGED_ID);
    }
  };
  restoreVanishing();

  if (isRoot()) chownTree(dir, UNPRIVILEGED_ID);
  fs.chmodSync(dir, 0o755);
  for (const at of prefixes) fs.chmodSync(path.join(dir, at, 'secret.dart'), 0o000);

  return {
    dir,
    audited: audited.sort(),
    fileCount: audited.length + (copies - 1) * 100,
    skipped,
    process: {
      ...(isRoot() ? { uid: UNPRIVILEGED_ID, gid: UNPRIVILEGED_ID } : {}),
      env: { ...process.env, DELETE_AFTER_LISTING: 'listed.ts', DELETE_BEFORE_READ: 'unread.ts' },
      execArgv: ['--require', DELETE_PRELOAD],
    },
    restoreVanishing,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

function chownTree(dir: string, id: number): void {
  fs.lchownSync(dir, id, id);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, id);
    else fs.lchownSync(full, id, id);
  }
}
