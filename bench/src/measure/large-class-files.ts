import { Random } from '../random';
import { fakePin } from '../generate/pinning';
import type { EditLanguage } from '../generate/workspace';

/**
 * The shape the bench's own 5,000-line files lack: ONE class of ~600 methods with string
 * interpolation on most lines, and pinning code as a method half way down. Real Flutter
 * repositories and services look like this, and on it an incremental Dart re-parse walks every
 * member (see bench/README.md, "Edits in large classes").
 */
export function largeClassFile(language: EditLanguage, seed: string, lines = 5000, methods = 600): string {
  const random = new Random(`large-class:${language}:${seed}`);
  const shape = SHAPES[language];
  const out = [...shape.head(random)];
  const pinning = shape.pinning(random);
  // Body lines spread so the file has `lines` lines: 3 per method are its signature, return and `}`, 1 a blank.
  const bodyLines = Math.max(methods, lines - out.length - pinning.length - 2 - 4 * methods);
  for (let m = 0; m < methods; m++) {
    if (m === methods >> 1) out.push(...pinning);
    out.push(shape.signature(m));
    const count = Math.floor(((m + 1) * bodyLines) / methods) - Math.floor((m * bodyLines) / methods);
    for (let l = 0; l < count; l++) out.push(shape.line(random, l));
    out.push(shape.result(m), shape.indent + '}', '');
  }
  out.push('}', '');
  return out.join('\n');
}

interface Shape {
  indent: string;
  head(random: Random): string[];
  signature(m: number): string;
  /** One body line, mostly with interpolation of a local and a member access. */
  line(random: Random, l: number): string;
  result(m: number): string;
  pinning(random: Random): string[];
}

const FIELDS = ['name', 'total', 'id', 'status', 'customer', 'createdAt', 'currency'];

const SHAPES: Record<EditLanguage, Shape> = {
  dart: {
    indent: '  ',
    head: () => ["import 'dart:io';", '', 'class OrdersRepository {', '  OrdersRepository(this.baseUrl);', '', '  final String baseUrl;', ''],
    signature: (m) => `  String describe${m}(Order order, int count) {`,
    line: (random, l) =>
      random.chance(0.85)
        ? `    final text${l} = '$count of \${order.${random.pick(FIELDS)}} at \${order.${random.pick(FIELDS)}}';`
        : `    final value${l} = order.${random.pick(FIELDS)};`,
    result: (m) => `    return '${m}: \${order.id}';`,
    pinning: (random) => [
      `  static const List<String> pins = ['${fakePin(random)}'];`,
      '',
      '  HttpClient createUnsafeClient() {',
      '    final client = HttpClient();',
      '    client.badCertificateCallback = (X509Certificate cert, String host, int port) => true;',
      '    return client;',
      '  }',
      '',
    ],
  },
  swift: {
    indent: '    ',
    head: () => ['import Foundation', '', 'final class OrdersService: NSObject, URLSessionDelegate {', '    let baseURL: URL', ''],
    signature: (m) => `    func describe${m}(_ order: Order, count: Int) -> String {`,
    line: (random, l) =>
      random.chance(0.85)
        ? `        let text${l} = "\\(count) of \\(order.${random.pick(FIELDS)}) at \\(order.${random.pick(FIELDS)})"`
        : `        let value${l} = order.${random.pick(FIELDS)}`,
    result: (m) => `        return "${m}: \\(order.id)"`,
    pinning: () => [
      '    func urlSession(_ session: URLSession, didReceive challenge: URLAuthenticationChallenge, completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {',
      '        guard let serverTrust = challenge.protectionSpace.serverTrust else {',
      '            completionHandler(.performDefaultHandling, nil)',
      '            return',
      '        }',
      '        completionHandler(.useCredential, URLCredential(trust: serverTrust))',
      '    }',
      '',
    ],
  },
  typescript: {
    indent: '  ',
    head: () => ["import * as https from 'node:https';", '', 'export class OrdersService {', '  constructor(private readonly baseUrl: string) {}', ''],
    signature: (m) => `  describe${m}(order: Order, count: number): string {`,
    line: (random, l) =>
      random.chance(0.85)
        ? `    const text${l} = \`\${count} of \${order.${random.pick(FIELDS)}} at \${order.${random.pick(FIELDS)}}\`;`
        : `    const value${l} = order.${random.pick(FIELDS)};`,
    result: (m) => `    return \`${m}: \${order.id}\`;`,
    pinning: () => [
      '  insecureAgent(): https.Agent {',
      '    return new https.Agent({ keepAlive: true, rejectUnauthorized: false });',
      '  }',
      '',
    ],
  },
};
