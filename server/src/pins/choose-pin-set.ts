import type { Position } from '../engine/types';
import type { PinSet } from '../engine/workspace';
import { mapNameOf, sameHost } from './pin-set-names';

export type PinSetChoice =
  | { kind: 'set'; set: PinSet }
  /** The workspace has no pin set at all: a pins file is the way forward. */
  | { kind: 'none' }
  | { kind: 'ambiguous'; sets: PinSet[] }
  | { kind: 'notFound'; message: string };

/** The innermost set whose range holds `position` (a diagnostic on a pin names its set). */
export function pinSetAt(sets: readonly PinSet[], position: Position): PinSet | undefined {
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  const holding = sets.filter((s) => before(s.range.start, position) && before(position, s.range.end));
  return holding.sort((a, b) => (before(a.range.start, b.range.start) ? 1 : -1))[0];
}

/**
 * Picks the set a pin goes into, from every set of the workspace. By name; by host (its entry
 * of a host-keyed map, or else the one host-keyed map, where the entry will be created); or,
 * given nothing, the only set there is. `host` alone (a pin fetched from that host) acts like
 * `{host}` but falls back to the only set when no map is keyed by host.
 */
export function choosePinSet(sets: readonly PinSet[], selector: { name: string } | { host: string } | undefined, host?: string): PinSetChoice {
  if (sets.length === 0) return { kind: 'none' };
  if (selector && 'name' in selector) {
    const named = sets.filter((s) => s.name === selector.name);
    if (named.length === 1) return { kind: 'set', set: named[0] };
    return named.length > 1 ? { kind: 'ambiguous', sets: named } : { kind: 'notFound', message: `no pin set is named '${selector.name}'` };
  }
  const wantedHost = selector?.host ?? host;
  if (wantedHost !== undefined) {
    const entries = sets.filter((s) => s.host !== undefined && sameHost(s.host, wantedHost));
    if (entries.length === 1) return { kind: 'set', set: entries[0] };
    if (entries.length > 1) return { kind: 'ambiguous', sets: entries };
    const maps = hostKeyedMaps(sets);
    if (maps.length === 1) return { kind: 'set', set: maps[0] };
    if (maps.length > 1) return { kind: 'ambiguous', sets: maps };
    if (selector) return { kind: 'notFound', message: `no pin set is tied to ${wantedHost}, and no map is keyed by host` };
  }
  return sets.length === 1 ? { kind: 'set', set: sets[0] } : { kind: 'ambiguous', sets: [...sets] };
}

/** One entry (the last) per host-keyed map: inserting into it with a host targets that host's entry. */
export function hostKeyedMaps(sets: readonly PinSet[]): PinSet[] {
  const byMap = new Map<string, PinSet>();
  for (const set of sets) {
    const map = set.host !== undefined ? mapNameOf(set) : undefined;
    if (map !== undefined) byMap.set(`${set.file}\0${map}`, set);
  }
  return [...byMap.values()];
}
