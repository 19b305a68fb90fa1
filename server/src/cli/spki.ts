import * as path from 'node:path';
import { readCertificateFile, roleOf, type CertificateInfo } from '../../../common/certs/certificate-info';
import { fetchChain, parseTarget } from '../../../common/certs/fetch-chain';
import { EXIT_FINDINGS, EXIT_OK } from './exit-codes';
import type { CliIo } from './io';
import { commandArguments, readArguments, textOrJsonOption, timeoutMsOption, type OptionGrammar } from './options';

export const SPKI_HELP = `Usage: pinning-audit spki <host[:port]|URL> [options]
       pinning-audit spki --file CERT [--format text|json]

Prints the SPKI pins (sha256/<base64>) of every certificate a TLS server sends,
leaf first, or of every certificate in a PEM bundle or DER file. Only a TLS
handshake is made: no request is sent. The chain is shown even when it is not
trusted; "verified" says whether it is (trusted roots and host name).

Options:
      --file CERT            Read certificates from a PEM or DER file instead
      --servername NAME      Name for SNI and the host name check (default: the host)
      --timeout MS           Give up after MS milliseconds (default: 10000)
  -f, --format text|json     Output format (default: text)
  -h, --help                 Show this help

Certificates from --file are not verified: JSON gives "verified": false with
a "verifyError" saying so.

Exit codes: 0 certificates printed, 1 host unreachable or no certificate in
the file, 2 usage error.
`;

/** `spki` fails (exit 1) for an unreachable host or a file without a certificate. */
const EXIT_FAILED = EXIT_FINDINGS;
const DAY_MS = 86_400_000;
const FILE_NOT_VERIFIED = 'not checked: certificates read from a file';

type SpkiFormat = 'text' | 'json';

interface SpkiArgs {
  target?: string;
  file?: string;
  servername?: string;
  timeoutMs: number;
  format: SpkiFormat;
  help: boolean;
}

/** What `--format json` prints, for a host and for a file alike. */
export interface SpkiReport {
  target: string;
  chain: Array<{
    subject: string;
    issuer: string;
    notBefore: string;
    notAfter: string;
    keyType: string;
    spkiSha256: string;
    certSha256: string;
  }>;
  verified: boolean;
  verifyError: string | null;
}

class SpkiUsageError extends Error {}

/** `pinning-audit spki ARGS…` (ARGS after `spki`); returns the exit code. */
export async function runSpki(args: readonly string[], io: CliIo): Promise<number> {
  const options = commandArguments('spki', args, parseSpkiArgs, SpkiUsageError, SPKI_HELP, io);
  if (typeof options === 'number') return options;

  let target: string;
  let chain: CertificateInfo[];
  let verified = false;
  let verifyError: string | null = FILE_NOT_VERIFIED;
  try {
    if (options.file !== undefined) {
      target = options.file;
      chain = await readCertificateFile(path.resolve(io.cwd, options.file), options.file);
    } else {
      const { host, port } = parseTarget(options.target!); // checked in parseSpkiArgs
      const result = await fetchChain({ host, port, servername: options.servername, timeoutMs: options.timeoutMs });
      ({ target, chain, verified, verifyError } = result);
    }
  } catch (error) {
    io.stderr(`pinning-audit: ${(error as Error).message}\n`);
    return EXIT_FAILED;
  }

  const report: SpkiReport = { target, chain: chain.map(toJsonCertificate), verified, verifyError };
  if (options.format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(formatSpkiText(report, chain, options.file !== undefined, new Date()));
  return EXIT_OK;
}

const SPKI_OPTIONS: OptionGrammar = {
  values: ['--file', '--servername', '--timeout', '--format'],
  flags: ['--help'],
  aliases: { '-f': '--format', '-h': '--help' },
  unknown: (name) => `unknown option ${name} for spki`,
  Usage: SpkiUsageError,
};

function parseSpkiArgs(args: readonly string[]): SpkiArgs {
  const parsed: SpkiArgs = { timeoutMs: 10_000, format: 'text', help: false };
  const positionals: string[] = [];
  readArguments(args, SPKI_OPTIONS, (name, value = '') => {
    switch (name) {
      case '--file':
        parsed.file = value;
        break;
      case '--servername':
        if (!/^[A-Za-z0-9_.:-]+$/.test(value)) throw new SpkiUsageError(`--servername '${value}' is not a host name`);
        parsed.servername = value;
        break;
      case '--timeout':
        parsed.timeoutMs = timeoutMsOption(value, SpkiUsageError);
        break;
      case '--format':
        parsed.format = textOrJsonOption(value, SpkiUsageError);
        break;
      case '--help':
        parsed.help = true;
        break;
    }
  }, (arg) => positionals.push(arg));
  if (parsed.help) return parsed;

  if (parsed.file !== undefined) {
    if (positionals.length) throw new SpkiUsageError('give either a host or --file, not both');
    if (parsed.servername !== undefined) throw new SpkiUsageError('--servername applies to a host, not to --file');
    if (parsed.file === '') throw new SpkiUsageError('--file needs a file name');
    return parsed;
  }
  if (positionals.length === 0) throw new SpkiUsageError('missing host: spki <host[:port]|URL> or spki --file CERT');
  if (positionals.length > 1) throw new SpkiUsageError(`one host at a time (got ${positionals.length})`);
  try {
    parseTarget(positionals[0]);
  } catch (error) {
    throw new SpkiUsageError((error as Error).message);
  }
  parsed.target = positionals[0];
  return parsed;
}

function toJsonCertificate(cert: CertificateInfo): SpkiReport['chain'][number] {
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    keyType: cert.keyType,
    spkiSha256: cert.spkiSha256,
    certSha256: cert.certSha256,
  };
}

/** One block per certificate, leaf first, under a line naming the target and its trust. */
export function formatSpkiText(report: SpkiReport, chain: readonly CertificateInfo[], fromFile: boolean, now: Date): string {
  const count = `${chain.length} certificate${chain.length === 1 ? '' : 's'}`;
  const trust = fromFile ? 'not verified (read from a file)' : report.verified ? 'verified' : `NOT verified: ${report.verifyError}`;
  const lines = [`${report.target}: ${count}, ${trust}`];
  chain.forEach((cert, index) => {
    const role = roleOf(index, chain) + (cert.selfSigned && index === 0 ? ' (self-signed)' : '');
    lines.push(
      '',
      `[${index}] ${role}: ${cert.subjectCN || cert.subject}`,
      ...(cert.sans.length ? [`    SANs:      ${cert.sans.join(', ')}`] : []),
      `    issuer:    ${cert.issuer}`,
      `    key:       ${cert.keyType}`,
      `    not after: ${cert.notAfter.toISOString()} (${validity(cert, now)})`,
      `    pin:       sha256/${cert.spkiSha256}`,
    );
  });
  return `${lines.join('\n')}\n`;
}

function validity(cert: CertificateInfo, now: Date): string {
  if (cert.notBefore.getTime() > now.getTime()) return `not valid before ${cert.notBefore.toISOString()}`;
  const days = Math.floor((cert.notAfter.getTime() - now.getTime()) / DAY_MS);
  if (cert.notAfter.getTime() < now.getTime()) {
    const ago = Math.floor((now.getTime() - cert.notAfter.getTime()) / DAY_MS);
    return ago === 0 ? 'EXPIRED today' : `EXPIRED ${ago} day${ago === 1 ? '' : 's'} ago`;
  }
  return `${days} day${days === 1 ? '' : 's'} left`;
}
