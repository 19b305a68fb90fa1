/**
 * Preloaded (`node --require`) into the built server or CLI: records every attempt to reach the
 * network — DNS lookups, TCP/TLS connects, HTTP(S) and HTTP/2 requests, UDP sockets, fetch —
 * as one JSON line each in the file named by NETWORK_LOG, then lets it proceed. Nothing may be
 * written to stdout: for the server it is the protocol.
 */
// `import x = require()`: the modules themselves, not read-only namespace copies of them.
import dgram = require('node:dgram');
import dns = require('node:dns');
import fs = require('node:fs');
import http = require('node:http');
import http2 = require('node:http2');
import https = require('node:https');
import net = require('node:net');
import tls = require('node:tls');

const logFile = process.env.NETWORK_LOG;

function record(api: string, args: unknown[]): void {
  if (!logFile) return;
  const target = args.map((a) => (typeof a === 'string' || typeof a === 'number' ? a : a && typeof a === 'object' ? JSON.stringify(a, ['host', 'hostname', 'port', 'path', 'href']) : typeof a)).slice(0, 3);
  fs.appendFileSync(logFile, `${JSON.stringify({ api, target, pid: process.pid })}\n`);
}

/** Wraps `owner[name]` so each call is recorded first. */
function watch(owner: object, name: string, api: string): void {
  const target = owner as Record<string, unknown>;
  const original = target[name];
  if (typeof original !== 'function') return;
  target[name] = function (this: unknown, ...args: unknown[]) {
    record(api, args);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
}

watch(net.Socket.prototype, 'connect', 'net.Socket.connect');
watch(tls, 'connect', 'tls.connect');
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'reverse']) {
  watch(dns, name, `dns.${name}`);
  watch(dns.promises, name, `dns.promises.${name}`);
}
for (const [module, label] of [[http, 'http'], [https, 'https']] as const) {
  watch(module, 'request', `${label}.request`);
  watch(module, 'get', `${label}.get`);
}
watch(http2, 'connect', 'http2.connect');
watch(dgram, 'createSocket', 'dgram.createSocket');
watch(globalThis, 'fetch', 'fetch');
