import type { HostCheck } from '../../../common/pins/host-check';
import type { PinSet } from '../engine/workspace';
import { pinSetKey } from './pin-set-names';
import { verifyPinSet, type PinSetVerificationResult } from './verify-pins';

export interface StoredCheck {
  host: string;
  check: HostCheck;
  rotationWarningDays: number;
}

/**
 * The last live-host check per pin set, by file key and set key (name or host), so the
 * verdict is recomputed from each new text: a pin added after a failed check clears the error.
 */
export class VerificationStore {
  private readonly byFile = new Map<string, Map<string, StoredCheck>>();

  set(fileKey: string, setKey: string, stored: StoredCheck): void {
    let sets = this.byFile.get(fileKey);
    if (!sets) this.byFile.set(fileKey, (sets = new Map()));
    sets.set(setKey, stored);
  }

  has(fileKey: string): boolean {
    return this.byFile.has(fileKey);
  }

  get(fileKey: string, set: PinSet): StoredCheck | undefined {
    const key = pinSetKey(set);
    return key === undefined ? undefined : this.byFile.get(fileKey)?.get(key);
  }

  /** The verdict for each set of the file that has a stored check. */
  verify(fileKey: string, sets: readonly PinSet[], now: Date): { set: PinSet; stored: StoredCheck; result: PinSetVerificationResult }[] {
    if (!this.byFile.has(fileKey)) return [];
    const verdicts = [];
    for (const set of sets) {
      const stored = this.get(fileKey, set);
      if (stored) verdicts.push({ set, stored, result: verifyPinSet(set, stored.host, stored.check, { now, rotationWarningDays: stored.rotationWarningDays }) });
    }
    return verdicts;
  }
}
