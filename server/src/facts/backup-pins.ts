/**
 * Which pins are recorded as backups: the pin is the last of its set on its line, and a comment
 * after it there says "backup" (`'…', // backup key, 2026-12-04`, `<pin …>…</pin> <!-- backup … -->`).
 * That comment is how the backup-key command records the pin, and how people mark it by hand;
 * `verify` then reports the pin as a backup rather than as stale.
 */
import type { SourceFile } from '../engine/source-file';
import type { PinSet } from '../engine/workspace';
import { lineEndOf } from '../fixes/text';

const COMMENT_AFTER = /(?:\/\/|\/\*|<!--|#)(.*)$/;

export function withBackupMarks(file: SourceFile, sets: PinSet[]): PinSet[] {
  for (const set of sets) {
    for (const pin of set.pins) {
      const end = file.offsetAt(pin.range.end);
      const rest = file.text.slice(end, lineEndOf(file.text, end));
      const laterOnLine = set.pins.some((p) => p !== pin && p.range.start.line === pin.range.end.line && file.offsetAt(p.range.start) >= end);
      if (!laterOnLine && /\bbackup\b/i.test(COMMENT_AFTER.exec(rest)?.[1] ?? '')) pin.backup = true;
    }
  }
  return sets;
}
