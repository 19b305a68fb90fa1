/** Option values that `spki` and `verify` read alike; each throws the caller's usage error. */

export const MAX_TIMEOUT_MS = 600_000;

export type UsageError = new (message: string) => Error;

export function timeoutMsOption(value: string, Usage: UsageError): number {
  const ms = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(ms >= 1 && ms <= MAX_TIMEOUT_MS)) throw new Usage(`--timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
  return ms;
}

export function textOrJsonOption(value: string, Usage: UsageError): 'text' | 'json' {
  if (value !== 'text' && value !== 'json') throw new Usage(`--format must be text or json, not '${value}'`);
  return value;
}
