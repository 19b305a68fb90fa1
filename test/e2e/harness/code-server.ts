// code-server (VS Code 1.100.3 in a browser) for the e2e run: installed once into .cache/code-server
// (git-ignored, outside the extension's own dependencies), then started per run with a fresh profile.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { GiveUp, run, startGroup, tail, waitFor, type GroupProcess } from './processes';

/** The newest code-server that runs on Node 20 (see /work/shared/notes/real-editor-testing.md). */
export const CODE_SERVER_VERSION = '4.100.3';
/** The @vscode/ripgrep version code-server 4.100.3 depends on, and the rg release it downloads. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export interface CodeServerInstall {
  /** The JavaScript entry, run with this Node. */
  entry: string;
}

/** Installs code-server into `cacheDir` unless that version is already there; returns how to run it. */
export async function ensureCodeServer(cacheDir: string, npmCache: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<CodeServerInstall> {
  const entry = path.join(cacheDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const marker = path.join(cacheDir, `installed-${CODE_SERVER_VERSION}`);
  if (fs.existsSync(marker) && fs.existsSync(entry)) return { entry };

  log(`installing code-server ${CODE_SERVER_VERSION} into ${cacheDir} (once; about a minute)`);
  fs.rmSync(cacheDir, { recursive: true, force: true });
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(path.join(cacheDir, 'package.json'), JSON.stringify({ private: true, description: 'code-server for npm run test:e2e and npm run demo' }, null, 2));
  provideRipgrep(env.TMPDIR ?? '/tmp');
  await run('npm install code-server', 'npm', ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: cacheDir,
    env: { ...env, npm_config_cache: npmCache, npm_config_yes: 'true', npm_config_unsafe_perm: 'true' },
    timeoutMs: 480_000,
  });
  if (!fs.existsSync(entry)) throw new Error(`code-server installed, but ${entry} is missing`);
  fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
  return { entry };
}

/**
 * @vscode/ripgrep downloads rg from GitHub in its install script and fails without that route; it
 * first looks in this cache folder, where Debian's rg 13.0.0 (the same release) stands in.
 */
function provideRipgrep(tmpDir: string): void {
  const rg = '/usr/bin/rg';
  if (!fs.existsSync(rg)) throw new Error('ripgrep is not installed (apt-get install -y ripgrep)');
  const cache = path.join(tmpDir, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  fs.mkdirSync(cache, { recursive: true });
  const tarball = path.join(cache, RIPGREP_TARBALL);
  if (fs.existsSync(tarball)) return;
  const packed = spawnSync('tar', ['czf', tarball, '-C', path.dirname(rg), 'rg']);
  if (packed.status !== 0) throw new Error(`could not pack ${rg}: ${packed.stderr}`);
}

/** Installs a .vsix into the profile (code-server's own CLI, as a user would); returns the unpacked extension's folder. */
export async function installExtension(install: CodeServerInstall, vsix: string, profile: Profile, env: NodeJS.ProcessEnv, repoRoot: string): Promise<string> {
  const result = await run('code-server --install-extension', process.execPath, [
    install.entry, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--install-extension', vsix,
  ], { env, timeoutMs: 90_000 });
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const installed = path.join(profile.extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  if (!fs.existsSync(path.join(installed, 'package.json'))) {
    throw new Error(`code-server reported success but ${installed} does not exist. Output:\n${tail(result.output)}`);
  }
  return installed;
}

export interface Profile {
  userDataDir: string;
  extensionsDir: string;
}

/** User settings of a fresh profile: no welcome page, no update or gallery traffic. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
};

/** For a workspace copied from examples/, which has no node_modules. */
export const EXAMPLES_SETTINGS = {
  // TypeScript's own "cannot find module 'axios'" errors would crowd the Problems panel, and its
  // suggestion fixes ("Prefix 'hostname' with an underscore") the light-bulb menu.
  'typescript.validate.enable': false,
  'javascript.validate.enable': false,
  'typescript.suggestionActions.enabled': false,
  'javascript.suggestionActions.enabled': false,
};

export function createProfile(root: string, settings: Record<string, unknown> = {}): Profile {
  const profile = { userDataDir: path.join(root, 'user-data'), extensionsDir: path.join(root, 'extensions') };
  fs.mkdirSync(path.join(profile.userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(profile.extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(profile.userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  return profile;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  process: GroupProcess;
}

/** Starts code-server on loopback (`port`, or a free one) and waits until it answers HTTP. */
export async function startCodeServer(install: CodeServerInstall, profile: Profile, env: NodeJS.ProcessEnv, logFile: string, port?: number): Promise<RunningCodeServer> {
  port ??= await freePort();
  const server = startGroup('code-server', process.execPath, [
    install.entry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
  ], { env, logFile });
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  void server.exited.then(() => (exited = true));
  await waitFor(`code-server to answer on ${url} (log: ${logFile})`, 60_000, async () => {
    if (exited) throw new GiveUp(`code-server exited during start-up. Output:\n${tail(server.output())}`);
    const response = await fetch(`${url}/healthz`).catch(() => undefined);
    return response?.ok ? true : undefined;
  }, 250);
  return { url, port, process: server };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
