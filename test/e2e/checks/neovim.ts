// Neovim (Debian's 0.7.2) with the README's configuration, unchanged, talking to the
// `pinning-audit-lsp` bin: it must receive the CLI's findings and offer code actions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExpectedFinding } from '../host/run-config';
import { run, tail } from '../harness/processes';
import { writeReadmeCodeBlock } from '../harness/readme';

export interface EditorCheckOptions {
  repoRoot: string;
  workspace: string;
  expectedFindings: ExpectedFinding[];
  /** Scratch folder of this check (config, output, state). */
  folder: string;
  /** The environment with `pinning-audit-lsp` on PATH and HOME/XDG_* in the scratch folder. */
  env: NodeJS.ProcessEnv;
}

interface NeovimResult {
  error?: string;
  arrived: boolean;
  diagnostics: string[];
  clients: { name: string; codeActionProvider: boolean }[];
  codeActions: Record<string, { title: string; kind?: string; hasEdit: boolean; coversDiagnostic: boolean }[]>;
  filetypes: Record<string, string>;
}

const SEVERITY: Record<ExpectedFinding['level'], string> = { error: 'error', warning: 'warning', note: 'note' };

export async function checkNeovim(options: EditorCheckOptions): Promise<string[]> {
  const config = writeReadmeCodeBlock(options.repoRoot, 'lua', options.folder, 'readme-config.lua');
  const driver = path.join(options.repoRoot, 'test', 'e2e', 'neovim', 'driver.lua');
  const expectedFile = path.join(options.folder, 'expected.json');
  const outputFile = path.join(options.folder, 'neovim-result.json');
  fs.writeFileSync(expectedFile, JSON.stringify(options.expectedFindings));
  const started = Date.now();
  const nvim = await run('nvim', 'nvim', ['--headless', '--clean', '-c', `luafile ${config}`, '-c', `luafile ${driver}`], {
    cwd: options.workspace,
    env: { ...options.env, PINNING_AUDIT_E2E_OUTPUT: outputFile, PINNING_AUDIT_E2E_EXPECTED: expectedFile, PINNING_AUDIT_E2E_TIMEOUT_MS: '30000' },
    timeoutMs: 90_000,
    allowFailure: true,
  });
  if (!fs.existsSync(outputFile)) throw new Error(`Neovim wrote no result (exit code ${nvim.code}). Output:\n${tail(nvim.output)}`);
  const result = JSON.parse(fs.readFileSync(outputFile, 'utf8')) as NeovimResult;
  if (result.error) throw new Error(`the Neovim driver failed: ${result.error}`);

  const expected = options.expectedFindings.map((f) => `${f.path}:${f.line}:${f.column} ${SEVERITY[f.level]} ${f.ruleId} ${f.message}`).sort();
  const problems: string[] = [];
  if (result.clients.length === 0) problems.push('no LSP client started: the README configuration did not attach pinning-audit-lsp');
  result.diagnostics.sort();
  if (!result.arrived || JSON.stringify(result.diagnostics) !== JSON.stringify(expected)) {
    problems.push(`diagnostics differ from the CLI's (filetypes: ${JSON.stringify(result.filetypes)})\n  expected:\n    ${expected.join('\n    ')}\n  received:\n    ${result.diagnostics.join('\n    ')}`);
  }
  const withoutAction = result.diagnostics.filter((line) => !(result.codeActions[line] ?? []).some((action) => action.coversDiagnostic && action.hasEdit));
  if (withoutAction.length > 0) problems.push(`diagnostics without a quick fix (a code action with an edit for that diagnostic):\n    ${withoutAction.join('\n    ')}`);
  if (problems.length > 0) throw new Error(problems.join('\n'));

  const actions = Object.values(result.codeActions).flat().length;
  return [`  ok   ${result.diagnostics.length} diagnostics equal the CLI's and ${actions} code actions over ${result.clients.length} client(s), in ${Date.now() - started} ms`];
}
