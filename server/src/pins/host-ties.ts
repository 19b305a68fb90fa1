import { isIP } from 'node:net';
import { parseTarget, type TlsTarget } from '../../../common/certs/target';
import type { PinSet } from '../engine/workspace';
import { pinSetKey } from './pin-set-names';

/** A pin set and the live host its pins must match. */
export interface HostTie {
  set: PinSet;
  setKey: string;
  /** As written: the map key, or the hosts-map value. */
  host: string;
  target: TlsTarget;
  /** SNI name when it is not the target host (a map entry's host checked at an address). */
  servername?: string;
  /** The hosts-map key that tied the set, when a hosts map did. */
  hostsKey?: string;
}

export interface SkippedTie {
  set?: PinSet;
  name: string;
  reason: string;
}

/**
 * The pin sets tied to a host: entries of host-keyed maps, and sets named in `hosts`
 * (pin set name or map host → `host[:port]` or URL; the `pinningAudit.hosts` setting and the
 * CLI's `--host`). A hosts entry overrides a map key, e.g. to check a staging address.
 */
export function hostTies(sets: readonly PinSet[], hosts: Readonly<Record<string, string>> = {}): { ties: HostTie[]; skipped: SkippedTie[] } {
  const ties: HostTie[] = [];
  const skipped: SkippedTie[] = [];
  const used = new Set<string>();
  /** Names match exactly; host names in any letter case. */
  const lookup = (key: string | undefined, anyCase: boolean): [string, string] | undefined => {
    if (key === undefined) return undefined;
    const found = Object.keys(hosts).find((k) => k === key || (anyCase && k.toLowerCase() === key.toLowerCase()));
    return found === undefined ? undefined : [found, hosts[found]];
  };
  for (const set of sets) {
    const setKey = pinSetKey(set);
    if (setKey === undefined) continue;
    const configured = lookup(set.name, false) ?? lookup(set.host, true);
    if (configured) {
      const [key, value] = configured;
      used.add(key);
      try {
        const target = parseTarget(value);
        const servername = set.host !== undefined && isIP(target.host) !== 0 && !set.host.startsWith('*.') ? set.host : undefined;
        ties.push({ set, setKey, host: value, target, ...(servername ? { servername } : {}), hostsKey: key });
      } catch (error) {
        skipped.push({ set, name: key, reason: (error as Error).message });
      }
      continue;
    }
    if (set.host === undefined) continue;
    if (set.host.startsWith('*.')) {
      skipped.push({ set, name: set.name ?? set.host, reason: `wildcard host ${set.host}: map this set to a concrete host to check it` });
      continue;
    }
    ties.push({ set, setKey, host: set.host, target: { host: set.host, port: 443 } });
  }
  for (const key of Object.keys(hosts)) {
    if (!used.has(key)) skipped.push({ name: key, reason: 'no pin set has this name or host' });
  }
  return { ties, skipped };
}

/** One fetch serves every tie with the same target and SNI name. */
export function fetchKey(tie: Pick<HostTie, 'target' | 'servername'>): string {
  return `${tie.target.host}|${tie.target.port}|${tie.servername ?? ''}`;
}
