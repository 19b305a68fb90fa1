// Installs the Debian packages the e2e run needs, only when one is missing.
import { spawnSync } from 'node:child_process';
import { run } from './processes';

/** Debian packages the run needs (recommends are skipped: they only cost install time). */
export const E2E_PACKAGES = [
  'chromium', // drives code-server's workbench through playwright-core
  'fonts-dejavu-core', // something for chromium to render the screenshots with
  'libkrb5-dev', // code-server's `kerberos` module compiles against it
  'ripgrep', // code-server's @vscode/ripgrep would download rg from GitHub
  'build-essential', // node-gyp builds code-server's native modules
  'python3', // node-gyp
  'openssl', // certificates for the loopback TLS server of the pin tests
  'neovim',
  'emacs-nox',
  'elpa-eglot',
];

/** What code-server alone needs (`npm run demo`). */
export const CODE_SERVER_PACKAGES = ['libkrb5-dev', 'ripgrep', 'build-essential', 'python3'];

export async function ensureAptPackages(env: NodeJS.ProcessEnv, log: (line: string) => void, packages: readonly string[] = E2E_PACKAGES): Promise<void> {
  const missing = packages.filter((name) => !isInstalled(name));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages: ${missing.join(' ')}. Install them (sudo apt-get install -y ${missing.join(' ')}) or run as root.`);
  }
  log(`apt-get install ${missing.join(' ')}`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get update', 'apt-get', ['update', '-qq'], { env: aptEnv, timeoutMs: 180_000 });
  await run('apt-get install', 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env: aptEnv, timeoutMs: 420_000 });
}

function isInstalled(name: string): boolean {
  const status = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return status.status === 0 && status.stdout.includes('install ok installed');
}
