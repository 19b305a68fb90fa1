/**
 * single-pin: a backup pin comes from outside the code. The preferred fix makes a new key pair
 * (kept offline, deployed at the next rotation) and pins it; the others read a pin from a host's
 * chain or a certificate file. All three ask the editor to run a command with this pin set chosen.
 */
import type { DraftFix, FixContext } from './context';

export function singlePinFixes(context: FixContext): DraftFix[] {
  const pinSet = { file: context.file.id, range: context.finding.range };
  return [
    { title: 'Add a backup pin from a new key…', preferred: true, input: { kind: 'backupPinFromNewKey', pinSet } },
    { title: 'Add a backup pin from a host…', preferred: false, input: { kind: 'backupPinFromHost', pinSet } },
    { title: 'Add a backup pin from a certificate file…', preferred: false, input: { kind: 'backupPinFromCertificateFile', pinSet } },
  ];
}
