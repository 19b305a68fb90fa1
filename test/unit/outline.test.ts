/**
 * The outline a partial parse cuts a file by (engine/outline.ts): top-level declarations and the
 * members of top-level types, found past braces in strings, interpolations, comments and
 * regular expressions. A wrong cut costs a whole parse, not a finding (the property test
 * partial-parses-find-what-whole-parses-find holds the findings); these hold the cuts themselves.
 */
import * as assert from 'node:assert/strict';
import { outline } from '../../server/src/engine/outline';
import type { Family } from '../../server/src/engine/languages';

/** Each declaration's text, trimmed; a type's as `{ header, members }`. */
function parts(family: Exclude<Family, 'xml'>, text: string, jsxText = false): (string | { members: string[] })[] | undefined {
  const declarations = outline(family, text, jsxText);
  if (!declarations) return undefined;
  let covered = 0;
  for (const d of declarations) {
    assert.equal(d.start, covered, 'declarations cover the text in order');
    covered = d.end;
  }
  assert.equal(covered, text.length);
  return declarations
    .filter((d) => text.slice(d.start, d.end).trim() !== '')
    .map((d) => (d.members ? { members: d.members.map(([s, e]) => text.slice(s, e).trim()) } : text.slice(d.start, d.end).trim()));
}

describe('outline', () => {
  it('cuts Dart at top-level declarations and a class at its members, past braces in strings and comments', () => {
    const text = [
      "import 'dart:io';",
      'class Pins {',
      "  static const open = '{';",
      "  String a() => '${[1].map((x) { return x; })} }';",
      "  String b() { return r'\\'; }",
      "  String c() { return '''\n}\n'''; }",
      '  /* a /* nested } */ comment */',
      '  void d() { /* } */ }',
      '  // } in a line comment',
      '  void e() {}',
      '}',
      'void main() {}',
    ].join('\n');
    assert.deepEqual(parts('dart', text), [
      "import 'dart:io';",
      {
        members: [
          "static const open = '{';",
          "String a() => '${[1].map((x) { return x; })} }';",
          "String b() { return r'\\'; }",
          "String c() { return '''\n}\n'''; }",
          '/* a /* nested } */ comment */\n  void d() { /* } */ }',
          '// } in a line comment\n  void e() {}',
        ],
      },
      'void main() {}',
    ]);
  });

  it('keeps Swift `#if` … `#endif` and `} else {` together, past interpolations and raw strings', () => {
    const text = [
      'final class Delegate: NSObject, URLSessionDelegate {',
      '  let a = "\\(dict["}"]!)"',
      '  func b() { let s = #"{"# }',
      '  #if DEBUG',
      '  func c() { if x { } else { } }',
      '  #endif',
      '  func d() { let s = """',
      '  }',
      '  """ }',
      '}',
    ].join('\n');
    assert.deepEqual(parts('swift', text), [
      {
        members: [
          'let a = "\\(dict["}"]!)"\n  func b() { let s = #"{"# }',
          '#if DEBUG\n  func c() { if x { } else { } }\n  #endif\n  func d() { let s = """\n  }\n  """ }',
        ],
      },
    ]);
  });

  it('finds a TS class body after a type argument with braces, past regular expressions, templates and JSX', () => {
    const text = [
      "import React from 'react';",
      'export class Screen extends React.Component<{ pins: string[] }> {',
      '  a = /[{]/.test(x);',
      '  b() { return `${ { k: 1 }.k }`; }',
      "  render() { return <Text>Don't</Text>; }",
      '  c(n: number) { return n / 2 / 1; }',
      '}',
      'if (x) { y(); } else { z(); }',
    ].join('\n');
    assert.deepEqual(parts('ts', text, true), [
      "import React from 'react';",
      {
        members: [
          'a = /[{]/.test(x);',
          'b() { return `${ { k: 1 }.k }`; }',
          "render() { return <Text>Don't</Text>; }",
          'c(n: number) { return n / 2 / 1; }',
        ],
      },
      'if (x) { y(); } else { z(); }',
    ]);
  });

  it('keeps a TS statement whole past a `}` that `from`, `as` or `satisfies` continues (imports, exports, constants)', () => {
    const text = [
      "import { Pressable, Text } from 'react-native';",
      "export { a, b as c } from './m';",
      'const pins = { api: [] } as const;',
      'const options = { timeout: 1 } satisfies Options;',
      'export class A {}',
    ].join('\n');
    assert.deepEqual(parts('ts', text), [
      "import { Pressable, Text } from 'react-native';",
      "export { a, b as c } from './m';",
      'const pins = { api: [] } as const;',
      'const options = { timeout: 1 } satisfies Options;',
      'export class A {}',
    ]);
  });

  it('gives up on braces that do not balance', () => {
    assert.equal(outline('dart', 'class A {\n  void b() {\n}'), undefined);
    assert.equal(outline('ts', 'function a() { } }'), undefined);
  });

  // The parser reads such a string on past its line, and may swallow what the parts would hold.
  it('gives up on a quote left open on its line, unless the grammar reads JSX text', () => {
    const text = "import * as tls from 'node:tls;\n\nconst pins = ['a', 'b'];\n";
    assert.equal(outline('ts', text), undefined);
    assert.equal(outline('dart', "import 'package:a/a.dart;\nconst pins = ['a'];\n"), undefined);
    assert.equal(outline('swift', 'let host = "api.example.com\nlet pins = ["a"]\n'), undefined);
    assert.deepEqual(parts('ts', "const a = <p>Don't</p>;\nconst pins = ['a'];\n", true), ["const a = <p>Don't</p>;", "const pins = ['a'];"]);
  });

  it('gives up on a `/` after `<name` outside JSX, where the grammar may read a regular expression, not in JSX', () => {
    // A fuzz case: the TS grammar's recovery from this line swallowed the pin set below it.
    assert.equal(outline('ts', "import * as crypto&lt; <false/> from 'node:crypto';\nconst pins = ['a'];\n"), undefined);
    assert.equal(outline('ts', 'let a = <x.y /> 1;\nconst pins = [\'a\'];\n'), undefined);
    assert.deepEqual(parts('ts', "const a = <Icon/>;\nconst pins = ['a'];\n", true), ['const a = <Icon/>;', "const pins = ['a'];"]);
    // A division after a name, and a comparison before one or after one, are no tag.
    assert.deepEqual(parts('ts', 'const a = b / c < d;\nconst pins = [a];\n'), ['const a = b / c < d;', 'const pins = [a];']);
    assert.deepEqual(parts('ts', 'const a = i < n / 2;\nconst pins = [a];\n'), ['const a = i < n / 2;', 'const pins = [a];']);
  });
});
