import type { Node } from 'web-tree-sitter';
import type { Family } from '../engine/languages';
import type { SourceFile } from '../engine/source-file';
import type { Level } from '../engine/types';
import type { PinFormat } from '../engine/workspace';
import type { OffsetEdit } from '../fixes/types';

/**
 * What a library option does to the server-trust decision. Each effect is one rule's finding,
 * so rules never name a library:
 * - `acceptsAnyCertificate` → trust-all-certificates
 * - `hostNotChecked` → pin-check-ignores-host
 * - `chainNotValidated` → chain-validation-disabled
 * - `pinsNotEnforced` → pinning-not-enforced
 * - `pinsWholeCertificate` → full-certificate-hash
 */
export type TrustEffect = 'acceptsAnyCertificate' | 'hostNotChecked' | 'chainNotValidated' | 'pinsNotEnforced' | 'pinsWholeCertificate';

/** The fix a model offers for one of its options: offsets into the analysed text. */
export interface OptionFix {
  title: string;
  edits: OffsetEdit[];
}

/** One library call or option, read as what it does to trust: `PublicKeysTrustEvaluator(validateHost: false)`. */
export interface TrustOption {
  effect: TrustEffect;
  /** The model's id (its file name): `alamofire`. */
  library: string;
  /** What the finding underlines: the option, the argument or the call. */
  node: Node;
  /** What the option does, in the library's own terms. */
  message: string;
  /** Replaces the rule's default level (a model that knows the case is milder). */
  level?: Level;
  /** The preferred fix, when the model knows one. */
  fix?: OptionFix;
}

/** A collection literal that a library reads as pins, with what the library says about it. */
export interface PinSetClaim {
  /** The collection literal (list, array, set). */
  node: Node;
  library: string;
  /** The host the library binds the set to. */
  host?: string;
  /** A name for messages when there is no host: `allowedSHAFingerprints`. */
  name?: string;
  format: PinFormat;
  /** Added to single-pin's message: what the library itself does with fewer than two pins. */
  singlePinNote?: string;
  /** The pins' values, when the collection's elements are not the pins themselves (ATS identities: `{ 'SPKI-SHA256-BASE64': '...' }`). */
  pins?: Node[];
  /** The date (`YYYY-MM-DD`) from which the library stops enforcing the set, and the offsets of its text (inside the quotes). */
  expires?: { date: string; start: number; end: number };
}

/**
 * One library's knowledge, in one file (as CodeQL keeps one model per framework): it turns the
 * library's calls and options into trust options and pin sets, which the rules read.
 */
export interface LibraryModel {
  /** The file name under `server/src/libraries/`: `alamofire`. */
  id: string;
  /** As docs/libraries.md names it: `Alamofire 5 and 4`. */
  name: string;
  family: Family;
  /**
   * Words without which the model finds nothing in a file. They join the triggers of the rules
   * its effects feed (and the pin-set triggers when it claims pin sets).
   */
  triggers: readonly string[];
  /** The effects `trustOptions` can report: which rules need this model's triggers. */
  effects: readonly TrustEffect[];
  trustOptions?(file: SourceFile): TrustOption[];
  pinSets?(file: SourceFile): PinSetClaim[];
}
