// A few checks through the workbench UI itself, with screenshots for people to look at. The
// selectors are VS Code 1.100's (code-server is pinned): keep this list short.
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { ExpectedFinding } from '../host/run-config';
import type { RunningCodeServer } from '../harness/code-server';
import { waitFor } from '../harness/processes';

export interface UiSmokeOptions {
  workspace: string;
  expectedFindings: ExpectedFinding[];
  /** `Category: Title` of every command package.json contributes. */
  commandTitles: string[];
  /** Where the screenshots go (test/e2e/artifacts). */
  artifacts: string;
}

const UI_TIMEOUT_MS = 30_000;

/** Runs the smoke checks on one page; returns the lines of its report (screenshots written). */
export async function runUiSmoke(browser: BrowserContext, server: RunningCodeServer, options: UiSmokeOptions): Promise<string[]> {
  const page = await browser.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  const report: string[] = [];
  const screenshot = async (name: string) => {
    const file = path.join(options.artifacts, name);
    await page.screenshot({ path: file });
    report.push(`  screenshot ${path.relative(process.cwd(), file)}`);
  };
  try {
    await page.goto(`${server.url}/?folder=${encodeURIComponent(options.workspace)}`, { timeout: 60_000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });

    // Opening a file activates the extension; the workspace scan then fills the Problems panel.
    await quickOpen(page, 'http.ts');
    await runCommand(page, 'Problems: Focus on Problems View');
    await maximizePanel(page);
    const expected = expectedProblemRows(options.expectedFindings);
    const shown = await waitFor(`the Problems panel to list the ${expected.length} findings of examples/`, 60_000, async () => {
      const rows = await problemRows(page);
      return sameLines(rows, expected) ? rows : undefined;
    }, 500).catch(async (error: Error) => {
      await screenshot('problems-panel-FAILED.png');
      throw new Error(`${error.message}\nexpected:\n${expected.join('\n')}\nshown:\n${(await problemRows(page)).join('\n')}`);
    });
    report.push(`  ok   Problems panel lists the ${shown.length} findings of examples/ (same as the CLI)`);
    await screenshot('problems-panel.png');
    await runCommand(page, 'View: Toggle Maximized Panel');

    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill('>Pinning Audit: ');
    await waitFor('the command palette to list every Pinning Audit command', UI_TIMEOUT_MS, async () => {
      const labels = await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
      const absent = options.commandTitles.filter((title) => !labels.some((label) => label.startsWith(title)));
      return absent.length === 0 ? absent : undefined;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; expected: ${options.commandTitles.join(', ')}`);
    });
    report.push(`  ok   command palette lists ${options.commandTitles.length} commands: ${options.commandTitles.join(', ')}`);
    await screenshot('command-palette.png');
    await page.keyboard.press('Escape');

    await runCommand(page, 'Pinning Audit: Scan Workspace');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: `Pinning Audit: ${options.expectedFindings.length} findings in` });
    await toast.first().waitFor({ timeout: 60_000 });
    report.push(`  ok   Scan Workspace reports "${(await toast.first().innerText()).split('\n')[0]}"`);
    await screenshot('scan-workspace-notification.png');

    report.push(...(await applyQuickFixFromLightBulb(page, options.expectedFindings, screenshot)));
    return report;
  } catch (error) {
    await screenshot('ui-smoke-FAILED.png').catch(() => undefined);
    throw error;
  } finally {
    await page.close().catch(() => undefined);
  }
}

/** The finding the light-bulb check fixes: `rejectUnauthorized: false` in http.ts. */
function isLightBulbTarget(finding: ExpectedFinding): boolean {
  return finding.path.endsWith('node_service/src/http.ts') && finding.ruleId === 'trust-all-certificates';
}

/** Cursor on the finding, Ctrl+. opens the light-bulb menu, its first fix is chosen: the Problems panel loses that row. */
async function applyQuickFixFromLightBulb(page: Page, findings: ExpectedFinding[], screenshot: (name: string) => Promise<void>): Promise<string[]> {
  const target = findings.find(isLightBulbTarget);
  if (!target) throw new Error('examples/node_service/src/http.ts no longer has its trust-all-certificates finding');
  await quickOpen(page, 'http.ts');
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').fill(`:${target.line}:${target.column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  // Until the server has audited the open document, the menu says "No code actions available": ask again.
  const fixes = page.locator('.action-widget .monaco-list-row.action');
  await waitFor(`the light-bulb menu (Ctrl+.) at ${target.path}:${target.line}:${target.column}`, UI_TIMEOUT_MS, async () => {
    await page.keyboard.press('Control+.');
    const shown = await fixes.first().waitFor({ timeout: 2000 }).then(() => true, () => false);
    if (!shown) await page.keyboard.press('Escape');
    return shown ? true : undefined;
  }, 100);
  const titles = await fixes.evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? row.textContent ?? ''));
  await screenshot('quick-fix-menu.png');
  const fix = titles.find((title) => !title.startsWith('Ignore ') && !title.startsWith('Show documentation'));
  if (!fix) throw new Error(`the light-bulb menu offers no fix, only: ${titles.join(' | ')}`);
  // The menu is keyboard-driven (a pointer block covers it): move the focus to the fix, Enter.
  const focused = page.locator('.action-widget .monaco-list-row.action.focused');
  await waitFor(`"${fix}" to be focused in the light-bulb menu`, UI_TIMEOUT_MS, async () => {
    if ((await focused.getAttribute('aria-label')) === fix) return true;
    await page.keyboard.press('ArrowDown');
    return undefined;
  }, 100);
  await page.keyboard.press('Enter');
  // All rows must be rendered to be read: the list only renders what fits.
  await maximizePanel(page);
  const expected = expectedProblemRows(findings.filter((f) => f !== target));
  await waitFor(`the Problems panel without ${target.path}:${target.line} after "${fix}"`, UI_TIMEOUT_MS, async () =>
    sameLines(await problemRows(page), expected) ? true : undefined, 250).catch(async (error: Error) => {
    throw new Error(`${error.message}\nshown:\n${(await problemRows(page)).join('\n')}`);
  });
  await screenshot('quick-fix-applied.png');
  await runCommand(page, 'View: Toggle Maximized Panel');
  return [`  ok   light bulb on ${target.path}:${target.line} offers ${titles.length} actions; "${fix}" removes the finding from the Problems panel`];
}

/** Quick Open (Ctrl+P): types the name and opens the first match once it is listed. */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(fileName);
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: fileName }).waitFor();
}

/** Command palette (F1): types the title and runs it once it is the first entry. */
/**
 * Makes the panel fill the window, so every Problems row is rendered (the list draws only the
 * rows in view). "Toggle Maximized Panel" is a toggle, and run while the panel is still opening
 * it can leave it small: the height is checked, and the toggle run again until it holds.
 */
async function maximizePanel(page: Page): Promise<void> {
  const height = page.viewportSize()?.height ?? 900;
  await waitFor('the panel to fill the window', UI_TIMEOUT_MS, async () => {
    const box = await page.locator('.monaco-workbench .part.panel').boundingBox();
    if (box && box.height > height * 0.6) return true;
    await runCommand(page, 'View: Toggle Maximized Panel');
    return undefined;
  }, 1_000);
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const first = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
  await waitFor(`"${title}" in the command palette`, UI_TIMEOUT_MS, async () => ((await first.getAttribute('aria-label'))?.startsWith(title) ? true : undefined));
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * The Problems rows as `folder/file:line:column level message`. File rows (level 1) say
 * "N problems in file F of folder D"; marker rows (level 2) "Error: M at line L and character C. generated by S".
 */
async function problemRows(page: Page): Promise<string[]> {
  const labels = await page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => ({ level: row.getAttribute('aria-level'), label: row.getAttribute('aria-label') ?? '', index: Number(row.getAttribute('data-index')) })));
  labels.sort((a, b) => a.index - b.index);
  const lines: string[] = [];
  let file = '?';
  for (const { level, label } of labels) {
    const fileRow = /^\d+ problems? in file (.+) of folder (.+)$/.exec(label);
    if (level === '1' && fileRow) file = `${fileRow[2]}/${fileRow[1]}`;
    const marker = /^(Error|Warning|Info): ([\s\S]*) at line (\d+) and character (\d+)\. generated by (\S+)$/.exec(label);
    if (level === '2' && marker) lines.push(`${file}:${marker[3]}:${marker[4]} ${LEVELS[marker[1]]} ${marker[2]} (${marker[5]})`);
  }
  return lines;
}

const LEVELS: Record<string, string> = { Error: 'error', Warning: 'warning', Info: 'note' };

function expectedProblemRows(findings: ExpectedFinding[]): string[] {
  return findings.map((f) => `${f.path}:${f.line}:${f.column} ${f.level} ${f.message} (pinning-audit)`);
}

function sameLines(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().every((line, i) => line === [...b].sort()[i]);
}
