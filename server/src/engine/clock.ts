/**
 * Today, for rules and checks that compare dates (pin-set expiry, certificate expiry).
 * `PINNING_AUDIT_TODAY=YYYY-MM-DD` fixes it: tests, and a CI that wants a reproducible report.
 */
export const TODAY_VARIABLE = 'PINNING_AUDIT_TODAY';

export function today(): Date {
  const fixed = process.env[TODAY_VARIABLE];
  if (fixed && /^\d{4}-\d{2}-\d{2}$/.test(fixed)) return new Date(`${fixed}T00:00:00Z`);
  return new Date();
}

/** The default of `pinningAudit.rotationWarningDays`: the rotation runbook's lead time. */
export const DEFAULT_ROTATION_WARNING_DAYS = 30;
