// Emacs 28 + eglot 1.9 (Debian) with the README's configuration, unchanged, talking to the
// `pinning-audit-lsp` bin: it must receive the CLI's findings and offer code actions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, tail } from '../harness/processes';
import { writeReadmeCodeBlock } from '../harness/readme';
import type { EditorCheckOptions } from './neovim';

interface EmacsResult {
  error?: string;
  diagnostics: string[];
  codeActions: Record<string, { title?: string; hasEdit?: boolean; coversDiagnostic?: boolean; error?: string }[]>;
  modes: Record<string, string>;
  servers: number;
}

export async function checkEmacs(options: EditorCheckOptions): Promise<string[]> {
  const config = writeReadmeCodeBlock(options.repoRoot, 'elisp', options.folder, 'readme-config.el');
  const here = path.join(options.repoRoot, 'test', 'e2e', 'emacs');
  const expectedFile = path.join(options.folder, 'expected.json');
  const outputFile = path.join(options.folder, 'emacs-result.json');
  fs.writeFileSync(expectedFile, JSON.stringify(options.expectedFindings));
  // A project root as in real use (project.el looks for version control); without it each folder is a project.
  await run('git init', 'git', ['init', '-q'], { cwd: options.workspace, env: options.env, timeoutMs: 30_000 });
  const started = Date.now();
  const emacs = await run('emacs', 'emacs', ['-Q', '--batch', '-l', path.join(here, 'setup.el'), '-l', config, '-l', path.join(here, 'driver.el')], {
    cwd: options.workspace,
    env: { ...options.env, PINNING_AUDIT_E2E_OUTPUT: outputFile, PINNING_AUDIT_E2E_EXPECTED: expectedFile, PINNING_AUDIT_E2E_TIMEOUT_MS: '30000' },
    timeoutMs: 90_000,
    allowFailure: true,
  });
  if (!fs.existsSync(outputFile)) throw new Error(`Emacs wrote no result (exit code ${emacs.code}). Output:\n${tail(emacs.output)}`);
  const result = JSON.parse(fs.readFileSync(outputFile, 'utf8')) as EmacsResult;
  if (result.error) throw new Error(`the Emacs driver failed: ${result.error}\n${tail(emacs.output)}`);

  // eglot 1.9 prefixes each message with "source [code]: ".
  const expected = options.expectedFindings.map((f) => `${f.path}:${f.line}:${f.column} ${f.level} pinning-audit [${f.ruleId}]: ${f.message}`).sort();
  const received = [...result.diagnostics].sort();
  const problems: string[] = [];
  if (JSON.stringify(received) !== JSON.stringify(expected)) {
    problems.push(`diagnostics differ from the CLI's (modes: ${JSON.stringify(result.modes)})\n  expected:\n    ${expected.join('\n    ')}\n  received:\n    ${received.join('\n    ')}`);
  }
  const withoutAction = received.filter((line) => !(result.codeActions[line] ?? []).some((action) => action.coversDiagnostic && action.hasEdit));
  if (withoutAction.length > 0) {
    const errors = [...new Set(Object.values(result.codeActions).flat().flatMap((action) => (action.error ? [action.error] : [])))];
    problems.push(`diagnostics without a quick fix (a code action with an edit for that diagnostic)${errors.length ? ` — the server answered: ${errors.join('; ')}` : ''}:\n    ${withoutAction.join('\n    ')}`);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));

  const actions = Object.values(result.codeActions).flat().length;
  return [`  ok   ${received.length} diagnostics equal the CLI's and ${actions} code actions over ${result.servers} eglot server(s), in ${Date.now() - started} ms`];
}
