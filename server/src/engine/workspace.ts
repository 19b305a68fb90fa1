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
  /** `backup`: a comment after the pin records it as a backup key's (facts/backup-pins.ts). */
  pins: { value: string; range: Range; digest?: { name: string; range: Range }; backup?: true }[];
  usesSha256Prefix: boolean;
  /** How the values are read, when a library model says (absent: SPKI SHA-256 pins). */
  format?: PinFormat;
  /** The library model that reads this set as pins (`trustkit`), when one does. */
  library?: string;
  /** What the library itself does with fewer than two pins, for single-pin's message. */
  singlePinNote?: string;
  /**
   * The date after which the pins are no longer enforced (Android's `<pin-set expiration>`,
   * TrustKit's `TSKExpirationDate`), as written, and where its value is.
   */
  expires?: { date: string; range: Range };
}

/** How a library reads the values of a pin set. */
export type PinFormat =
  /** base64 of the SHA-256 of the SubjectPublicKeyInfo (optionally `sha256/`-prefixed): the default. */
  | { kind: 'spki-sha256' }
  /** A hex fingerprint of the whole certificate (`AB CD …`, `AB:CD:…`), of `bytes` bytes when the library fixes the algorithm. */
  | { kind: 'certificate-fingerprint'; bytes?: 20 | 32 }
  /** Names of certificate files bundled with the app (react-native-ssl-pinning's `certs`): no pins at all. */
  | { kind: 'certificate-file' };

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
