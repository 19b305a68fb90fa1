import * as tls from 'node:tls';

export const socket = tls.connect({
  host: 'device.local',
  // pinning-audit-ignore-next-line pin-check-ignores-host -- device setup over link-local, no PKI
  rejectUnauthorized: false,
});
