// `npm run demo`: code-server with the freshly packaged extension installed, on a copy of
// examples/, at a local URL (PORT=8080 npm run demo to choose the port). Everything lives in a
// scratch folder that is deleted when it stops (Ctrl-C).
import * as path from 'node:path';
import { CODE_SERVER_PACKAGES, ensureAptPackages } from './harness/apt';
import { createProfile, ensureCodeServer, EXAMPLES_SETTINGS, installExtension, startCodeServer } from './harness/code-server';
import { killAll, tail } from './harness/processes';
import { createScratch } from './harness/scratch';
import { packageExtension } from './harness/vsix';
import { copyExamples } from './harness/workspace';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CACHE = path.join(REPO_ROOT, '.cache');
const log = (line: string) => console.log(`[demo] ${line}`);
const scratch = createScratch('pinning-audit-demo');

let stopping: Promise<never> | undefined;
function stop(code: number): Promise<never> {
  return (stopping ??= (async () => {
    await killAll();
    scratch.remove();
    process.exit(code);
  })());
}

async function main(): Promise<number> {
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  await ensureAptPackages(scratch.env, log, CODE_SERVER_PACKAGES);
  const codeServer = await ensureCodeServer(path.join(CACHE, 'code-server'), path.join(CACHE, 'npm'), scratch.env, log);
  log('npm run package');
  const vsix = await packageExtension(REPO_ROOT, { ...scratch.env, npm_config_cache: path.join(CACHE, 'npm') });
  const profile = createProfile(scratch.folder('code-server'), EXAMPLES_SETTINGS);
  await installExtension(codeServer, vsix, profile, scratch.env, REPO_ROOT);
  const workspace = copyExamples(REPO_ROOT, path.join(scratch.root, 'examples'));
  const port = Number(process.env.PORT) || undefined;
  const server = await startCodeServer(codeServer, profile, scratch.env, path.join(scratch.root, 'code-server.log'), port);
  const folder = workspace.split('/').map(encodeURIComponent).join('/');
  console.log(`\nPinning Audit demo: ${server.url}/?folder=${folder}`);
  console.log('Open it in a browser, then any .dart, .swift or .ts file of the examples. Ctrl-C stops it.\n');
  const { code, signal } = await server.process.exited;
  if (stopping) return 0; // Ctrl-C: stop() is already cleaning up
  log(`code-server ended (${signal ?? `exit code ${code}`}). Its output ends with:\n${tail(server.process.output())}`);
  return 1;
}

main().then(stop, (error: unknown) => {
  console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`);
  return stop(1);
});
