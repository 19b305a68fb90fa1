import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Parser, type Node } from 'web-tree-sitter';
import { patchSwiftScannerState } from '../../server/src/engine/grammar-patches';
import { applyChange, locateWasm } from '../../server/src/engine/parser';
import wasmFiles from '../../server/src/engine/wasm-files.json';
import { sharedEngine } from '../helpers/engine';

function errorNodes(root: Node): string[] {
  const found: string[] = [];
  const visit = (n: Node) => {
    if (n.isError || n.isMissing) found.push(`${n.type} at ${n.startPosition.row + 1}:${n.startPosition.column + 1}`);
    for (const child of n.children) if (child) visit(child);
  };
  visit(root);
  return found;
}

const SWIFT_WITH_IF = `func a() {
    #if DEBUG
    print("debug")
    #endif
    finish()
}
`;

const SWIFT_CLASS = `enum OrderStatus {
    case pending
    case failed

    var title: String {
        switch self {
            case .pending: return "Pending"
            case .failed: return "Failed"
        }
    }
}

/// Retries failed order requests.
final class OrderService {
    private let session: URLSession
    private var cache: [String: Order] = [:]

    init(session: URLSession = .shared) {
        self.session = session
    }

    func loadOrders(page: Int = 0) async throws -> [Order] {
        let (data, _) = try await session.data(from: URL(string: "https://example.com/orders?page=\\(page)")!)
        return try JSONDecoder().decode([Order].self, from: data)
    }
}
`;

describe('parsers', () => {
  // The repomix Swift build turns `#if` inside a function into ERROR nodes on every parse after
  // the first one in a process. We ship another build; this keeps it honest.
  it('parses `#if` blocks in Swift functions correctly on every parse, not only the first', async () => {
    const { parsers } = await sharedEngine();
    for (let i = 0; i < 4; i++) {
      const tree = parsers.parse('swift', SWIFT_WITH_IF.replace('a()', `f${i}()`));
      assert.deepEqual(errorNodes(tree.rootNode), [], `parse #${i + 1}`);
      tree.delete();
    }
  });

  // tree-sitter-swift creates its scanner state with calloc(0, 4): not cleared. Unpatched, every
  // parse after the first in a process read the text again at each token of error recovery.
  it('patches the Swift scanner to clear its state: calloc(0, 4) becomes calloc(1, 4), one byte', () => {
    const original = fs.readFileSync(locateWasm(wasmFiles.grammars.swift));
    const outcome = patchSwiftScannerState(Uint8Array.from(original)); // patched in place
    assert.ok(outcome.patched, outcome.patched ? '' : outcome.reason);
    const changed = [...original].flatMap((b, i) => (b === outcome.bytes[i] ? [] : [[i, b, outcome.bytes[i]]]));
    assert.equal(changed.length, 1);
    assert.deepEqual(changed[0].slice(1), [0x00, 0x01]);
    const dart = fs.readFileSync(locateWasm(wasmFiles.grammars.dart));
    assert.equal(patchSwiftScannerState(dart).patched, false);
  });

  it('reads a Swift file once per parse, on every parse of the process', async () => {
    const { parsers } = await sharedEngine();
    const text = SWIFT_CLASS.repeat(40);
    const probe = parsers.parse('swift', 'let x = 1\n');
    const parser = new Parser();
    parser.setLanguage(probe.language); // the language the engine loaded
    probe.delete();
    const chunks = Math.ceil(text.length / 5119); // web-tree-sitter hands the text over in chunks of 5,119 characters
    try {
      for (let i = 0; i < 3; i++) {
        let reads = 0;
        const tree = parser.parse((index) => {
          reads++;
          return text.slice(index);
        });
        tree?.delete();
        assert.ok(reads <= 2 * chunks + 2, `parse #${i + 1} read ${reads} chunks of a text of ${chunks}`);
      }
    } finally {
      parser.delete();
    }
  });

  it('loads every grammar once and parses each language without errors', async () => {
    const { parsers } = await sharedEngine();
    const samples = {
      dart: "void main() { final c = HttpClient(); }\n",
      swift: 'let x: Set<String> = ["a"]\n',
      typescript: 'const a: number = 1;\n',
      tsx: 'const A = () => <div>{1}</div>;\n',
      javascript: 'module.exports = { a: 1 };\n',
    } as const;
    for (const [grammar, text] of Object.entries(samples)) {
      const tree = parsers.parse(grammar as keyof typeof samples, text);
      assert.deepEqual(errorNodes(tree.rootNode), [], grammar);
      tree.delete();
    }
    assert.strictEqual(await sharedEngine(), await sharedEngine());
  });

  it('re-parses incrementally after edits and matches a full parse', async () => {
    const { parsers } = await sharedEngine();
    let text = 'const agent = new https.Agent({ rejectUnauthorized: false });\nconst x = 1;\n';
    let tree = parsers.parse('typescript', text);
    const edits = [
      { range: { start: { line: 0, character: 52 }, end: { line: 0, character: 57 } }, text: 'true' },
      { range: { start: { line: 1, character: 10 }, end: { line: 1, character: 11 } }, text: '"two"\r\nconst y = 2' },
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// é ü\n' },
    ];
    for (const edit of edits) {
      text = applyChange(text, edit, tree);
      const incremental = parsers.parse('typescript', text, tree);
      tree.delete();
      const full = parsers.parse('typescript', text);
      assert.equal(incremental.rootNode.toString(), full.rootNode.toString());
      full.delete();
      tree = incremental;
    }
    assert.equal(text, '// é ü\nconst agent = new https.Agent({ rejectUnauthorized: true });\nconst x = "two"\r\nconst y = 2;\n');
    tree.delete();
  });
});
