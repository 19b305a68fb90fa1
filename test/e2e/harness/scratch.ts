// One scratch folder per run under the system temp folder. Every program the run starts gets
// HOME, XDG_* and TMPDIR pointed inside it, so nothing lands in the real home folder.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Scratch {
  root: string;
  /** Environment for child processes: HOME, XDG_* and TMPDIR inside `root`. */
  env: NodeJS.ProcessEnv;
  /** A new, empty folder inside the scratch folder. */
  folder(name: string): string;
  remove(): void;
}

export function createScratch(prefix = 'pinning-audit-e2e'): Scratch {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const folder = (name: string) => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: folder('home'),
    XDG_CONFIG_HOME: folder('xdg/config'),
    XDG_DATA_HOME: folder('xdg/data'),
    XDG_CACHE_HOME: folder('xdg/cache'),
    XDG_STATE_HOME: folder('xdg/state'),
    XDG_RUNTIME_DIR: folder('xdg/runtime'),
    TMPDIR: folder('tmp'),
  };
  // npm reads the user's real config (registry, nodedir for node-gyp), but writes only to caches we name.
  const userNpmrc = path.join(os.homedir(), '.npmrc');
  if (fs.existsSync(userNpmrc)) env.npm_config_userconfig = userNpmrc;
  env.npm_config_update_notifier = 'false';
  // VS Code's and Electron's variables from a surrounding editor session would confuse code-server.
  for (const name of Object.keys(env)) {
    if (name.startsWith('VSCODE_') || name === 'ELECTRON_RUN_AS_NODE') delete env[name];
  }
  return { root, env, folder, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}
