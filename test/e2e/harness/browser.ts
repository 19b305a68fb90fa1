// Debian's chromium driven by playwright-core (no browser download): opens code-server's workbench.
import { chromium, type BrowserContext } from 'playwright-core';
import { withTimeout } from './processes';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags that keep chromium quiet and off the network on a machine without display or GPU. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A fresh chromium profile in `userDataDir`; close it with `closeBrowser`. */
export async function launchBrowser(userDataDir: string, env: NodeJS.ProcessEnv): Promise<BrowserContext> {
  const environment = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return withTimeout('chromium to start', 60_000, chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    env: environment,
    // Tall enough for the Problems panel, maximized, to render a row for every finding of examples/.
    viewport: { width: 1440, height: 1200 },
    timeout: 60_000,
  }));
}

export async function closeBrowser(context: BrowserContext | undefined): Promise<void> {
  if (!context) return;
  // playwright kills chromium's process group itself; bound the wait in case it hangs.
  await withTimeout('chromium to close', 15_000, context.close()).catch(() => undefined);
}
