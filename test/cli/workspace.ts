import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Repository root, from out/test/cli/. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI_BIN = path.join(REPO_ROOT, 'bin', 'pinning-audit.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (bin → dist/cli.js, or another copy's `bin`) the way a user would. */
export function runBuiltCli(args: string[], cwd: string, env: Record<string, string | undefined> = {}, bin = CLI_BIN): CliRun {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: undefined, ...env },
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A throwaway project with two accept-all findings (TS and JS), one suppressed one,
 * a clean file, a binary file the scan must skip, and a test file whose finding is a note.
 */
export function createWorkspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-cli-'));
  const files: Record<string, string | Buffer> = {
    'src/client.ts': [
      "import * as https from 'node:https';",
      '',
      "export const agent = new https.Agent({ rejectUnauthorized: false });",
      '',
    ].join('\n'),
    'src/env.js': ["process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';", ''].join('\n'),
    'src/clean.ts': ["export const greeting = 'hello';", ''].join('\n'),
    'src/proxy.ts': [
      "import * as https from 'node:https';",
      '// pinning-audit-ignore-next-line trust-all-certificates -- local intercepting proxy',
      'export const proxied = new https.Agent({ rejectUnauthorized: false });',
      '',
    ].join('\n'),
    'src/blob.ts': Buffer.from([0x63, 0x6f, 0x6e, 0x73, 0x74, 0x00, 0x01, 0x02]),
    'notes/helper.test.ts': [
      "import * as https from 'node:https';",
      'export const testAgent = new https.Agent({ rejectUnauthorized: false });',
      '',
    ].join('\n'),
  };
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return root;
}
