/**
 * The built server over stdio, fed malformed and hostile messages: broken JSON, wrong
 * Content-Length, unknown methods, wrong parameter shapes, unknown documents, out-of-range
 * positions, a code action for a stale diagnostic. Each gets an error response or nothing; the
 * process stays up and still answers a valid request afterwards.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ErrorCodes,
  ResponseError,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { ScanWorkspace } from '../../common/protocol';
import { LspTestClient, uriOf } from '../protocol/lsp-client';
import { INSECURE_TS } from './hostile-workspace';
import { runs } from './long-run';

/** Methods the server handles, plus lifecycle-free standard ones it does not. */
const REQUEST_METHODS = [
  'textDocument/codeAction', 'textDocument/codeLens', 'textDocument/hover', 'textDocument/completion', 'workspace/executeCommand',
  'pinningAudit/scanWorkspace', 'pinningAudit/restrictToHost', 'pinningAudit/pinSets', 'pinningAudit/insertPin',
  'pinningAudit/hostTiedPinSets', 'pinningAudit/verifyResults', 'pinningAudit/noSuchRequest',
];
const NOTIFICATION_METHODS = [
  'textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose', 'textDocument/didSave',
  'workspace/didChangeWatchedFiles', 'workspace/didChangeConfiguration', 'workspace/didChangeWorkspaceFolders',
  '$/cancelRequest', '$/setTrace', 'pinningAudit/noSuchNotification',
];

const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

describe('reliability: the server survives bad requests', function () {
  this.timeout(60_000);
  let dir: string;
  let client: LspTestClient;
  const fileUri = () => uriOf(path.join(dir, 'src', 'client.ts'));
  let version = 1;

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-bad-requests-')));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'client.ts'), INSECURE_TS);
    client = new LspTestClient();
    await client.initialize(dir);
    await client.waitFor('the background scan to end', () => client.progress.some((p) => p.kind === 'end'));
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: fileUri(), languageId: 'typescript', version, text: INSECURE_TS },
    });
    await client.waitForDiagnostics(fileUri(), 'the open document audited', (p) => p.version === version && p.diagnostics.length === 1);
  });

  after(async () => {
    await client?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The process is up and answers ScanWorkspace. A wrong Content-Length can swallow the next
   * message or two (the base protocol has no way to resynchronize sooner), so up to four
   * requests are sent, each with a deadline.
   */
  async function assertAnswersValidRequest(): Promise<void> {
    assert.equal(client.exitCode, null, `the server exited\n${client.log.slice(-10).join('\n')}`);
    const problems: string[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        const result = await withDeadline(client.connection.sendRequest(ScanWorkspace.type, {}), 5_000, 'ScanWorkspace');
        assert.deepEqual(result, { files: 1, findings: 1 });
        return;
      } catch (error) {
        problems.push(String(error));
      }
    }
    assert.fail(`no valid request was answered: ${problems.join('; ')}\n${client.log.slice(-10).join('\n')}`);
  }

  /** Sends a request and returns its result or its error; never lets it hang. */
  async function answerTo(method: string, params: unknown): Promise<{ result?: unknown; error?: ResponseError<unknown> }> {
    try {
      return { result: await withDeadline(client.connection.sendRequest(method, params), 10_000, method) };
    } catch (error) {
      if (error instanceof ResponseError) return { error };
      throw error;
    }
  }

  describe('malformed base-protocol messages', function () {
    const cases: [string, string | Buffer][] = [
      ['broken JSON', frame('{"jsonrpc":"2.0","id":900,"method":')],
      ['JSON that is no message', frame('[1,2,3]') + frame('"text"') + frame('null') + frame('{"foo":1}')],
      ['a request without a method', frame('{"jsonrpc":"2.0","id":901}')],
      ['a header without Content-Length', 'Content-Type: application/vscode-jsonrpc\r\n\r\n{}'],
      ['a Content-Length that is no number', 'Content-Length: twelve\r\n\r\n{}'],
      ['a header line without a colon', 'Content-Length 12\r\n\r\n'],
      ['a Content-Length shorter than the body', 'Content-Length: 10\r\n\r\n{"jsonrpc":"2.0","id":902,"method":"pinningAudit/scanWorkspace","params":{}}'],
      ['a Content-Length longer than the body', 'Content-Length: 300\r\n\r\n{"jsonrpc":"2.0","id":903}'],
      ['invalid UTF-8 and NUL bytes in the body', Buffer.from([...Buffer.from('Content-Length: 6\r\n\r\n'), 0xff, 0xfe, 0x00, 0xc3, 0x28, 0x00])],
    ];
    for (const [name, bytes] of cases) {
      it(name, async function () {
        client.writeRaw(bytes);
        await assertAnswersValidRequest();
      });
    }
  });

  it('an unknown request gets MethodNotFound; an unknown notification gets nothing', async function () {
    const { error } = await answerTo('pinningAudit/noSuchRequest', {});
    assert.equal(error?.code, ErrorCodes.MethodNotFound);
    await client.connection.sendNotification('pinningAudit/noSuchNotification', { x: 1 });
    await assertAnswersValidRequest();
  });

  it('known requests with wrong parameter shapes get an answer (a result or an error)', async function () {
    const shapes: unknown[] = [null, 42, 'text', [], {}, { textDocument: null }, { textDocument: { uri: 17 } }, { textDocument: { uri: fileUri() }, range: 'all' }];
    for (const method of REQUEST_METHODS.filter((m) => m !== 'pinningAudit/scanWorkspace')) {
      for (const params of shapes) await answerTo(method, params);
    }
    await assertAnswersValidRequest();
  });

  it('notifications with wrong parameter shapes are logged and dropped', async function () {
    const shapes: unknown[] = [null, 42, {}, { textDocument: null }, { textDocument: { uri: 5, text: null } }, { contentChanges: 'x' }, { changes: [{ uri: null }] }, { settings: { pinningAudit: { maxFileSizeKb: 'big', rules: [1] } } }];
    for (const method of NOTIFICATION_METHODS) {
      for (const params of shapes) await client.connection.sendNotification(method, params);
    }
    // Changes to the open document that carry no text, or a range that is no range.
    for (const contentChanges of [[{ range: 'bad', text: 'x' }], [{ range: { start: {}, end: {} }, text: 1 }], [{ text: 42 }], 'x']) {
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: fileUri(), version: 999 }, contentChanges });
    }
    // The document is still the client's text: a full replacement brings back exactly one finding.
    version = 1000;
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: fileUri(), version }, contentChanges: [{ text: INSECURE_TS }] });
    await client.waitForDiagnostics(fileUri(), 'the document audited again', (p) => p.version === version && p.diagnostics.length === 1);
    await assertAnswersValidRequest();
  });

  it('requests for documents that are not open, or do not exist, get an answer', async function () {
    const missing = uriOf(path.join(dir, 'src', 'missing.ts'));
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    for (const uri of [missing, 'untitled:Untitled-9', 'file:///', 'not a uri']) {
      const { result, error } = await answerTo(CodeActionRequest.method, { textDocument: { uri }, range, context: { diagnostics: [] } });
      assert.ok(error || Array.isArray(result) || result === null, `${uri}: ${JSON.stringify(result)}`);
      await answerTo('textDocument/codeLens', { textDocument: { uri } });
      await answerTo('pinningAudit/pinSets', { textDocument: { uri } });
    }
    await assertAnswersValidRequest();
  });

  it('out-of-range positions: clamped as LSP says in edits, answered in requests', async function () {
    // An insertion at character 9999 of line 0 lands at the end of line 0, not at the end of the file.
    const finding = (await client.waitForDiagnostics(fileUri(), 'one finding', (p) => p.diagnostics.length === 1)).diagnostics[0];
    version++;
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: fileUri(), version },
      contentChanges: [{ range: { start: { line: 0, character: 9999 }, end: { line: 0, character: 9999 } }, text: '\n' }],
    });
    const moved = await client.waitForDiagnostics(fileUri(), 'the finding one line down', (p) => p.version === version && p.diagnostics.length === 1);
    assert.equal(moved.diagnostics[0].range.start.line, finding.range.start.line + 1);
    // Negative positions are the start of the document; lines past the end are its end.
    version++;
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: fileUri(), version },
      contentChanges: [
        { range: { start: { line: -4, character: -1 }, end: { line: 0, character: 0 } }, text: '// top\n' },
        { range: { start: { line: 1e9, character: 0 }, end: { line: 1e9, character: 5 } }, text: '// end\n' },
      ],
    });
    const shifted = await client.waitForDiagnostics(fileUri(), 'the finding another line down', (p) => p.version === version && p.diagnostics.length === 1);
    assert.equal(shifted.diagnostics[0].range.start.line, finding.range.start.line + 2);
    const far = { start: { line: 1e6, character: 1e6 }, end: { line: -1, character: 2 ** 40 } };
    for (const range of [far, { start: { line: 0.5, character: NaN }, end: { line: 'x', character: null } }]) {
      await answerTo(CodeActionRequest.method, { textDocument: { uri: fileUri() }, range, context: { diagnostics: [{ ...finding, range }] } });
    }
    await assertAnswersValidRequest();
  });

  it('a code action for a stale diagnostic offers nothing for it', async function () {
    const current = await client.waitForDiagnostics(fileUri(), 'a current finding', (p) => p.version === version && p.diagnostics.length === 1);
    const stale: Diagnostic = current.diagnostics[0];
    // The text moves on: the diagnostic's range and version are now out of date.
    version++;
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: fileUri(), version },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n\n' }],
    });
    await client.waitForDiagnostics(fileUri(), 'the new version audited', (p) => p.version === version);
    const { result, error } = await answerTo(CodeActionRequest.method, { textDocument: { uri: fileUri() }, range: stale.range, context: { diagnostics: [stale] } });
    assert.equal(error, undefined);
    assert.deepEqual(result, []);
    await assertAnswersValidRequest();
  });

  it(`random methods with random JSON parameters (${runs(60, 3000)} messages)`, async function () {
    this.timeout(runs(60_000, 900_000));
    const message = fc.record({
      request: fc.boolean(),
      method: fc.constantFrom(...REQUEST_METHODS, ...NOTIFICATION_METHODS),
      params: fc.jsonValue({ maxDepth: 3 }),
    });
    for (const { request, method, params } of fc.sample(message, { seed: 8, numRuns: runs(60, 3000) })) {
      if (method === 'textDocument/didOpen' || method === 'workspace/didChangeWorkspaceFolders') continue; // random text could replace the workspace
      if (request) await answerTo(method, params);
      else await client.connection.sendNotification(method, params);
    }
    await assertAnswersValidRequest();
  });
});
