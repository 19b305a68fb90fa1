import type { Range } from './types';

/** A list of pins found in code (see docs/rules/single-pin.md for what counts). */
export interface PinSet {
  file: string;
  /** A list/set literal, or `hash == a || hash == b`. */
  kind: 'collection' | 'comparison';
  range: Range;
  /** The variable, constant or property the set is bound to, when there is one. */
  name?: string;
  /** The host a host-keyed map ties this set to. */
  host?: string;
  pins: { value: string; range: Range }[];
  usesSha256Prefix: boolean;
}

/** What the engine knows across files: rules read it, commands insert pins into it. */
export class WorkspaceFacts {
  private readonly pinSetsByFile = new Map<string, PinSet[]>();

  setPinSets(file: string, pinSets: PinSet[]): void {
    if (pinSets.length === 0) this.pinSetsByFile.delete(file);
    else this.pinSetsByFile.set(file, pinSets);
  }

  forget(file: string): void {
    this.pinSetsByFile.delete(file);
  }

  pinSets(): PinSet[] {
    return [...this.pinSetsByFile.values()].flat();
  }
}
