import type { PinSet } from '../engine/workspace';

/** The map a host-keyed entry belongs to: `spkiPinsByHost` for `spkiPinsByHost[api.example.com]`. */
export function mapNameOf(set: PinSet): string | undefined {
  if (set.name === undefined || !set.name.endsWith(']')) return undefined;
  const bracket = set.name.lastIndexOf('[');
  return bracket > 0 ? set.name.slice(0, bracket) : undefined;
}

/** How a set is found again in its file after edits: its name, else its host; undefined when it has neither. */
export function pinSetKey(set: PinSet): string | undefined {
  return set.name ?? set.host;
}

export function sameHost(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** `map[host]` entries of the same map in the same file as `entry`. */
export function entriesOfSameMap(sets: readonly PinSet[], entry: PinSet): PinSet[] {
  const map = mapNameOf(entry);
  if (map === undefined) return [];
  return sets.filter((s) => s.file === entry.file && s.host !== undefined && mapNameOf(s) === map);
}
