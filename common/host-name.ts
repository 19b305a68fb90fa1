/** A host name as a user types it for a pin check: labels of letters, digits and hyphens (an IPv4 address passes too). */
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Whether `value` can go into a generated `host == "…"` check as it is. Shared by the prompt and the server. */
export function isHostName(value: string): boolean {
  return HOST_NAME.test(value);
}

/** A DNS name a certificate may carry: a host name, or `*.` before one. */
export function isCertificateName(value: string): boolean {
  return isHostName(value.replace(/^\*\./, ''));
}
