import type { Level } from '../engine/types';

/**
 * Diagnostics from checking pins against live hosts. They are not engine rules (no syntax tree
 * decides them), but they share the rules' conventions: source, code, docs page under docs/rules.
 */
export const VERIFICATION_DIAGNOSTICS = {
  stalePin: { id: 'stale-pin', level: 'warning' },
  noPinMatchesHost: { id: 'no-pin-matches-host', level: 'error' },
  pinnedCertificateExpiring: { id: 'pinned-certificate-expiring', level: 'warning' },
  noBackupPin: { id: 'no-backup-pin', level: 'warning' },
} as const satisfies Record<string, { id: string; level: Level }>;

export const VERIFICATION_DIAGNOSTIC_IDS: readonly string[] = Object.values(VERIFICATION_DIAGNOSTICS).map((d) => d.id);
