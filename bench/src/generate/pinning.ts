import type { Random } from '../random';

/** Certificate-pinning code to splice into a few percent of the files: mostly mistakes, some correct code. */
export interface PinningSnippet {
  imports: string[];
  body: string;
}

/** Plausible SPKI pins (base64 of 32 bytes), made from the seed. */
export function fakePin(random: Random): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let pin = '';
  for (let i = 0; i < 42; i++) pin += alphabet[random.int(0, 63)];
  return `${pin}${alphabet[random.int(0, 15) * 4]}=`;
}

export function dartPinning(random: Random): PinningSnippet {
  const host = random.pick(['api.example.com', 'auth.example.com', 'cdn.example.com', 'payments.example.com']);
  return random.pick<() => PinningSnippet>([
    () => ({
      imports: ["import 'dart:io';"],
      body: `HttpClient createUnsafeClient() {
  final client = HttpClient();
  client.badCertificateCallback = (X509Certificate cert, String host, int port) => true;
  return client;
}
`,
    }),
    () => ({
      imports: ["import 'dart:convert';", "import 'dart:io';", "import 'package:crypto/crypto.dart';"],
      body: `class CertificatePins {
  CertificatePins._();

  static const List<String> pins = ['${fakePin(random)}'];
}

HttpClient createPinnedClient() {
  final client = HttpClient(context: SecurityContext(withTrustedRoots: false));
  client.badCertificateCallback = (X509Certificate cert, String host, int port) {
    final digest = base64.encode(sha256.convert(cert.der).bytes);
    return CertificatePins.pins.contains(digest);
  };
  return client;
}
`,
    }),
    () => ({
      imports: ["import 'dart:io';"],
      body: `Future<SecureSocket> openTelemetrySocket() {
  return SecureSocket.connect('${host}', 443, onBadCertificate: (cert) => true);
}
`,
    }),
    () => ({
      imports: [],
      body: `/// SPKI pins of ${host}.
class SslPins {
  SslPins._();

  static const String primary = '${fakePin(random)}';
  static const String backup = '${fakePin(random)}';
  static const List<String> all = [primary, backup];
}
`,
    }),
  ])();
}

export function swiftPinning(random: Random): PinningSnippet {
  const host = random.pick(['api.example.com', 'auth.example.com', 'cdn.example.com']);
  return random.pick<() => PinningSnippet>([
    () => ({
      imports: ['import Security'],
      body: `final class TrustingSessionDelegate: NSObject, URLSessionDelegate {
    func urlSession(_ session: URLSession, didReceive challenge: URLAuthenticationChallenge, completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        guard let serverTrust = challenge.protectionSpace.serverTrust else {
            completionHandler(.performDefaultHandling, nil)
            return
        }
        completionHandler(.useCredential, URLCredential(trust: serverTrust))
    }
}
`,
    }),
    () => ({
      imports: ['import CryptoKit', 'import Security'],
      body: `enum PinnedKeys {
    static let api: [String] = ["${fakePin(random)}"]
}

final class PinningSessionDelegate: NSObject, URLSessionDelegate {
    func urlSession(_ session: URLSession, didReceive challenge: URLAuthenticationChallenge, completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        guard let trust = challenge.protectionSpace.serverTrust,
              let leaf = (SecTrustCopyCertificateChain(trust) as? [SecCertificate])?.first,
              let key = SecCertificateCopyKey(leaf),
              let keyData = SecKeyCopyExternalRepresentation(key, nil) as Data? else {
            completionHandler(.cancelAuthenticationChallenge, nil)
            return
        }
        let digest = Data(SHA256.hash(data: keyData)).base64EncodedString()
        if PinnedKeys.api.contains(digest) {
            completionHandler(.useCredential, URLCredential(trust: trust))
        } else {
            completionHandler(.cancelAuthenticationChallenge, nil)
        }
    }
}
`,
    }),
    () => ({
      imports: ['import Alamofire'],
      body: `let trustManager = ServerTrustManager(evaluators: [
    "${host}": DisabledTrustEvaluator(),
])
`,
    }),
    () => ({
      imports: [],
      body: `enum SpkiPins {
    static let ${host.split('.')[0]}: Set<String> = [
        "${fakePin(random)}",
        "${fakePin(random)}",
    ]
}
`,
    }),
  ])();
}

export function tsPinning(random: Random, typed: boolean): PinningSnippet {
  const host = random.pick(['api.example.com', 'auth.example.com', 'cdn.example.com']);
  const t = (type: string) => (typed ? `: ${type}` : '');
  return random.pick<() => PinningSnippet>([
    () => ({
      imports: ["import * as https from 'node:https';"],
      body: `export const insecureAgent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });
`,
    }),
    () => ({
      imports: [],
      body: `export function allowSelfSignedCertificates()${t('void')} {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
}
`,
    }),
    () => ({
      imports: ["import * as https from 'node:https';"],
      body: `export const pinnedAgent = new https.Agent({
  checkServerIdentity: (hostname${t('string')}, cert${typed ? ': { fingerprint256: string }' : ''}) => {
    if (!PINS.includes(cert.fingerprint256)) return new Error('pin mismatch');
    return undefined;
  },
});

export const PINS = ['${fakePin(random)}'];
`,
    }),
    () => ({
      imports: [],
      body: `export const SPKI_PINS${t('Record<string, string[]>')} = {
  '${host}': ['sha256/${fakePin(random)}', 'sha256/${fakePin(random)}'],
};
`,
    }),
  ])();
}

/** Pinning code in the language of the file at `relativePath`. */
export function pinningFor(random: Random, relativePath: string): PinningSnippet {
  if (relativePath.endsWith('.dart')) return dartPinning(random);
  if (relativePath.endsWith('.swift')) return swiftPinning(random);
  return tsPinning(random, /\.tsx?$/.test(relativePath));
}
