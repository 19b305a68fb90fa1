/** `YYYY-MM-DD` days, as Android's `<pin-set expiration>` and TrustKit's `TSKExpirationDate` write them. */

/** The UTC day `value` names, or undefined when it is not a `YYYY-MM-DD` day of the calendar. */
export function parseIsoDay(value: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.getUTCMonth() === Number(m[2]) - 1 && date.getUTCDate() === Number(m[3]) ? date : undefined;
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
