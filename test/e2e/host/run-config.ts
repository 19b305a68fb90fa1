// What the e2e runner hands to the suite inside the extension host (through a JSON file named by an
// environment variable of the code-server process, which the extension host inherits).
// No `vscode` import here: the runner outside the editor reads and writes this too.
import * as fs from 'node:fs';

export const HOST_CONFIG_VARIABLE = 'PINNING_AUDIT_E2E_HOST_CONFIG';

/** A finding as `pinning-audit scan --format json` prints it (1-based, path relative to the workspace). */
export interface ExpectedFinding {
  ruleId: string;
  level: 'error' | 'warning' | 'note';
  message: string;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface HostConfig {
  /** The CLI's findings for the untouched workspace copy: the editor must show the same. */
  expectedFindings: ExpectedFinding[];
  /** The suite appends one line per test here; the runner prints it. */
  resultsFile: string;
}

export function readHostConfig(): HostConfig {
  const file = process.env[HOST_CONFIG_VARIABLE];
  if (!file) throw new Error(`${HOST_CONFIG_VARIABLE} is not set: the e2e suite must be started by npm run test:e2e`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as HostConfig;
}
