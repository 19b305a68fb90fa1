/**
 * The pin requests over a real stdio connection to dist/server.js: listing pin sets, the insert
 * edit (versioned, idempotent, host entry, pins file), and the verify-results → diagnostics flow
 * with chains fetched from a real `openssl s_server`, as the extension fetches them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeLensRequest,
  DiagnosticSeverity,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  TextDocumentEdit,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { fetchChain } from '../../common/certs/fetch-chain';
import { hostCheckFromFetch } from '../../common/pins/host-check';
import { Commands, HostTiedPinSets, InsertPin, PinSets, SERVER_SOURCE, VerifyResults } from '../../common/protocol';
import { makeTempDir, makeTestPki, opensslSpkiPin, requireOpenssl, startOpensslServer, type RunningServer, type TestPki } from '../certs/openssl';
import { randomPin } from '../pins/edit-helpers';
import { LspTestClient, uriOf } from './lsp-client';

/** Applies the text edits of a WorkspaceEdit's one TextDocumentEdit to `text`. */
function applyWorkspaceEdit(edit: WorkspaceEdit, text: string): { text: string; version: number | null; uri: string } {
  const changes = edit.documentChanges ?? [];
  const documentEdits = changes.filter((c): c is TextDocumentEdit => TextDocumentEdit.is(c));
  assert.equal(documentEdits.length, 1, 'one document edit: one undo step');
  const [{ textDocument, edits }] = documentEdits;
  const applied = TextDocument.applyEdits(TextDocument.create(textDocument.uri, 'dart', 0, text), plainEdits(edits));
  return { text: applied, version: textDocument.version, uri: textDocument.uri };
}

/** The server sends plain text edits only (no snippets). */
function plainEdits(edits: TextDocumentEdit['edits']): TextEdit[] {
  return edits.map((e) => {
    assert.ok('newText' in e, 'a plain text edit');
    return e;
  });
}

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => String(d.code)).sort();

describe('language server: live-host pins', function () {
  this.timeout(60_000);
  let pki: TestPki;
  let server: RunningServer;
  let target: string;
  let leafPin: string;
  let workspaceDir: string;
  let client: LspTestClient;
  /** lib/pins.dart as the editor holds it. */
  let pinsText: string;
  const file = (relative: string) => path.join(workspaceDir, relative);
  const uri = (relative: string) => uriOf(file(relative));

  const hostMap = () => [
    'const Map<String, Set<String>> spkiPinsByHost = {',
    "  'localhost': {",
    `    '${leafPin}', // current key`,
    `    '${BACKUP}', // backup key`,
    '  },',
    '};',
    '',
  ].join('\n');
  const BACKUP = randomPin();
  const STALE = [randomPin(), randomPin()];
  const others = [
    `const Set<String> stalePins = {'${STALE[0]}', '${STALE[1]}'};`,
    `const Set<String> uploadPins = {'${randomPin()}'};`,
    '',
  ].join('\n');

  before(async () => {
    requireOpenssl();
    pki = await makeTestPki(makeTempDir('pin-requests'));
    server = await startOpensslServer({ cert: pki.leaf.cert, key: pki.leaf.key, chainFile: pki.chainFile });
    target = `127.0.0.1:${server.port}`;
    leafPin = opensslSpkiPin(pki.leaf.cert);
    workspaceDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-pins-lsp-')));
    fs.mkdirSync(file('lib'), { recursive: true });
    fs.writeFileSync(file('lib/pins.dart'), hostMap());
    fs.writeFileSync(file('lib/other.dart'), others);
    client = new LspTestClient();
    client.settings = { hosts: { stalePins: target } };
    await client.initialize(workspaceDir);
    await client.waitFor('the initial scan to end', () => client.statuses.at(-1)?.scanning === false);
  });

  after(async () => {
    await client?.stop();
    await server?.stop();
    if (workspaceDir) fs.rmSync(workspaceDir, { recursive: true, force: true });
    if (pki) fs.rmSync(pki.dir, { recursive: true, force: true });
  });

  it('lists the pin sets of the workspace and which hold an asked-about pin', async () => {
    const { pinSets } = await client.connection.sendRequest(PinSets.type, { pins: [leafPin] });
    const byName = new Map(pinSets.map((s) => [s.name, s]));
    assert.deepEqual([...byName.keys()].sort(), ['spkiPinsByHost[localhost]', 'stalePins', 'uploadPins']);
    const entry = byName.get('spkiPinsByHost[localhost]')!;
    assert.deepEqual(
      { uri: entry.uri, host: entry.host, mapName: entry.mapName, language: entry.language, pinCount: entry.pinCount, holds: entry.holds },
      { uri: uri('lib/pins.dart'), host: 'localhost', mapName: 'spkiPinsByHost', language: 'dart', pinCount: 2, holds: [leafPin] },
    );
    assert.deepEqual(byName.get('stalePins')!.holds, []);
  });

  it("returns a versioned edit for an open document that appends to the host's entry, and is idempotent", async () => {
    const text = hostMap();
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: uri('lib/pins.dart'), languageId: 'dart', version: 7, text },
    });
    const pin = randomPin();
    const result = await client.connection.sendRequest(InsertPin.type, { pin, host: 'localhost' });
    assert.equal(result.status, 'edit', JSON.stringify(result));
    if (result.status !== 'edit') return;
    const applied = applyWorkspaceEdit(result.edit, text);
    pinsText = applied.text;
    assert.equal(applied.uri, uri('lib/pins.dart'));
    assert.equal(applied.version, 7, 'the edit names the document version it was computed for');
    assert.equal(applied.text, text.replace('// backup key\n', `// backup key\n    '${pin}',\n`));

    // The editor applies it: the next request sees the pin and adds nothing.
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uri('lib/pins.dart'), version: 8 },
      contentChanges: [{ text: applied.text }],
    });
    const again = await client.connection.sendRequest(InsertPin.type, { pin, pinSet: { host: 'localhost' } });
    assert.equal(again.status, 'present');
  });

  it('creates the entry of a new host in the host-keyed map', async () => {
    const pin = randomPin();
    const result = await client.connection.sendRequest(InsertPin.type, { pin, host: 'cdn.example.com' });
    assert.equal(result.status, 'edit', JSON.stringify(result));
    if (result.status !== 'edit') return;
    assert.equal(result.created, 'hostEntry');
    assert.equal(applyWorkspaceEdit(result.edit, pinsText).text, pinsText.replace('  },\n};', `  },\n  'cdn.example.com': {\n    '${pin}',\n  },\n};`));
  });

  it('targets a set by position in a closed file, with a null version', async () => {
    const pin = randomPin();
    const result = await client.connection.sendRequest(InsertPin.type, {
      pin,
      pinSet: { file: file('lib/other.dart'), range: { start: { line: 0, character: 32 }, end: { line: 0, character: 32 } } },
    });
    assert.equal(result.status, 'edit', JSON.stringify(result));
    if (result.status !== 'edit') return;
    const applied = applyWorkspaceEdit(result.edit, others);
    assert.equal(applied.version, null);
    assert.ok(applied.text.startsWith(`const Set<String> stalePins = {'${STALE[0]}', '${STALE[1]}', '${pin}'};\n`), applied.text);
  });

  it('replaces a pin where a quick fix points, instead of adding one', async () => {
    const pin = randomPin();
    const at = { start: { line: 0, character: 34 }, end: { line: 0, character: 34 } }; // inside stalePins' first pin
    const result = await client.connection.sendRequest(InsertPin.type, { pin, replace: { file: uri('lib/other.dart'), range: at } });
    assert.equal(result.status, 'edit', JSON.stringify(result));
    if (result.status !== 'edit') return;
    assert.ok(applyWorkspaceEdit(result.edit, others).text.startsWith(`const Set<String> stalePins = {'${pin}', '${STALE[1]}'};\n`));
  });

  it('asks which set when a bare pin could go to several', async () => {
    const result = await client.connection.sendRequest(InsertPin.type, { pin: randomPin() });
    assert.equal(result.status, 'ambiguous');
    if (result.status === 'ambiguous') assert.equal(result.candidates.length, 3);
    const bad = await client.connection.sendRequest(InsertPin.type, { pin: 'not-a-pin' });
    assert.equal(bad.status, 'failed');
  });

  it('ties sets to hosts by map key and by the hosts setting, and offers a CodeLens to verify', async () => {
    const { ties, skipped } = await client.connection.sendRequest(HostTiedPinSets.type, { hosts: { localhost: target, nothing: 'x.example.com' } });
    assert.deepEqual(ties.map((t) => [t.name, t.host, t.target.port, t.servername]).sort(), [
      ['spkiPinsByHost[localhost]', target, server.port, 'localhost'],
      ['stalePins', target, server.port, undefined],
    ]);
    assert.deepEqual(skipped, [{ name: 'nothing', reason: 'no pin set has this name or host' }]);

    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uri('lib/pins.dart') } })) ?? [];
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command]), [[1, 'Verify against localhost', Commands.verifyPins]]);
  });

  it('publishes verification diagnostics merged with the rule diagnostics, and recomputes them as the text changes', async () => {
    // What the extension does: ask for the ties, fetch each chain, send the results.
    const { ties } = await client.connection.sendRequest(HostTiedPinSets.type, { hosts: { localhost: target } });
    const results = [];
    for (const tie of ties) {
      const fetched = await fetchChain({ host: tie.target.host, port: tie.target.port, servername: tie.servername, timeoutMs: 5000 });
      results.push({ uri: tie.uri, setKey: tie.setKey, host: tie.host, check: hostCheckFromFetch(fetched, tie.servername, new Date()) });
    }
    const { pinSets } = await client.connection.sendRequest(VerifyResults.type, { results });
    assert.deepEqual(pinSets.map((s) => [s.name, s.status, s.matched, s.total]).sort(), [
      ['spkiPinsByHost[localhost]', 'ok', 1, 3],
      ['stalePins', 'noMatch', 0, 2],
    ]);
    assert.match(pinSets.find((s) => s.name === 'stalePins')!.summary, /^0\/2 pins match 127\.0\.0\.1:\d+: this build cannot connect/);

    // The closed file: the rules' single-pin warning plus the verification error on stalePins.
    const other = await client.waitForDiagnostics(uri('lib/other.dart'), 'no-pin-matches-host next to single-pin',
      (p) => p.diagnostics.some((d) => d.code === 'no-pin-matches-host'));
    assert.deepEqual(codes(other.diagnostics), ['no-pin-matches-host', 'single-pin']);
    const error = other.diagnostics.find((d) => d.code === 'no-pin-matches-host')!;
    assert.equal(error.severity, DiagnosticSeverity.Error);
    assert.equal(error.source, SERVER_SOURCE);
    assert.match(error.codeDescription?.href ?? '', /\/docs\/rules\/no-pin-matches-host\.md$/);
    assert.deepEqual(error.range.start, { line: 0, character: 30 });
    assert.deepEqual(error.data, { ruleId: 'no-pin-matches-host', documentVersion: null, fix: 'fetch-pins', host: target, target });

    // The open file: the leaf matches (expiring within 30 days); the pin commented as the backup key
    // is a backup, the added pin is stale.
    const pins = await client.waitForDiagnostics(uri('lib/pins.dart'), 'stale pins in the open document',
      (p) => p.diagnostics.some((d) => d.code === 'stale-pin'));
    assert.equal(pins.version, 8);
    assert.deepEqual(codes(pins.diagnostics), ['pinned-certificate-expiring', 'stale-pin']);
    assert.deepEqual(pins.diagnostics.filter((d) => d.code === 'stale-pin').map((d) => d.range.start.line), [4]);

    // The CodeLens now shows the result.
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uri('lib/pins.dart') } })) ?? [];
    assert.match(lenses[0].command?.title ?? '', /^1\/3 pins match 127\.0\.0\.1:\d+: 1 live, 1 backup, 1 stale · leaf expires in (29|30) days$/);

    // Open the stale set's file and insert the leaf pin through the server's own edit: the error goes.
    const text = fs.readFileSync(file('lib/other.dart'), 'utf8');
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: uri('lib/other.dart'), languageId: 'dart', version: 1, text },
    });
    const insert = await client.connection.sendRequest(InsertPin.type, { pin: leafPin, pinSet: { name: 'stalePins' } });
    assert.equal(insert.status, 'edit', JSON.stringify(insert));
    if (insert.status !== 'edit') return;
    const applied = applyWorkspaceEdit(insert.edit, text);
    assert.equal(applied.version, 1);
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uri('lib/other.dart'), version: 2 },
      contentChanges: [{ text: applied.text }],
    });
    const fixed = await client.waitForDiagnostics(uri('lib/other.dart'), 'the set to match after the insert', (p) => p.version === 2);
    assert.deepEqual(codes(fixed.diagnostics), ['pinned-certificate-expiring', 'single-pin', 'stale-pin', 'stale-pin']);
  });

  describe('in a workspace without pin sets', () => {
    let emptyDir: string;
    let empty: LspTestClient;

    before(async () => {
      emptyDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-no-pins-')));
      fs.writeFileSync(path.join(emptyDir, 'pubspec.yaml'), 'name: app\n');
      empty = new LspTestClient();
      await empty.initialize(emptyDir);
      await empty.waitFor('the initial scan to end', () => empty.statuses.at(-1)?.scanning === false);
    });

    after(async () => {
      await empty?.stop();
      if (emptyDir) fs.rmSync(emptyDir, { recursive: true, force: true });
    });

    it('proposes the pins file first, then returns an edit that creates it', async () => {
      const pin = randomPin();
      const proposal = await empty.connection.sendRequest(InsertPin.type, { pin, host: 'api.example.com' });
      const pinsFile = uriOf(path.join(emptyDir, 'lib/core/security/ssl_pins.dart'));
      assert.deepEqual(proposal, { status: 'noPinSet', pinsFile });

      const result = await empty.connection.sendRequest(InsertPin.type, { pin, host: 'api.example.com', createPinsFile: true });
      assert.equal(result.status, 'edit');
      if (result.status !== 'edit') return;
      assert.equal(result.created, 'pinsFile');
      const [create, write] = result.edit.documentChanges!;
      assert.deepEqual(create, { kind: 'create', uri: pinsFile, options: { overwrite: false, ignoreIfExists: true } });
      assert.ok(TextDocumentEdit.is(write));
      const [newText] = plainEdits(write.edits).map((e) => e.newText);
      assert.ok(newText.includes(`  'api.example.com': {\n    '${pin}',\n  },`), newText);
    });
  });
});
