import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Node, Tree } from 'web-tree-sitter';
import { largeClassFile } from '../../bench/src/measure/large-class-files';
import { applyChange, applyChangeToLines, LineIndex, lineStarts, positionInLines, type TextChange, type TextLines } from '../../server/src/engine/parser';
import { SourceFile } from '../../server/src/engine/source-file';
import { sharedEngine } from '../helpers/engine';

/** Pieces that make and break lines every way (CRLF split and joined, lone CR) and Dart's string syntax. */
const PIECE = fc.constantFrom('\n', '\r', '\r\n', 'x', ' ', "'", '$', '{', '}', 'é', '😀', '');

const change = fc.record({
  range: fc.record({
    start: fc.record({ line: fc.nat(80), character: fc.nat(10) }),
    end: fc.record({ line: fc.nat(80), character: fc.nat(10) }),
  }),
  text: fc.array(PIECE, { maxLength: 4 }).map((pieces) => pieces.join('')),
});

/** Every node with its type and both kinds of positions, in document order. */
function nodes(tree: Tree): string[] {
  const out: string[] = [];
  const visit = (node: Node) => {
    out.push(`${node.type} ${node.startIndex}-${node.endIndex} ${node.startPosition.row}:${node.startPosition.column}-${node.endPosition.row}:${node.endPosition.column}`);
    for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  return out;
}

describe('line starts kept across edits', () => {
  it('start after each line feed, carriage return and CRLF, in texts with and without a carriage return', () => {
    const reference = (text: string) => [0, ...[...text.matchAll(/\r\n|\r|\n/g)].map((m) => m.index + m[0].length)];
    fc.assert(
      fc.property(fc.array(PIECE, { maxLength: 200 }), fc.boolean(), (pieces, withoutCr) => {
        const text = withoutCr ? pieces.join('').replace(/\r/g, '') : pieces.join('');
        assert.deepEqual(lineStarts(text), reference(text));
      }),
      { seed: 18, numRuns: 2000 },
    );
  });

  it('of the first lines alone are the first of all the line starts', () => {
    fc.assert(
      fc.property(fc.array(PIECE, { maxLength: 200 }), fc.boolean(), fc.nat(60), (pieces, withoutCr, lines) => {
        const text = withoutCr ? pieces.join('').replace(/\r/g, '') : pieces.join('');
        assert.deepEqual(lineStarts(text, lines + 1), lineStarts(text).slice(0, lines + 1), JSON.stringify(text));
      }),
      { seed: 23, numRuns: 2000 },
    );
  });

  it('read as far as an offset are the first of all, up to the first after it: the same positions as all', () => {
    fc.assert(
      fc.property(fc.array(PIECE, { maxLength: 200 }), fc.boolean(), fc.array(fc.nat(400), { maxLength: 6 }), (pieces, withoutCr, offsets) => {
        const text = withoutCr ? pieces.join('').replace(/\r/g, '') : pieces.join('');
        const all = lineStarts(text);
        const index = new LineIndex(text);
        let readBefore = 0;
        // Asked in any order, as a rule's reports ask: what was read stays, and no more is read.
        for (const offset of offsets.map((o) => Math.min(o, text.length))) {
          const read = index.through(offset);
          const next = all.findIndex((start) => start > offset);
          const enough = next < 0 ? all.length : next + 1;
          assert.equal(read.length, Math.max(enough, readBefore), JSON.stringify({ text, offset }));
          assert.deepEqual(read, all.slice(0, read.length));
          assert.deepEqual(positionInLines(read, offset), positionInLines(all, offset));
          readBefore = read.length;
        }
      }),
      { seed: 24, numRuns: 2000 },
    );
  });

  it('read lazily give a source file the positions and offsets of the whole text', () => {
    fc.assert(
      fc.property(fc.array(PIECE, { maxLength: 200 }), fc.array(fc.nat(400), { maxLength: 6 }), (pieces, offsets) => {
        const text = pieces.join('');
        const lazy = new SourceFile('a.dart', 'a.dart', 'dart', text, undefined as never);
        const whole = new SourceFile('a.dart', 'a.dart', 'dart', text, undefined as never, lineStarts(text));
        for (const offset of offsets.map((o) => Math.min(o, text.length))) {
          const position = whole.positionAt(offset);
          assert.deepEqual(lazy.positionAt(offset), position);
          const beyond = { line: position.line + 1, character: position.character };
          assert.equal(new SourceFile('a.dart', 'a.dart', 'dart', text, undefined as never).offsetAt(beyond), whole.offsetAt(beyond));
        }
      }),
      { seed: 24, numRuns: 2000 },
    );
  });

  it('are the line starts of the edited text, whatever the change does to line endings', () => {
    fc.assert(
      fc.property(fc.array(PIECE, { minLength: 100, maxLength: 300 }), fc.array(change, { minLength: 1, maxLength: 8 }), (pieces, changes) => {
        let lines: TextLines = { text: pieces.join(''), starts: lineStarts(pieces.join('')) };
        for (const c of changes) {
          const text = applyChange(lines.text, c);
          lines = applyChangeToLines(lines, c);
          assert.equal(lines.text, text);
          assert.deepEqual(lines.starts, lineStarts(text));
        }
      }),
      { seed: 18, numRuns: 2000 },
    );
  });

  it('edit a large Dart class tree so that its re-parse equals a full parse, positions included', async () => {
    const { parsers } = await sharedEngine();
    const original = largeClassFile('dart', 'line-starts', 400, 40);
    const lineCount = lineStarts(original).length;
    // Mostly edits that keep the code valid, so most cases are compared.
    const piece = fc.constantFrom('x', ' ', '\n', '\r\n', '\r', 'é', '');
    const edit: fc.Arbitrary<TextChange> = fc
      .record({ line: fc.nat(lineCount - 1), character: fc.nat(60), length: fc.nat(3), text: fc.array(PIECE, { maxLength: 3 }) })
      .map(({ line, character, length, text }) => ({
        range: { start: { line, character }, end: { line, character: character + length } },
        text: text.join(''),
      }));
    let compared = 0;
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let lines: TextLines = { text: original, starts: lineStarts(original) };
        let tree = parsers.parse('dart', original);
        try {
          for (const e of edits) {
            lines = applyChangeToLines(lines, e, tree);
            const next = parsers.parse('dart', lines.text, tree);
            tree.delete();
            tree = next;
          }
          const full = parsers.parse('dart', lines.text);
          try {
            // Error recovery may take another path from another start; valid code must come out the same.
            if (!full.rootNode.hasError) {
              assert.deepEqual(nodes(tree), nodes(full));
              compared++;
            }
          } finally {
            full.delete();
          }
        } finally {
          tree.delete();
        }
      }),
      { seed: 18, numRuns: 25 },
    );
    assert.ok(compared >= 10, `only ${compared} of 25 edited texts were valid Dart`);
  });
});
