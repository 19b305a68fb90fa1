// Runs the mocha suite of test/e2e/host inside code-server's real extension host: the workbench
// opens with a `payload` naming the extension under test and the suite, and reports the end
// through `codeAutomationExit`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import type { RunningCodeServer } from '../harness/code-server';
import { withTimeout } from '../harness/processes';

export interface ExtensionHostRun {
  /** The extension's folder as code-server installed it from the .vsix. */
  installedExtension: string;
  /** The compiled test/e2e/host/index.js. */
  suiteIndex: string;
  workspace: string;
  resultsFile: string;
  timeoutMs: number;
}

/** Resolves with the suite's report; throws with that report when a test failed or nothing ran. */
export async function runExtensionHostSuite(browser: BrowserContext, server: RunningCodeServer, options: ExtensionHostRun): Promise<string> {
  const remote = (file: string) => `vscode-remote://127.0.0.1:${server.port}${file}`;
  // The installed extension is also the development extension: the suite runs against exactly
  // what the .vsix unpacked to, and VS Code only runs a test suite next to a development extension.
  const payload = [
    ['extensionDevelopmentPath', remote(options.installedExtension)],
    ['extensionTestsPath', remote(options.suiteIndex)],
  ];
  const page = await browser.newPage();
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
  let reportExit: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => (reportExit = resolve));
  await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
  const url = `${server.url}/?folder=${encodeURIComponent(options.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  try {
    await page.goto(url, { timeout: 60_000 });
    const code = await withTimeout(`the extension-host suite to finish (results so far: ${options.resultsFile})`, options.timeoutMs, exited).catch((error: Error) => {
      throw new Error(`${error.message}\n${report(options.resultsFile)}\nBrowser console (last lines):\n${consoleLines.slice(-20).join('\n')}`);
    });
    const results = report(options.resultsFile);
    if (code !== 0 || !/\d+ passing, 0 failing/.test(results)) {
      throw new Error(`extension-host suite failed (exit code ${code}):\n${results}\nBrowser console (last lines):\n${consoleLines.slice(-20).join('\n')}`);
    }
    return results;
  } finally {
    await page.close().catch(() => undefined);
  }
}

function report(resultsFile: string): string {
  return fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8').trimEnd() : `(no results were written to ${path.basename(resultsFile)})`;
}
