/**
 * Whether this is the long reliability run (`npm run test:reliability:long`): properties then
 * run many more cases than the bounded ones in `npm test`.
 */
export const LONG_RUN = process.env.PINNING_AUDIT_LONG_RUN === '1';

/** `bounded` cases in `npm test`, `long` in the long run. */
export function runs(bounded: number, long: number): number {
  return LONG_RUN ? long : bounded;
}
