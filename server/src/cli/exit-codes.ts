/**
 * Exit codes of every command: 0 it ran and found nothing to fail on, 1 it found what it fails
 * on (scan: findings at or above --fail-on; verify: a pin set none of whose pins matches; spki: an
 * unreachable host or no certificate in the file), 2 the command could not run (usage, unreadable input).
 */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
