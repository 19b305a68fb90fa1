/** Planning and summing up a live-host verification (pure: no `vscode` import, unit-tested). */
import type { PinSetTie, PinSetVerification } from '../../../common/protocol';

/** One handshake per target and SNI name serves every set tied to it. */
export function fetchGroups(ties: readonly PinSetTie[]): { target: PinSetTie['target']; servername?: string; ties: PinSetTie[] }[] {
  const groups = new Map<string, { target: PinSetTie['target']; servername?: string; ties: PinSetTie[] }>();
  for (const tie of ties) {
    const key = `${tie.target.host}|${tie.target.port}|${tie.servername ?? ''}`;
    const group = groups.get(key) ?? { target: tie.target, ...(tie.servername ? { servername: tie.servername } : {}), ties: [] };
    group.ties.push(tie);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The notification after a verification: how bad, and one sentence. */
export function verificationMessage(results: readonly PinSetVerification[]): { level: 'info' | 'warning' | 'error'; text: string } {
  const count = (status: PinSetVerification['status']) => results.filter((r) => r.status === status).length;
  const noMatch = count('noMatch');
  const unreachable = count('unreachable');
  const sets = `${results.length} pin set${results.length === 1 ? '' : 's'}`;
  if (noMatch > 0) {
    const names = results.filter((r) => r.status === 'noMatch').map((r) => r.name ?? r.host).join(', ');
    return { level: 'error', text: `${noMatch} of ${sets} match nothing their host serves (${names}): those builds cannot connect.` };
  }
  if (unreachable > 0) {
    const hosts = [...new Set(results.filter((r) => r.status === 'unreachable').map((r) => r.host))].join(', ');
    return { level: 'warning', text: `${sets} checked; ${unreachable} could not be: ${hosts} not reachable.` };
  }
  return { level: 'info', text: `${sets} checked: each has a pin its host serves.` };
}

/** `run` over `items`, at most `limit` at a time; results in input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
