/**
 * The built language server over a real stdio connection: open/edit/close, background scan,
 * watched files, the ScanWorkspace request and configuration changes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  FileChangeType,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { ScanWorkspace, SERVER_SOURCE } from '../../common/protocol';
import { LspTestClient, uriOf } from './lsp-client';

const RULE = 'trust-all-certificates';
const INSECURE = "import https from 'node:https';\nexport const agent = new https.Agent({ rejectUnauthorized: false });\n";
const SECURE = INSECURE.replace('false', 'true');

/** The range of the first `needle` in `text`, as LSP positions. */
function rangeOf(text: string, needle: string): Range {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  const character = lines[line].indexOf(needle);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

describe('language server protocol', function () {
  this.timeout(60_000);
  let workspaceDir: string;
  let client: LspTestClient;
  const file = (relative: string) => path.join(workspaceDir, relative);
  const uri = (relative: string) => uriOf(file(relative));
  const write = (relative: string, text: string) => {
    fs.mkdirSync(path.dirname(file(relative)), { recursive: true });
    fs.writeFileSync(file(relative), text);
  };

  const editorUri = () => uri('src/editor.ts');
  let editorVersion = 1;
  const changeEditor = (range: Range, text: string) =>
    client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: editorUri(), version: ++editorVersion },
      contentChanges: [{ range, text }],
    });

  before(async () => {
    workspaceDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-lsp-')));
    write('src/client.ts', INSECURE); // never opened: only the scan can find it
    write('src/editor.ts', INSECURE); // opened, edited and closed below
    write('src/clean.ts', 'export const answer = 42;\n');
    write('generated/api.ts', INSECURE); // excluded by pinningAudit.exclude
    write('node_modules/dep/index.js', INSECURE.replace("import https from 'node:https';", "const https = require('https');"));
    client = new LspTestClient();
    client.settings = { exclude: ['generated/**'] };
    const result = await client.initialize(workspaceDir);
    assert.equal(result.capabilities.textDocumentSync && typeof result.capabilities.textDocumentSync === 'object'
      ? result.capabilities.textDocumentSync.change : undefined, 2, 'incremental text sync');
  });

  after(async () => {
    await client?.stop();
    if (workspaceDir) fs.rmSync(workspaceDir, { recursive: true, force: true });
  });

  it('publishes an error for rejectUnauthorized: false in an opened document', async () => {
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: editorUri(), languageId: 'typescript', version: 1, text: INSECURE },
    });
    const { diagnostics } = await client.waitForDiagnostics(editorUri(), 'a diagnostic for version 1',
      (p) => p.version === 1 && p.diagnostics.length > 0);
    assert.equal(diagnostics.length, 1);
    const [diagnostic] = diagnostics;
    assert.equal(diagnostic.code, RULE);
    assert.equal(diagnostic.source, SERVER_SOURCE);
    assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
    assert.match(diagnostic.codeDescription?.href ?? '', new RegExp(`/${RULE}\\.md$`));
    assert.ok(contains(diagnostic.range, rangeOf(INSECURE, 'false')), `range ${JSON.stringify(diagnostic.range)} covers \`false\``);
    assert.deepEqual(
      { ruleId: (diagnostic.data as { ruleId: string }).ruleId, documentVersion: (diagnostic.data as { documentVersion: number }).documentVersion },
      { ruleId: RULE, documentVersion: 1 },
    );
  });

  it('clears the diagnostic after an incremental edit turns false into true', async () => {
    await changeEditor(rangeOf(INSECURE, 'false'), 'true');
    const version = editorVersion;
    await client.waitForDiagnostics(editorUri(), 'no diagnostics after the edit', (p) => p.version === version && p.diagnostics.length === 0);
  });

  it('audits the last version after a burst of edits', async () => {
    // Toggle true/false nine times without waiting: the server may coalesce, but must end on the last text.
    let text = SECURE;
    for (let i = 0; i < 9; i++) {
      const [from, to] = text.includes('true') ? ['true', 'false'] : ['false', 'true'];
      const range = rangeOf(text, from);
      text = text.replace(from, to);
      void changeEditor(range, to);
    }
    assert.ok(text.includes('false'));
    const finalVersion = editorVersion;
    const first = client.publications.length;
    await client.waitForDiagnostics(editorUri(), 'the final version', (p) => p.version === finalVersion && p.diagnostics.length === 1);
    const burst = client.publications.slice(first).filter((p) => p.uri === editorUri());
    assert.ok(burst.length < 9, `edits that were queued together are audited together (${burst.length} publications for 9 edits)`);
    assert.equal(burst.at(-1)?.version, finalVersion, 'nothing older is published after the final version');
  });

  it('audits files that are not open in the background scan', async () => {
    const { diagnostics, version } = await client.waitForDiagnostics(uri('src/client.ts'), 'scan diagnostics',
      (p) => p.diagnostics.length > 0);
    assert.equal(version, undefined);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].code, RULE);
    assert.equal((diagnostics[0].data as { documentVersion: unknown }).documentVersion, null);
  });

  it('answers ScanWorkspace with counts, skipping dependencies and excluded files, with progress', async () => {
    await client.waitFor('the initial scan to end', () => client.statuses.at(-1)?.scanning === false);
    const progressBefore = client.progress.length;
    const result = await client.connection.sendRequest(ScanWorkspace.type, {});
    // client.ts, editor.ts (open, audited from the editor) and clean.ts.
    assert.deepEqual(result, { files: 3, findings: 2 });
    assert.ok(!client.diagnostics.get(uri('generated/api.ts'))?.diagnostics.length, 'excluded file has no diagnostics');
    assert.ok(!client.diagnostics.get(uri('node_modules/dep/index.js'))?.diagnostics.length, 'node_modules is skipped');
    await client.waitFor('the scan progress to end', () => client.progress.slice(progressBefore).some((p) => p.kind === 'end'));
    assert.equal(client.progress.slice(progressBefore)[0]?.kind, 'begin');
    await client.waitFor('a Status notification with 2 findings, not scanning',
      () => client.statuses.at(-1)?.findings === 2 && client.statuses.at(-1)?.scanning === false);
  });

  it('shows a closed file\'s findings from disk', async () => {
    await changeEditor(rangeOf(INSECURE, 'false'), 'true');
    const version = editorVersion;
    await client.waitForDiagnostics(editorUri(), 'the edited buffer to be clean', (p) => p.version === version && p.diagnostics.length === 0);
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: editorUri() } });
    // The buffer was clean, but the file on disk still says `false`.
    await client.waitForDiagnostics(editorUri(), 'the disk file\'s diagnostic', (p) => p.version === undefined && p.diagnostics.length === 1);
  });

  it('re-audits closed files on watched-file events', async () => {
    const watched = uri('src/watched.ts');
    const notify = (type: FileChangeType) =>
      client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: watched, type }] });
    write('src/watched.ts', INSECURE);
    await notify(FileChangeType.Created);
    await client.waitForDiagnostics(watched, 'a created file\'s diagnostic', (p) => p.diagnostics.length === 1);
    write('src/watched.ts', SECURE);
    await notify(FileChangeType.Changed);
    await client.waitForDiagnostics(watched, 'a fixed file to be cleared', (p) => p.diagnostics.length === 0);
    write('src/watched.ts', INSECURE);
    await notify(FileChangeType.Changed);
    await client.waitForDiagnostics(watched, 'the finding to come back', (p) => p.diagnostics.length === 1);
    fs.rmSync(file('src/watched.ts'));
    await notify(FileChangeType.Deleted);
    await client.waitForDiagnostics(watched, 'a deleted file to be cleared', (p) => p.diagnostics.length === 0);
  });

  it('reads a file on disk without its byte-order mark: the columns of line 1 are the editor\'s', async () => {
    const bom = uri('src/bom.js');
    const notify = (type: FileChangeType) =>
      client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: bom, type }] });
    const text = "new (require('https').Agent)({ rejectUnauthorized: false });\n";
    fs.writeFileSync(file('src/bom.js'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    await notify(FileChangeType.Created);
    const { diagnostics } = await client.waitForDiagnostics(bom, 'the diagnostic of a file with a BOM', (p) => p.diagnostics.length === 1);
    assert.ok(contains(diagnostics[0].range, rangeOf(text, 'rejectUnauthorized: false')), JSON.stringify(diagnostics[0].range));
    assert.equal(diagnostics[0].range.start.line, 0);
    fs.rmSync(file('src/bom.js'));
    await notify(FileChangeType.Deleted);
    await client.waitForDiagnostics(bom, 'a deleted file to be cleared', (p) => p.diagnostics.length === 0);
  });

  it('survives messages about unknown documents and odd edits', async () => {
    const unknown = uri('src/nowhere.ts');
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: unknown, version: 2 },
      contentChanges: [{ range: rangeOf(INSECURE, 'false'), text: 'true' }],
    });
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: unknown } });
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: uri('notes.txt'), languageId: 'plaintext', version: 1, text: 'rejectUnauthorized: false' },
    });
    const result = await client.connection.sendRequest(ScanWorkspace.type, {});
    assert.equal(result.findings, 2);
  });

  it('clears diagnostics when the rule is turned off in the settings', async () => {
    editorVersion = 1;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: editorUri(), languageId: 'typescript', version: 1, text: INSECURE },
    });
    await client.waitForDiagnostics(editorUri(), 'the reopened document\'s diagnostic', (p) => p.version === 1 && p.diagnostics.length === 1);
    await client.waitForDiagnostics(uri('src/client.ts'), 'the closed file\'s diagnostic', (p) => p.diagnostics.length === 1);

    client.settings = { exclude: ['generated/**'], rules: { [RULE]: 'off' } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });

    await client.waitForDiagnostics(editorUri(), 'the open document to be cleared', (p) => p.diagnostics.length === 0);
    await client.waitForDiagnostics(uri('src/client.ts'), 'the closed file to be cleared', (p) => p.diagnostics.length === 0);
    await client.waitFor('a Status notification with 0 findings', () => client.statuses.at(-1)?.findings === 0);
  });
});
