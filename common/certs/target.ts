import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

export interface TlsTarget {
  /** Host name or IP literal, IPv6 without brackets. */
  host: string;
  port: number;
}

/** TLS ports of URL schemes whose default port is implied; other schemes must name a port. */
const DEFAULT_TLS_PORTS: Record<string, number> = {
  'https:': 443,
  'wss:': 443,
  'ldaps:': 636,
  'imaps:': 993,
  'pop3s:': 995,
  'smtps:': 465,
};

const PLAINTEXT_SCHEMES = new Set(['http:', 'ws:', 'ldap:', 'imap:', 'pop3:', 'smtp:', 'ftp:']);

/**
 * Reads `host`, `host:port`, `[::1]:8443`, a bare IPv6 literal, or a URL (`https://host[:port]/path`,
 * `wss://…`); the port defaults to 443. Throws a one-line usage error otherwise.
 */
export function parseTarget(input: string): TlsTarget {
  const text = input.trim();
  if (text === '') throw new Error('missing host: expected host[:port] or an https:// URL');
  if (text.includes('://')) return parseUrlTarget(text);
  if (isIP(text) === 6) return { host: text, port: 443 };

  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2];
    if (isIP(host) !== 6) throw new Error(`'${input}': only IPv6 addresses go in brackets`);
  } else {
    const colon = text.lastIndexOf(':');
    host = colon >= 0 ? text.slice(0, colon) : text;
    portText = colon >= 0 ? text.slice(colon + 1) : undefined;
    // Internationalized names connect and match certificates in their punycode form, as in URLs.
    if (/[^\x00-\x7f]/.test(host)) host = domainToASCII(host) || host;
  }
  checkHost(host, input);
  return { host, port: portText === undefined ? 443 : parsePort(portText, input) };
}

/** `host:port`, with brackets around an IPv6 literal. */
export function formatTarget(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

function parseUrlTarget(text: string): TlsTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`'${text}' is not a valid URL`);
  }
  if (PLAINTEXT_SCHEMES.has(url.protocol)) {
    throw new Error(`'${text}' is not a TLS URL: use ${url.protocol.slice(0, -1)}s:// or host:port`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  checkHost(host, text);
  if (url.port !== '') return { host, port: parsePort(url.port, text) };
  const port = DEFAULT_TLS_PORTS[url.protocol];
  if (port === undefined) throw new Error(`'${text}': no default TLS port for ${url.protocol}// URLs; add :PORT`);
  return { host, port };
}

function checkHost(host: string, input: string): void {
  if (host === '') throw new Error(`'${input}': missing host`);
  if (isIP(host) === 0 && !/^[A-Za-z0-9_.-]+$/.test(host)) {
    throw new Error(`'${input}': '${host}' is not a host name or IP address`);
  }
}

function parsePort(text: string, input: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new Error(`'${input}': port must be a number from 1 to 65535`);
  return port;
}
