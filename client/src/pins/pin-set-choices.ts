/** Choosing the pin set a pin goes into (pure: no `vscode` import, unit-tested). */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PinSetSelector, PinSetSummary } from '../../../common/protocol';

export interface PinSetChoice {
  label: string;
  description: string;
  detail?: string;
  selector: PinSetSelector;
  /** Already holds the pin: inserting changes nothing. */
  holdsPin: boolean;
}

/**
 * The sets a pin may go into, best first. With the `host` the pin came from, a host-keyed map
 * is one choice (its entry for that host, or a new entry), listed before the rest; sets that
 * hold the pin already say so. `preselected` (a quick fix's set) comes first of all.
 */
export function pinSetChoices(
  pinSets: readonly PinSetSummary[],
  pin: string,
  options: { host?: string; preselected?: { file: string; range: PinSetSummary['range'] }; fileName: (uri: string) => string },
): PinSetChoice[] {
  const { host, fileName } = options;
  const choices: (PinSetChoice & { rank: number })[] = [];
  const maps = new Set<string>();
  for (const set of pinSets) {
    const where = `${fileName(set.uri)}:${set.range.start.line + 1}`;
    const holdsPin = set.holds.includes(pin);
    const selector = { file: set.uri, range: set.range };
    const preselected = options.preselected !== undefined && sameUri(options.preselected.file, set.uri) &&
      contains(set.range, options.preselected.range.start);
    if (host !== undefined && set.mapName !== undefined) {
      // One choice per map: the pin goes to the host's entry, whichever entry is picked.
      const mapKey = `${set.uri}\0${set.mapName}`;
      if (maps.has(mapKey)) continue;
      maps.add(mapKey);
      const entries = pinSets.filter((s) => s.uri === set.uri && s.mapName === set.mapName);
      const entry = entries.find((s) => s.host?.toLowerCase() === host.toLowerCase());
      choices.push({
        label: `${set.mapName}['${host}']`,
        description: `${fileName(set.uri)}:${(entry ?? set).range.start.line + 1}`,
        detail: entry
          ? `${entry.pinCount} pin${entry.pinCount === 1 ? '' : 's'}${entry.holds.includes(pin) ? ' · already holds this pin' : ''}`
          : `new entry for ${host} (the map has ${entries.map((e) => e.host).join(', ')})`,
        selector: entry ? { file: entry.uri, range: entry.range } : selector,
        holdsPin: entry?.holds.includes(pin) ?? false,
        rank: preselected ? 0 : 1,
      });
      continue;
    }
    choices.push({
      label: set.name ?? (set.kind === 'comparison' ? 'comparison of pins' : 'pin list'),
      description: where,
      detail: `${set.pinCount} pin${set.pinCount === 1 ? '' : 's'}${set.host ? ` for ${set.host}` : ''}${holdsPin ? ' · already holds this pin' : ''}`,
      selector,
      holdsPin,
      rank: preselected ? 0 : host !== undefined && set.host?.toLowerCase() === host.toLowerCase() ? 1 : 2,
    });
  }
  return choices
    .map((choice, order) => ({ choice, order }))
    .sort((a, b) => a.choice.rank - b.choice.rank || Number(a.choice.holdsPin) - Number(b.choice.holdsPin) || a.order - b.order)
    .map(({ choice: { rank: _rank, ...choice } }) => choice);
}

function contains(range: PinSetSummary['range'], position: PinSetSummary['range']['start']): boolean {
  const before = (a: typeof position, b: typeof position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(range.start, position) && before(position, range.end);
}

/** A selector's file may be a path or a URI; the server sends URIs. */
function sameUri(file: string, uri: string): boolean {
  return file === uri || asPath(file) === asPath(uri);
}

function asPath(file: string): string {
  try {
    return file.startsWith('file:') ? fileURLToPath(file) : path.resolve(file);
  } catch {
    return file;
  }
}
