/**
 * The injection grammars in syntaxes/, loaded as VS Code loads them (package.json
 * contributes.grammars) into small host grammars shaped like VS Code's own (test/data/grammars),
 * tokenized with vscode-textmate + vscode-oniguruma.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { IGrammar } from 'vscode-textmate';
import { createRegistry, hasScope, HOST_SCOPES, tokenize, tokensOf, type Token } from './textmate';
import { readRepoFile } from './repo';

const PIN = 'constant.other.pin.pinning-audit';
const DIRECTIVE_COMMENT = 'comment.line.directive.pinning-audit';
const DIRECTIVE_BLOCK = 'comment.block.directive.pinning-audit';
const DIRECTIVE_KEYWORD = 'keyword.other.directive.pinning-audit';
const RULE_ID = 'constant.other.rule-id.pinning-audit';
const REASON = 'string.unquoted.reason.pinning-audit';

const digest = (seed: string) => createHash('sha256').update(seed).digest('base64');
/** Real SHA-256 digests in base64: 44 characters, one "=". CURRENT has no "/" (it goes in a regex literal). */
const CURRENT = digest('current');
const BACKUP = digest('backup');
assert.ok(!CURRENT.includes('/') && BACKUP.includes('/') && BACKUP.includes('+'));
/** 44 base64 characters that are no 32-byte value: the 43rd character has low bits set. */
const NOT_A_DIGEST = `${'A'.repeat(42)}B=`;
/** Base64 of 36 bytes: 48 characters. */
const TOO_LONG = Buffer.alloc(36, 7).toString('base64');

interface Language {
  scope: string;
  /** Wraps text in the language's string literal delimiters. */
  quote(text: string): string;
  /** A variable declaration with the language's keyword, ending the statement. */
  declare(name: string, value: string): string;
}

const LANGUAGES: Language[] = HOST_SCOPES.map((scope) => ({
  scope,
  quote: scope === 'source.dart' ? (t) => `'${t}'` : (t) => `"${t}"`,
  declare: scope === 'source.swift' ? (n, v) => `let ${n} = ${v}` : scope === 'source.dart' ? (n, v) => `final ${n} = ${v};` : (n, v) => `const ${n} = ${v};`,
}));

function scopesAt(line: string, tokens: Token[], needle: string, from = 0): string[][] {
  const covering = tokensOf(line, tokens, needle, from);
  assert.ok(covering.length > 0, `no token covers "${needle}"`);
  return covering.map((t) => t.scopes);
}

function assertEveryToken(line: string, tokens: Token[], needle: string, scope: string, from = 0): void {
  for (const scopes of scopesAt(line, tokens, needle, from)) {
    assert.ok(hasScope(scopes, scope), `"${needle}" in ${JSON.stringify(line)} lacks ${scope}: ${scopes.join(' ')}`);
  }
}

function assertNoToken(line: string, tokens: Token[], scope: string): void {
  const hit = tokens.find((t) => hasScope(t.scopes, scope));
  assert.equal(hit, undefined, `${JSON.stringify(line)}: "${hit?.text}" has ${scope}: ${hit?.scopes.join(' ')}`);
}

describe('TextMate injection grammars (syntaxes/)', function () {
  for (const language of LANGUAGES) {
    describe(language.scope, function () {
      let grammar: IGrammar;

      before(async function () {
        const loaded = await (await createRegistry()).loadGrammar(language.scope);
        assert.ok(loaded, `${language.scope} did not load`);
        grammar = loaded;
      });

      const one = (line: string): Token[] => tokenize(grammar, [line])[0];

      it('scopes sha256/ pins inside strings, malformed ones included', function () {
        const line = language.declare('pins', `[${language.quote(`sha256/${CURRENT}`)}, ${language.quote(`sha256/${BACKUP}`)}, ${language.quote(`sha256//${CURRENT}`)}]`);
        const tokens = one(line);
        assertEveryToken(line, tokens, `sha256/${CURRENT}`, PIN);
        assertEveryToken(line, tokens, `sha256/${BACKUP}`, PIN);
        assertEveryToken(line, tokens, `sha256//${CURRENT}`, PIN);
        for (const scopes of scopesAt(line, tokens, `sha256/${CURRENT}`)) assert.ok(hasScope(scopes, 'string'), 'still inside the string');
        // Quotes and code keep the host's scopes only.
        const pinText = tokens.filter((t) => hasScope(t.scopes, PIN)).map((t) => t.text).join('');
        assert.equal(pinText, `sha256/${CURRENT}sha256/${BACKUP}sha256//${CURRENT}`);
      });

      it('scopes bare 44-character SHA-256 digests inside strings', function () {
        const line = language.declare('digest', language.quote(BACKUP));
        const tokens = one(line);
        assertEveryToken(line, tokens, BACKUP, PIN);
        const pinText = tokens.filter((t) => hasScope(t.scopes, PIN)).map((t) => t.text).join('');
        assert.equal(pinText, BACKUP, 'exactly the digest, not the quotes');
      });

      it('does not scope a digest outside a string, in a comment, or an ordinary string', function () {
        for (const line of [
          language.declare('digest', CURRENT),
          `// ${CURRENT}`,
          `/* sha256/${CURRENT} */`,
          language.declare('greeting', language.quote('hello, world')),
          language.declare('notPins', language.quote(`${NOT_A_DIGEST} ${TOO_LONG} x${CURRENT} sha256`)),
        ]) {
          assertNoToken(line, one(line), PIN);
        }
      });

      it('scopes a pinning-audit-ignore-next-line comment: directive, rule ids and reason', function () {
        const line = '// pinning-audit-ignore-next-line trust-all-certificates, single-pin -- device setup over link-local';
        const tokens = one(line);
        assertEveryToken(line, tokens, line, DIRECTIVE_COMMENT);
        assertEveryToken(line, tokens, 'pinning-audit-ignore-next-line', DIRECTIVE_KEYWORD);
        assertEveryToken(line, tokens, 'trust-all-certificates, single-pin', RULE_ID);
        assertEveryToken(line, tokens, 'device setup over link-local', REASON);
      });

      it('scopes indented and trailing directives, and /* */ ones', function () {
        const indented = '    // pinning-audit-ignore-file single-pin';
        assertEveryToken(indented, one(indented), 'pinning-audit-ignore-file', DIRECTIVE_KEYWORD);
        assertEveryToken(indented, one(indented), 'single-pin', RULE_ID);

        const trailing = `${language.declare('x', '1')} // pinning-audit-ignore-next-line`;
        assertEveryToken(trailing, one(trailing), 'pinning-audit-ignore-next-line', DIRECTIVE_KEYWORD);

        const block = `/* pinning-audit-ignore-file invalid-pin */ ${language.declare('x', '1')}`;
        const blockTokens = one(block);
        assertEveryToken(block, blockTokens, '/* pinning-audit-ignore-file invalid-pin */', DIRECTIVE_BLOCK);
        assertEveryToken(block, blockTokens, 'pinning-audit-ignore-file', DIRECTIVE_KEYWORD);
        for (const scopes of scopesAt(block, blockTokens, language.declare('x', '1'))) {
          assert.ok(!hasScope(scopes, 'comment'), `code after */ is code: ${scopes.join(' ')}`);
        }
      });

      it('keeps a /* directive open until */ on a later line', function () {
        const lines = ['/* pinning-audit-ignore-file single-pin -- the reason', '   goes on here */', language.declare('x', '1')];
        const [first, second, third] = tokenize(grammar, lines);
        assertEveryToken(lines[0], first, 'pinning-audit-ignore-file', DIRECTIVE_KEYWORD);
        assertEveryToken(lines[1], second, 'goes on here', DIRECTIVE_BLOCK);
        for (const token of third) assert.ok(!hasScope(token.scopes, 'comment'), `"${token.text}" is code: ${token.scopes.join(' ')}`);
      });

      it('leaves ordinary comments and directive text inside strings alone', function () {
        for (const line of [
          '// pinning audit: these pins rotate in March',
          '// see pinning-audit-ignore-file in the README',
          language.declare('text', language.quote('// pinning-audit-ignore-file single-pin')),
        ]) {
          assertNoToken(line, one(line), DIRECTIVE_KEYWORD);
        }
      });
    });
  }

  describe('host-specific constructs', function () {
    it('does not scope pins in regular expressions or in interpolated code', async function () {
      const registry = await createRegistry();
      const ts = (await registry.loadGrammar('source.ts'))!;
      const regex = `const re = /${CURRENT}/;`;
      const regexTokens = tokenize(ts, [regex])[0];
      assert.ok(regexTokens.some((t) => hasScope(t.scopes, 'string.regexp')), 'the host saw a regex');
      assertNoToken(regex, regexTokens, PIN);

      const swift = (await registry.loadGrammar('source.swift'))!;
      const regexLiteral = `let re = #/${CURRENT}/#`;
      assertNoToken(regexLiteral, tokenize(swift, [regexLiteral])[0], PIN);

      // In a template literal: the text is string, the ${...} code is not.
      const template = `const pins = \`\${${CURRENT}} sha256/${BACKUP}\`;`;
      const templateTokens = tokenize(ts, [template])[0];
      assertEveryToken(template, templateTokens, `sha256/${BACKUP}`, PIN);
      assert.ok(scopesAt(template, templateTokens, CURRENT).every((scopes) => hasScope(scopes, 'meta.template.expression')));
      assert.ok(scopesAt(template, templateTokens, CURRENT).every((scopes) => !hasScope(scopes, PIN)), 'code inside ${...}');

      const dart = (await registry.loadGrammar('source.dart'))!;
      const interpolated = `final pins = '\${${CURRENT}} sha256/${BACKUP}';`;
      const dartTokens = tokenize(dart, [interpolated])[0];
      assertEveryToken(interpolated, dartTokens, `sha256/${BACKUP}`, PIN);
      assert.ok(scopesAt(interpolated, dartTokens, CURRENT).every((scopes) => !hasScope(scopes, PIN)), 'code inside ${...}');
    });

    it('does not read JSX text as a directive', async function () {
      const tsx = (await (await createRegistry()).loadGrammar('source.tsx'))!;
      const line = '<p>// pinning-audit-ignore-file single-pin</p>';
      const tokens = tokenize(tsx, [line])[0];
      assert.ok(tokens.some((t) => hasScope(t.scopes, 'meta.jsx.children')), 'the host saw JSX children');
      assertNoToken(line, tokens, DIRECTIVE_KEYWORD);
    });

    it('still scopes the directive keyword when the host opens the comment first', async function () {
      // A host whose line comment starts at the blank before "//": it wins over the injection, so
      // the directive is found inside the comment it opened.
      const host = JSON.parse(readRepoFile('test/data/grammars/typescript-family.tmLanguage.json').replaceAll('SUFFIX', 'ts'));
      host.repository.comment.patterns[1] = { name: 'comment.line.double-slash.ts', begin: '[ \\t]*//', end: '(?=$)' };
      const ts = (await (await createRegistry({ 'source.ts': JSON.stringify(host) })).loadGrammar('source.ts'))!;
      const line = 'const x = 1; // pinning-audit-ignore-next-line trust-all-certificates -- proxy';
      const tokens = tokenize(ts, [line])[0];
      assertEveryToken(line, tokens, 'pinning-audit-ignore-next-line', DIRECTIVE_KEYWORD);
      assertEveryToken(line, tokens, 'pinning-audit-ignore-next-line', 'comment.line.double-slash.ts');
      assertEveryToken(line, tokens, 'trust-all-certificates', RULE_ID);
    });
  });
});
