import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { median } from '../stats';
import { runCommand } from './run-command';

/** The peer tools, pinned; installed into their own folder, never into the project. */
const PEER_PACKAGE = {
  name: 'pinning-audit-bench-peers',
  private: true,
  description: 'Tools the benchmark compares Pinning Audit with; installed here, never into the project.',
  dependencies: {
    '@typescript-eslint/parser': '8.73.0',
    eslint: '9.39.5',
    'eslint-plugin-sonarjs': '4.2.2',
    typescript: '5.9.3',
  },
};

/** SonarJS's two rules for what `trust-all-certificates` finds in TS/JS (S4830, S5527). */
export const SONAR_RULES = ['sonarjs/unverified-certificate', 'sonarjs/unverified-hostname'];

function eslintConfig(skippedFolders: readonly string[]): string {
  return `// Written by the benchmark: ESLint + SonarJS's TLS rules on the TS/JS files the scan audits.
import tsParser from '@typescript-eslint/parser';
import sonarjs from 'eslint-plugin-sonarjs';

export default [
  { ignores: ${JSON.stringify([...skippedFolders.map((f) => `**/${f}/**`), '**/*.d.ts'])} },
  {
    files: ['**/*.{ts,mts,cts,tsx,js,mjs,cjs,jsx}'],
    languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } } },
    plugins: { sonarjs },
    rules: ${JSON.stringify(Object.fromEntries(SONAR_RULES.map((r) => [r, 'error'])))},
  },
];
`;
}

/** Installs the peers into `dir` unless the same versions are already there. */
export function ensurePeers(dir: string, skippedFolders: readonly string[]): { versions: Record<string, string> } {
  fs.mkdirSync(dir, { recursive: true });
  const manifest = `${JSON.stringify(PEER_PACKAGE, null, 2)}\n`;
  const manifestFile = path.join(dir, 'package.json');
  const installed = Object.keys(PEER_PACKAGE.dependencies).every((name) => {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
      return pkg.version === PEER_PACKAGE.dependencies[name as keyof typeof PEER_PACKAGE.dependencies];
    } catch {
      return false;
    }
  });
  if (!installed || !fs.existsSync(manifestFile) || fs.readFileSync(manifestFile, 'utf8') !== manifest) {
    fs.writeFileSync(manifestFile, manifest);
    console.error(`Installing ESLint and SonarJS into ${dir}…`);
    execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-package-lock'], { stdio: 'inherit' });
  }
  fs.writeFileSync(path.join(dir, 'eslint.config.mjs'), eslintConfig(skippedFolders));
  return { versions: { ...PEER_PACKAGE.dependencies } };
}

export interface EslintResult {
  versions: Record<string, string>;
  runs: number[];
  wallMs: number;
  files: number;
  findings: number;
  /** Files ESLint could not parse: must be 0, or it skipped work. */
  parseErrors: number;
}

/** `eslint --config <peers>/eslint.config.mjs .` in the workspace (cwd is the base path with --config). */
export async function measureEslint(peersDir: string, workspace: string, runs: number, skippedFolders: readonly string[], reportFile: string): Promise<EslintResult> {
  const { versions } = ensurePeers(peersDir, skippedFolders);
  const eslint = path.join(peersDir, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const args = [eslint, '--config', path.join(peersDir, 'eslint.config.mjs'), '--no-warn-ignored', '--format', 'json', '--output-file', reportFile, '.'];
  const samples: number[] = [];
  let files = 0;
  let findings = 0;
  let parseErrors = 0;
  for (let i = 0; i < runs; i++) {
    const run = await runCommand(process.execPath, args, { cwd: workspace });
    // 0: nothing found; 1: findings; anything else is a crash.
    if (run.exitCode !== 0 && run.exitCode !== 1) throw new Error(`eslint exited with ${run.exitCode}: ${run.stderr.slice(-2000)}`);
    samples.push(run.wallMs);
    const results = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { messages: { ruleId: string | null; fatal?: boolean }[] }[];
    files = results.length;
    findings = results.reduce((n, r) => n + r.messages.filter((m) => m.ruleId && SONAR_RULES.includes(m.ruleId)).length, 0);
    parseErrors = results.filter((r) => r.messages.some((m) => m.fatal)).length;
  }
  return { versions, runs: samples, wallMs: median(samples), files, findings, parseErrors };
}
