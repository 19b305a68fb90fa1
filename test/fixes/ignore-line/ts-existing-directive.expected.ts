import * as tls from 'node:tls';

export const socket = tls.connect({
  host: 'device.local',
  // pinning-audit-ignore-next-line pin-check-ignores-host, trust-all-certificates -- device setup over link-local, no PKI
  rejectUnauthorized: false,
});
