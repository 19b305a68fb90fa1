import { median } from '../stats';
import { runCommand } from './run-command';

export interface NodeStartResult {
  /** Median wall time of `node -e 0`, in this process's environment. */
  ms: number;
  /** The same with NODE_EXTRA_CA_CERTS unset, when it is set here. */
  withoutExtraCaCertsMs?: number;
  runs: number;
}

/**
 * Node's own start-up (`node -e 0`): the floor under every CLI run, and most of a scan of an
 * empty folder. Node 20 reads a NODE_EXTRA_CA_CERTS bundle as it starts, before any JavaScript
 * (this sandbox sets one): timed without it too, to say what that costs here.
 */
export async function measureNodeStart(runs: number): Promise<NodeStartResult> {
  const time = async (env: NodeJS.ProcessEnv) => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) samples.push((await runCommand(process.execPath, ['-e', '0'], { env })).wallMs);
    return median(samples);
  };
  const ms = await time(process.env);
  if (!process.env.NODE_EXTRA_CA_CERTS) return { ms, runs };
  const { NODE_EXTRA_CA_CERTS: _set, ...without } = process.env;
  return { ms, withoutExtraCaCertsMs: await time(without), runs };
}
