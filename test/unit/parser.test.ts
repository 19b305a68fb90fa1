import * as assert from 'node:assert/strict';
import type { Node } from 'web-tree-sitter';
import { applyChange } from '../../server/src/engine/parser';
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
