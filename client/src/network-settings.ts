import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../common/protocol';
import { trustedValue } from './trusted-settings';

const DEFAULT_TIMEOUT_MS = 10_000;

/** What a certificate fetch needs from the settings. */
export interface NetworkSettings {
  timeoutMs: number;
  /** PEM texts of `pinningAudit.extraCaFiles`. */
  ca: string[];
}

/**
 * `pinningAudit.network.timeoutMs` and the CAs of `pinningAudit.extraCaFiles` — the file list
 * from the user's settings only when the workspace is not trusted. Relative paths are taken from
 * the first workspace folder. A file that cannot be used is logged and left out.
 */
export function networkSettings(output: vscode.LogOutputChannel): NetworkSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const timeout = config.get<number>('network.timeoutMs');
  const files = trustedValue(config.get<string[]>('extraCaFiles'), config.inspect<string[]>('extraCaFiles'), vscode.workspace.isTrusted, []);
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
  const ca: string[] = [];
  for (const file of Array.isArray(files) ? files : []) {
    if (typeof file !== 'string' || file.trim() === '') continue;
    const resolved = path.resolve(base, file.trim().replace(/^~(?=$|[\\/])/, os.homedir()));
    try {
      const pem = fs.readFileSync(resolved, 'utf8');
      if (pem.includes('-----BEGIN CERTIFICATE-----')) ca.push(pem);
      else output.warn(`pinningAudit.extraCaFiles: ${resolved} holds no PEM certificate; left out.`);
    } catch (error) {
      output.warn(`pinningAudit.extraCaFiles: cannot read ${resolved} (${(error as NodeJS.ErrnoException).code ?? String(error)}); left out.`);
    }
  }
  return { timeoutMs: typeof timeout === 'number' && timeout >= 1 ? timeout : DEFAULT_TIMEOUT_MS, ca };
}
