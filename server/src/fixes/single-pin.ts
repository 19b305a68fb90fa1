/**
 * single-pin: a backup pin comes from outside the code — a host's chain or a certificate file —
 * so both fixes ask the editor to run the pin commands with this pin set chosen.
 */
import type { DraftFix, FixContext } from './context';

export function singlePinFixes(context: FixContext): DraftFix[] {
  const pinSet = { file: context.file.id, range: context.finding.range };
  return [
    { title: 'Add a backup pin from a host…', preferred: true, input: { kind: 'backupPinFromHost', pinSet } },
    { title: 'Add a backup pin from a certificate file…', preferred: false, input: { kind: 'backupPinFromCertificateFile', pinSet } },
  ];
}
