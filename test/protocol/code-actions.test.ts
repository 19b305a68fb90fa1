/**
 * Code actions over a real stdio connection to dist/server.js: quick fixes carry their diagnostic,
 * one is preferred, edits are versioned and make the finding go away when applied; a stale
 * diagnostic gets nothing; `source.fixAll.pinningAudit` fixes a whole file; the input-needing
 * fixes are client commands; RestrictToHost turns a typed host into a versioned edit.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  TextDocumentEdit,
  type CodeAction,
  type Command,
  type Diagnostic,
  type Position,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { randomBytes } from 'node:crypto';
import { Commands, InsertPin, RestrictToHost } from '../../common/protocol';
import { editFile } from '../../bench/src/generate/workspace';
import { LspTestClient, uriOf } from './lsp-client';

const AGENT = [
  "import * as https from 'node:https';",
  '',
  'export const agent = new https.Agent({',
  '  keepAlive: true,',
  '  rejectUnauthorized: false,',
  '});',
  '',
].join('\n');

const MANY = [
  "import * as tls from 'node:tls';",
  '',
  "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';",
  '',
  'export const socket = tls.connect({',
  "  host: 'api.example.com',",
  '  rejectUnauthorized: false,',
  '  checkServerIdentity: () => undefined,',
  '});',
  '',
].join('\r\n');

const DART = [
  "import 'dart:io';",
  '',
  'const _pinsByHost = {',
  "  'api.example.com': ['aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=', 'QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM='],",
  '};',
  "const _pins = {'aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=', 'QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM='};",
  '',
  'HttpClient build() {',
  '  final client = HttpClient(context: SecurityContext(withTrustedRoots: false));',
  '  client.badCertificateCallback = (cert, host, port) {',
  '    return _pins.contains(spkiSha256(cert));',
  '  };',
  '  return client;',
  '}',
  '',
].join('\n');

const SINGLE = "export const PINS = ['sha256/aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q='];\n";

function offsetAt(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.slice(offset).search(/\r\n|\r|\n/);
    const breakLength = text.startsWith('\r\n', offset + next) ? 2 : 1;
    offset += next + breakLength;
  }
  return offset + position.character;
}

/** The TextEdits of the one document a versioned WorkspaceEdit changes, with its version. */
function documentEdits(edit: WorkspaceEdit | undefined, uri: string): { version: number | null; edits: TextEdit[] } {
  assert.ok(edit?.documentChanges, 'the edit uses documentChanges');
  assert.equal(edit.changes, undefined);
  assert.equal(edit.documentChanges.length, 1);
  const change = edit.documentChanges[0];
  assert.ok(TextDocumentEdit.is(change), 'a TextDocumentEdit');
  assert.equal(change.textDocument.uri, uri);
  const edits = change.edits.filter((e): e is TextEdit => 'newText' in e);
  assert.equal(edits.length, change.edits.length, 'plain text edits');
  return { version: change.textDocument.version, edits };
}

/** Edits relative to one text, applied from the end so earlier positions stay valid. */
function descending(text: string, edits: TextEdit[]): TextEdit[] {
  return [...edits].sort((a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start));
}

function apply(text: string, edits: TextEdit[]): string {
  let result = text;
  for (const e of descending(text, edits)) {
    result = result.slice(0, offsetAt(text, e.range.start)) + e.newText + result.slice(offsetAt(text, e.range.end));
  }
  return result;
}

describe('code actions (language server protocol)', function () {
  this.timeout(60_000);
  let workspaceDir: string;
  let client: LspTestClient;
  const versions = new Map<string, number>();
  const texts = new Map<string, string>();
  const uri = (relative: string) => uriOf(path.join(workspaceDir, relative));

  async function open(relative: string, languageId: string, text: string): Promise<Diagnostic[]> {
    fs.mkdirSync(path.dirname(path.join(workspaceDir, relative)), { recursive: true });
    fs.writeFileSync(path.join(workspaceDir, relative), text);
    versions.set(relative, 1);
    texts.set(relative, text);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: uri(relative), languageId, version: 1, text },
    });
    const published = await client.waitForDiagnostics(uri(relative), 'diagnostics for version 1', (p) => p.version === 1 && p.diagnostics.length > 0);
    return published.diagnostics;
  }

  /** Sends the edits as incremental changes (a new version) and waits for that version's diagnostics. */
  async function change(relative: string, edits: TextEdit[]): Promise<Diagnostic[]> {
    const before = texts.get(relative)!;
    const version = versions.get(relative)! + 1;
    versions.set(relative, version);
    texts.set(relative, apply(before, edits));
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uri(relative), version },
      contentChanges: descending(before, edits).map((e) => ({ range: e.range, text: e.newText })),
    });
    const published = await client.waitForDiagnostics(uri(relative), `diagnostics for version ${version}`, (p) => p.version === version);
    return published.diagnostics;
  }

  function codeActions(relative: string, diagnostics: Diagnostic[], only?: string[]): Promise<(CodeAction | Command)[] | null> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: uri(relative) },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
  }

  before(async () => {
    workspaceDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-actions-')));
    client = new LspTestClient();
    const result = await client.initialize(workspaceDir);
    const provider = result.capabilities.codeActionProvider;
    assert.ok(typeof provider === 'object' && provider.codeActionKinds?.includes('quickfix') && provider.codeActionKinds.includes('source.fixAll.pinningAudit'),
      `codeActionProvider kinds: ${JSON.stringify(provider)}`);
  });

  after(async () => {
    await client?.stop();
    if (workspaceDir) fs.rmSync(workspaceDir, { recursive: true, force: true });
  });

  let agentDiagnostic: Diagnostic;

  it('offers quick fixes that carry the diagnostic, the preferred one first with a versioned edit', async () => {
    const diagnostics = await open('src/agent.ts', 'typescript', AGENT);
    assert.equal(diagnostics.length, 1);
    agentDiagnostic = diagnostics[0];
    const actions = (await codeActions('src/agent.ts', diagnostics)) as CodeAction[];
    assert.ok(actions.length >= 3, JSON.stringify(actions.map((a) => a.title)));
    for (const action of actions) {
      assert.equal(action.kind, 'quickfix', action.title);
      assert.deepEqual(action.diagnostics, [agentDiagnostic], action.title);
    }
    assert.equal(actions.filter((a) => a.isPreferred).length, 1, 'exactly one preferred');
    assert.equal(actions[0].isPreferred, true, 'the preferred fix comes first');
    assert.match(actions[0].title, /^Remove rejectUnauthorized: false/);
    assert.equal(documentEdits(actions[0].edit, uri('src/agent.ts')).version, 1, 'the edit names the diagnostic\'s document version');

    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Set rejectUnauthorized to true'), titles.join(' | '));
    const ignore = actions.find((a) => a.title === 'Ignore trust-all-certificates on this line');
    assert.deepEqual(documentEdits(ignore?.edit, uri('src/agent.ts')).edits, [
      { range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, newText: '  // pinning-audit-ignore-next-line trust-all-certificates\n' },
    ]);
    const docs = actions.find((a) => a.title === 'Show documentation for trust-all-certificates');
    assert.equal(docs?.command?.command, 'vscode.open');
    assert.match(String(docs?.command?.arguments?.[0]), /docs\/rules\/trust-all-certificates\.md$/);
  });

  it('makes the finding go away when its edit is applied', async () => {
    const [preferred] = (await codeActions('src/agent.ts', [agentDiagnostic])) as CodeAction[];
    const after = await change('src/agent.ts', documentEdits(preferred.edit, uri('src/agent.ts')).edits);
    assert.deepEqual(after, []);
    assert.equal(texts.get('src/agent.ts'), AGENT.replace('  rejectUnauthorized: false,\n', ''));
  });

  it('offers nothing for a diagnostic of an older version, and does not fail', async () => {
    assert.equal(versions.get('src/agent.ts'), 2);
    const actions = await codeActions('src/agent.ts', [agentDiagnostic]);
    assert.deepEqual(actions, []);
    const unknown = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: uri('src/never-opened.ts') },
      range: agentDiagnostic.range,
      context: { diagnostics: [agentDiagnostic] },
    });
    assert.deepEqual(unknown, []);
  });

  it('fixes a whole file with source.fixAll.pinningAudit, keeping CRLF', async () => {
    const diagnostics = await open('src/many.ts', 'typescript', MANY);
    assert.equal(diagnostics.length, 3);
    const quickOnly = (await codeActions('src/many.ts', diagnostics, ['quickfix'])) as CodeAction[];
    assert.ok(quickOnly.every((a) => a.kind === 'quickfix'), 'no source action among quick fixes');
    assert.deepEqual(await codeActions('src/many.ts', [], undefined), [], 'no source action unless asked for by kind');

    for (const only of [['source.fixAll'], ['source.fixAll.pinningAudit'], ['source']]) {
      const actions = (await codeActions('src/many.ts', [], only)) as CodeAction[];
      assert.equal(actions.length, 1, `only ${only}`);
      assert.equal(actions[0].kind, 'source.fixAll.pinningAudit');
      assert.match(actions[0].title, /^Fix 3 Pinning Audit findings/);
    }
    const [fixAll] = (await codeActions('src/many.ts', [], ['source.fixAll'])) as CodeAction[];
    const { version, edits } = documentEdits(fixAll.edit, uri('src/many.ts'));
    assert.equal(version, 1);
    const after = await change('src/many.ts', edits);
    assert.deepEqual(after, []);
    assert.equal(texts.get('src/many.ts'), [
      "import * as tls from 'node:tls';",
      '',
      'export const socket = tls.connect({',
      "  host: 'api.example.com',",
      '});',
      '',
    ].join('\r\n'));
  });

  it('turns fixes that need input into client commands with the pin set or check', async () => {
    const single = await open('src/single.ts', 'typescript', SINGLE);
    const actions = (await codeActions('src/single.ts', single)) as CodeAction[];
    const fromNewKey = actions.find((a) => a.command?.command === Commands.createBackupKey);
    const fromHost = actions.find((a) => a.command?.command === Commands.fetchPins);
    const fromFile = actions.find((a) => a.command?.command === Commands.pinFromCertificateFile);
    assert.equal(fromNewKey?.title, 'Add a backup pin from a new key…');
    assert.equal(fromNewKey?.isPreferred, true);
    assert.deepEqual(fromNewKey?.command?.arguments, [{ pinSet: { file: uri('src/single.ts'), range: single[0].range } }]);
    assert.equal(fromHost?.title, 'Add a backup pin from a host…');
    assert.notEqual(fromHost?.isPreferred, true);
    assert.deepEqual(fromHost?.command?.arguments, [{ pinSet: { file: uri('src/single.ts'), range: single[0].range } }]);
    assert.deepEqual(fromFile?.command?.arguments, [{ pinSet: { file: uri('src/single.ts'), range: single[0].range } }]);
  });

  it('pins a backup key the client made: the pin and the comment recording it go in, and single-pin goes', async () => {
    // What "Add a backup pin from a new key…" sends once the client has written the key: only the pin and the note.
    const { diagnostics: [diagnostic] } = await client.waitForDiagnostics(uri('src/single.ts'), 'the single-pin diagnostic', (p) => p.diagnostics.length === 1);
    const pin = randomBytes(32).toString('base64');
    const note = 'backup key ~/.pinning-audit/keys/app/backup-2026-12-04.key.pem, created 2026-12-04';
    const result = await client.connection.sendRequest(InsertPin.type, { pin, pinSet: { file: uri('src/single.ts'), range: diagnostic.range }, note });
    assert.equal(result.status, 'edit', JSON.stringify(result));
    if (result.status !== 'edit') return;
    const after = await change('src/single.ts', documentEdits(result.edit, uri('src/single.ts')).edits);
    assert.deepEqual(after, []);
    assert.equal(texts.get('src/single.ts'), SINGLE.replace("60Q=']", `60Q=', 'sha256/${pin}' /* ${note} */]`));
  });

  it('audits an Android network security config (language xml): fixes in XML, the expiry date asked for by a command', async () => {
    const relative = 'app/src/main/res/xml/network_security_config.xml';
    const nsc = [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<network-security-config>',
      '    <base-config>',
      '        <trust-anchors>',
      '            <certificates src="system" />',
      '            <certificates src="user" />',
      '        </trust-anchors>',
      '    </base-config>',
      '    <domain-config>',
      '        <domain>api.example.com</domain>',
      '        <pin-set expiration="2020-01-31">',
      '            <pin digest="SHA-256">Iz3Svyl+ZqwA7O0U6CT+XixEZ5x7R9Bs1+NiZ7F7/RQ=</pin>',
      '            <pin digest="SHA-256">W1nmedi/mrxFssTR+heT2CSpaJPuRCtNroXr3JHa3EE=</pin>',
      '        </pin-set>',
      '    </domain-config>',
      '</network-security-config>',
      '',
    ].join('\n');
    // The manifest beside res/ puts the config in effect (without it, pinning-not-enforced notes that it is not).
    fs.mkdirSync(path.join(workspaceDir, 'app/src/main'), { recursive: true });
    fs.writeFileSync(path.join(workspaceDir, 'app/src/main/AndroidManifest.xml'),
      '<manifest xmlns:android="http://schemas.android.com/apk/res/android">\n  <application android:networkSecurityConfig="@xml/network_security_config" />\n</manifest>\n');
    const diagnostics = await open(relative, 'xml', nsc);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity, d.range.start.line]), [['user-ca-trusted', 2, 5], ['pin-set-expired', 1, 10]]);
    const user = diagnostics.find((d) => d.code === 'user-ca-trusted')!;
    assert.match(String(user.codeDescription?.href), /docs\/rules\/user-ca-trusted\.md$/);
    const [move, ...others] = (await codeActions(relative, [user])) as CodeAction[];
    assert.equal(move.title, 'Move <certificates src="user"/> into <debug-overrides>');
    assert.equal(move.isPreferred, true);
    assert.ok(others.some((a) => a.title === 'Ignore user-ca-trusted on this line'));
    const afterMove = await change(relative, documentEdits(move.edit, uri(relative)).edits);
    assert.deepEqual(afterMove.map((d) => d.code), ['pin-set-expired']);
    assert.match(texts.get(relative)!, /<debug-overrides>\n {8}<trust-anchors>\n {12}<certificates src="user" \/>\n {8}<\/trust-anchors>\n {4}<\/debug-overrides>\n<\/network-security-config>/);

    const [setDate, remove] = (await codeActions(relative, afterMove)) as CodeAction[];
    assert.equal(setDate.command?.command, Commands.setExpirationDate);
    assert.deepEqual(setDate.command?.arguments, [{ uri: uri(relative), version: 2, range: afterMove[0].range, current: '2020-01-31' }]);
    assert.equal(remove.title, 'Remove the expiration date (pins are checked until the next update)');
    assert.deepEqual(await change(relative, documentEdits(remove.edit, uri(relative)).edits), []);
  });

  it('restricts a Dart pin check to the host the user types, through RestrictToHost', async () => {
    const diagnostics = await open('lib/client.dart', 'dart', DART);
    const hostBlind = diagnostics.filter((d) => d.code === 'pin-check-ignores-host');
    assert.equal(hostBlind.length, 1, JSON.stringify(diagnostics.map((d) => d.code)));
    const actions = (await codeActions('lib/client.dart', hostBlind)) as CodeAction[];
    const restrict = actions.find((a) => a.command?.command === Commands.restrictToHost);
    assert.equal(restrict?.title, 'Restrict the check to a host…');
    assert.equal(restrict?.isPreferred, true);
    const args = restrict!.command!.arguments![0] as RestrictToHost.CommandArguments;
    assert.deepEqual({ uri: args.uri, version: args.version, range: args.range }, { uri: uri('lib/client.dart'), version: 1, range: hostBlind[0].range });
    assert.equal(args.suggestedHost, 'api.example.com', 'the host the file ties pins to');

    const refused = await client.connection.sendRequest(RestrictToHost.type, { ...args, version: 7, host: 'api.example.com' });
    assert.ok('error' in refused, 'a request for another version is refused');
    const invalid = await client.connection.sendRequest(RestrictToHost.type, { ...args, host: "x'; return true; '" });
    assert.ok('error' in invalid, 'a host that is no host name is refused');

    const result = await client.connection.sendRequest(RestrictToHost.type, { ...args, host: 'api.example.com' });
    assert.ok('edit' in result, JSON.stringify(result));
    const { version, edits } = documentEdits(result.edit, uri('lib/client.dart'));
    assert.equal(version, 1);
    const after = await change('lib/client.dart', edits);
    assert.deepEqual(after.filter((d) => d.code === 'pin-check-ignores-host'), []);
    assert.match(texts.get('lib/client.dart')!, /\n {4}if \(host != 'api\.example\.com'\) return false;\n {4}return _pins/);
  });

  // The server analyses a Dart buffer from the parts its rules need, and re-parses its whole tree
  // only for what asks for it (lsp/auditor.ts): here the quick fixes.
  it('follows edits of a large Dart class and fixes its findings', async () => {
    const relative = 'lib/orders_repository.dart';
    const text = editFile('app', 'dart', 'pinning-audit'); // one class of about 680 members, pinning code at the top
    const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.range.start.line}:${d.code}`);
    const opened = await open(relative, 'dart', text);
    const pinsLine = text.split('\n').findIndex((l) => l.includes('List<String> pins'));
    const digestLine = text.split('\n').findIndex((l) => l.includes('cert.der'));
    assert.deepEqual(codes(opened), [`${pinsLine}:single-pin`, `${pinsLine + 5}:pin-check-ignores-host`, `${digestLine}:full-certificate-hash`]);

    // A member far below: the findings stay where they are.
    const fillerLine = Math.floor(text.split('\n').length * 0.8);
    const typed = await change(relative, [{ range: { start: { line: fillerLine, character: 0 }, end: { line: fillerLine, character: 0 } }, newText: '  // a note\n' }]);
    assert.deepEqual(codes(typed), codes(opened));

    // A second pin: single-pin goes.
    const pinsEnd = { line: pinsLine, character: texts.get(relative)!.split('\n')[pinsLine].indexOf("'];") + 1 };
    const twoPins = await change(relative, [{ range: { start: pinsEnd, end: pinsEnd }, newText: `, '${randomBytes(32).toString('base64')}'` }]);
    assert.deepEqual(codes(twoPins), codes(opened).slice(1));

    // Its quick fix pins the key instead of the certificate.
    const [wholeCertificate] = twoPins.filter((d) => d.code === 'full-certificate-hash');
    const fix = ((await codeActions(relative, [wholeCertificate])) as CodeAction[]).find((a) => a.isPreferred);
    assert.ok(fix?.edit, 'a preferred fix with an edit');
    const fixed = await change(relative, documentEdits(fix.edit, uri(relative)).edits);
    assert.deepEqual(codes(fixed).map((c) => c.split(':')[1]), ['pin-check-ignores-host']);
  });
});
