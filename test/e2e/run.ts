// `npm run test:e2e`: the extension, packaged as users get it, in real editors.
//   1. set-up: Debian packages, code-server (cached in .cache/code-server), `npm run package`,
//      the .vsix installed into a fresh code-server profile in a scratch folder;
//   2. checks: the mocha suite inside code-server's extension host, a UI smoke test through
//      chromium, Neovim and Emacs with the README's configurations.
// Everything it starts runs in its own process group and is killed at the end, on failure, on
// Ctrl-C and at the overall deadline; HOME, XDG_* and TMPDIR of every child point into the
// scratch folder, which is deleted at the end. Screenshots and logs stay in test/e2e/artifacts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { ensureAptPackages } from './harness/apt';
import { closeBrowser, launchBrowser } from './harness/browser';
import { createProfile, ensureCodeServer, EXAMPLES_SETTINGS, installExtension, startCodeServer } from './harness/code-server';
import { killAll } from './harness/processes';
import { createScratch } from './harness/scratch';
import { packageExtension } from './harness/vsix';
import { cliFindings, copyExamples } from './harness/workspace';
import { HOST_CONFIG_VARIABLE, type HostConfig } from './host/run-config';
import { checkEmacs } from './checks/emacs';
import { runExtensionHostSuite } from './checks/extension-host';
import { checkNeovim } from './checks/neovim';
import { runUiSmoke } from './checks/ui-smoke';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CACHE = path.join(REPO_ROOT, '.cache');
const ARTIFACTS = path.join(REPO_ROOT, 'test', 'e2e', 'artifacts');
/** The whole run, set-up included, is stopped (and fails) after this. */
const DEADLINE_MS = 15 * 60_000;

/** Settings of the test profile, on top of the quiet defaults. */
const E2E_SETTINGS = {
  ...EXAMPLES_SETTINGS,
  // VS Code for the Web saves after a second by default: the tests need unsaved edits to stay unsaved.
  'files.autoSave': 'off',
};

interface CheckResult {
  name: string;
  ok: boolean;
  seconds: number;
  lines: string[];
}

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (line: string) => console.log(`[e2e ${elapsed()}] ${line}`);

async function main(): Promise<number> {
  const scratch = createScratch();
  let browser: BrowserContext | undefined;
  let cleaningUp: Promise<void> | undefined;
  const cleanUp = () => (cleaningUp ??= (async () => {
    await closeBrowser(browser);
    await killAll();
    scratch.remove();
  })());
  const abort = (reason: string, code: number) => {
    console.error(`[e2e ${elapsed()}] ${reason}: stopping every process it started`);
    void cleanUp().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => abort('interrupted', 130));
  process.once('SIGTERM', () => abort('terminated', 143));
  const deadline = setTimeout(() => abort(`the run took longer than ${DEADLINE_MS / 60_000} minutes`, 1), DEADLINE_MS);

  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const results: CheckResult[] = [];
  const check = async (name: string, body: () => Promise<string[]>) => {
    const checkStarted = Date.now();
    log(`${name}…`);
    try {
      const lines = await body();
      results.push({ name, ok: true, seconds: (Date.now() - checkStarted) / 1000, lines });
    } catch (error) {
      results.push({ name, ok: false, seconds: (Date.now() - checkStarted) / 1000, lines: [indent(error instanceof Error ? error.message : String(error))] });
    }
  };

  try {
    const env = scratch.env;
    const npmEnv = { ...env, npm_config_cache: path.join(CACHE, 'npm') };
    log('Debian packages');
    await ensureAptPackages(env, log);
    log('code-server');
    const codeServer = await ensureCodeServer(path.join(CACHE, 'code-server'), path.join(CACHE, 'npm'), env, log);
    log('npm run package');
    const vsix = await packageExtension(REPO_ROOT, npmEnv);
    const profile = createProfile(scratch.folder('code-server'), E2E_SETTINGS);
    log(`installing ${path.basename(vsix)} into a fresh profile`);
    const installedExtension = await installExtension(codeServer, vsix, profile, env, REPO_ROOT);

    const expectedFindings = await cliFindings(REPO_ROOT, copyExamples(REPO_ROOT, path.join(scratch.root, 'examples-cli')), env);
    const hostConfigFile = path.join(scratch.root, 'host-config.json');
    const hostConfig: HostConfig = { expectedFindings, resultsFile: path.join(ARTIFACTS, 'extension-host-results.txt') };
    fs.writeFileSync(hostConfigFile, JSON.stringify(hostConfig));

    // The other editors need neither code-server nor chromium: their checks go first, they are quick.
    const lspBin = scratch.folder('bin');
    fs.symlinkSync(path.join(REPO_ROOT, 'bin', 'pinning-audit-lsp.js'), path.join(lspBin, 'pinning-audit-lsp'));
    const editorEnv = { ...env, PATH: `${lspBin}${path.delimiter}${env.PATH ?? ''}` };
    const editorCheck = (editor: string) => ({
      repoRoot: REPO_ROOT,
      workspace: copyExamples(REPO_ROOT, path.join(scratch.root, `examples-${editor}`)),
      expectedFindings,
      folder: scratch.folder(editor),
      env: editorEnv,
    });
    await check('Neovim with the README configuration', () => checkNeovim(editorCheck('neovim')));
    await check('Emacs + eglot with the README configuration', () => checkEmacs(editorCheck('emacs')));

    log('starting code-server and chromium');
    const server = await startCodeServer(codeServer, profile, { ...env, [HOST_CONFIG_VARIABLE]: hostConfigFile }, path.join(ARTIFACTS, 'code-server.log'));
    browser = await launchBrowser(scratch.folder('chromium'), env);
    const openBrowser = browser;

    await check('extension-host suite (mocha in code-server)', async () => {
      const report = await runExtensionHostSuite(openBrowser, server, {
        installedExtension,
        suiteIndex: path.join(__dirname, 'host', 'index.js'),
        workspace: copyExamples(REPO_ROOT, path.join(scratch.root, 'examples-host')),
        resultsFile: hostConfig.resultsFile,
        timeoutMs: 240_000,
      });
      return report.split('\n');
    });
    await check('UI smoke test (chromium)', () =>
      runUiSmoke(openBrowser, server, {
        workspace: copyExamples(REPO_ROOT, path.join(scratch.root, 'examples-ui')),
        expectedFindings,
        commandTitles: commandTitles(),
        artifacts: ARTIFACTS,
      }));
    if (results.some((result) => !result.ok)) {
      // The extension host's own logs (the output channel included) help more than anything here.
      fs.cpSync(path.join(profile.userDataDir, 'logs'), path.join(ARTIFACTS, 'code-server-logs'), { recursive: true });
    }
  } catch (error) {
    results.push({ name: 'set-up', ok: false, seconds: 0, lines: [indent(error instanceof Error ? error.message : String(error))] });
  } finally {
    clearTimeout(deadline);
    await cleanUp();
  }

  console.log('');
  for (const result of results) {
    console.log(`${result.ok ? 'PASS' : 'FAIL'} ${result.name} (${result.seconds.toFixed(1)} s)`);
    for (const line of result.lines) console.log(line);
  }
  const failed = results.filter((result) => !result.ok).length;
  console.log(`\n${failed === 0 ? 'e2e passed' : `e2e FAILED (${failed} of ${results.length})`} in ${elapsed()}; artifacts in ${path.relative(process.cwd(), ARTIFACTS) || '.'}`);
  return failed === 0 ? 0 : 1;
}

/** `Category: Title` of every command package.json contributes, except those it hides from the palette. */
function commandTitles(): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    contributes: { commands: { command: string; title: string; category?: string }[]; menus?: { commandPalette?: { command: string; when?: string }[] } };
  };
  const hidden = new Set((manifest.contributes.menus?.commandPalette ?? []).filter((entry) => entry.when === 'false').map((entry) => entry.command));
  return manifest.contributes.commands
    .filter((command) => !hidden.has(command.command))
    .map((command) => (command.category ? `${command.category}: ${command.title}` : command.title));
}

function indent(text: string): string {
  return text.split('\n').map((line) => `    ${line}`).join('\n');
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(error);
    await killAll();
    process.exit(1);
  },
);
