/**
 * The language server keeps its workspace scan's results in the storage folder the client gives
 * it: a restarted server (a reopened workspace) re-parses only the files that changed, publishes
 * the same diagnostics and knows the same pin sets; an open document is analysed live.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidOpenTextDocumentNotification, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { PinSets, ScanWorkspace } from '../../common/protocol';
import { LspTestClient, uriOf } from './lsp-client';

const INSECURE = "import https from 'node:https';\nexport const agent = new https.Agent({ rejectUnauthorized: false });\n";
const PINS_DART = "const apiPins = <String>[\n  'sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',\n];\n";

/** The counts of the first finished scan in the server's log: [audited, from the cache, parsed]. */
function firstScan(client: LspTestClient): [number, number, number] | undefined {
  for (const line of client.log) {
    const m = /Workspace scan: (\d+) files audited, (\d+) of them from the scan cache, (\d+) parsed/.exec(line);
    if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  return undefined;
}

describe('language server: workspace scan cache', function () {
  this.timeout(90_000);
  let workspaceDir: string;
  let storageDir: string;
  const clients: LspTestClient[] = [];
  const file = (relative: string) => path.join(workspaceDir, relative);
  const write = (relative: string, text: string) => {
    fs.mkdirSync(path.dirname(file(relative)), { recursive: true });
    fs.writeFileSync(file(relative), text);
  };

  /** A new server on the workspace, with the storage folder; resolves after its first scan. */
  async function session(): Promise<{ client: LspTestClient; counts: [number, number, number] }> {
    const client = new LspTestClient();
    clients.push(client);
    await client.initialize(workspaceDir, { storagePath: storageDir });
    await client.waitFor('the first workspace scan', () => firstScan(client) !== undefined, 60_000);
    return { client, counts: firstScan(client)! };
  }

  const published = (client: LspTestClient) =>
    new Map([...client.diagnostics].map(([uri, p]: [string, PublishDiagnosticsParams]) => [uri, p.diagnostics]));

  before(() => {
    workspaceDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-lsp-cache-')));
    storageDir = path.join(fs.realpathSync(os.tmpdir()), `pinning-audit-storage-${process.pid}-${Date.now()}`);
    write('src/client.ts', INSECURE);
    write('src/other.ts', INSECURE);
    write('lib/pins.dart', PINS_DART);
    for (let i = 0; i < 20; i++) write(`src/plain${i}.ts`, `export const value${i} = ${i};\n`);
  });

  after(async () => {
    for (const client of clients) await client.stop();
    fs.rmSync(workspaceDir, { recursive: true, force: true });
    fs.rmSync(storageDir, { recursive: true, force: true });
  });

  it('re-parses only the changed file after a restart, with the same diagnostics and pin sets', async () => {
    const first = await session();
    const [audited, cached, parsed] = first.counts;
    assert.equal(audited, 23);
    assert.equal(cached, 0);
    assert.equal(parsed, 3);
    assert.equal(fs.readdirSync(storageDir).filter((f) => f.startsWith('scan-cache-')).length, 1);
    const before = published(first.client);
    const pinSetsBefore = await first.client.connection.sendRequest(PinSets.type, {});
    assert.equal(pinSetsBefore.pinSets.length, 1);
    await first.client.stop();

    fs.appendFileSync(file('src/other.ts'), 'export const second = new https.Agent({ rejectUnauthorized: false });\n');
    const second = await session();
    assert.deepEqual(second.counts, [23, 22, 1]);
    await second.client.waitForDiagnostics(uriOf(file('src/other.ts')), 'both findings', (p) => p.diagnostics.length === 2);
    const after = published(second.client);
    for (const [uri, diagnostics] of before) {
      if (uri !== uriOf(file('src/other.ts'))) assert.deepEqual(after.get(uri), diagnostics, uri);
    }
    assert.deepEqual(await second.client.connection.sendRequest(PinSets.type, {}), pinSetsBefore);

    // An open document is analysed from the editor's text, never from the cache.
    const clientUri = uriOf(file('src/client.ts'));
    await second.client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: clientUri, languageId: 'typescript', version: 1, text: INSECURE.replace('false', 'true') },
    });
    await second.client.waitForDiagnostics(clientUri, 'no finding in the open text', (p) => p.version === 1 && p.diagnostics.length === 0);
    const result = await second.client.connection.sendRequest(ScanWorkspace.type, {});
    assert.equal(result.files, 23);
    assert.equal(result.parsed, 0);
    assert.equal(result.cached, 22);
    assert.equal(second.client.diagnostics.get(clientUri)!.diagnostics.length, 0);
  });
});
