/**
 * Run as its own process by engine-limits.test.ts (a parser whose memory a C-stack overflow
 * corrupted would fail every later test in a shared process). Audits Swift that recurses deep
 * in tree-sitter's error recovery, then an ordinary file, and prints what happened as JSON.
 */
import { Engine } from '../../../server/src/engine/analyze';
import { parseClocks } from '../../../server/src/engine/parser';

/** `f(a {} fi"""` then a run of `/+=` operators: recursion depth grows with the run's length. */
export function deepRecoverySwift(repeats: number): string {
  return `// useCredential\nf(a {\n}\nfi"""${'A1b2/+='.repeat(repeats)}`;
}

export const ORDINARY_SWIFT = [
  'func urlSession(_ s: URLSession, didReceive challenge: URLAuthenticationChallenge,',
  '                completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {',
  '  completionHandler(.useCredential, URLCredential(trust: challenge.protectionSpace.serverTrust!))',
  '}',
  '',
].join('\n');

export interface ProbeResult {
  label: string;
  threw?: string;
  skipped?: string;
  parsed?: boolean;
  findings?: string[];
}

async function main(): Promise<void> {
  // The stack is probed here, not the parse time limit: with the clock standing still, a parse
  // slowed by a busy machine cannot end at the limit before it reaches the overflow.
  parseClocks.wall = () => 0;
  const engine = await Engine.create();
  const results: ProbeResult[] = [];
  const audit = (label: string, text: string) => {
    try {
      const result = engine.analyze({ id: `/probe/${label}.swift`, relativePath: `${label}.swift`, grammar: 'swift', text });
      results.push({ label, skipped: result.skipped, parsed: result.parsed, findings: result.findings.map((f) => f.ruleId) });
    } catch (error) {
      results.push({ label, threw: String(error) });
    }
  };
  // 21 KB: about 190 KB of C stack, three times what web-tree-sitter gives it.
  audit('deep', deepRecoverySwift(3_000));
  audit('after-deep', ORDINARY_SWIFT);
  // 210 KB: deeper than V8's own stack allows; the parse fails cleanly.
  audit('deeper', deepRecoverySwift(30_000));
  audit('after-deeper', ORDINARY_SWIFT);
  process.stdout.write(JSON.stringify(results));
}

if (require.main === module) void main();
