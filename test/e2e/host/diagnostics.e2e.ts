// The installed extension shows, in the real editor, exactly the findings the CLI prints for the
// same files: first from the background workspace scan (nothing open), then for opened files.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  allDiagnosticLines,
  closeAllEditors,
  config,
  expectedLines,
  openFile,
  pinningDiagnostics,
  relativePathOf,
  ruleIds,
  ruleOf,
  waitForEqual,
  workspaceUri,
} from './workbench';

describe('diagnostics', () => {
  const auditedFiles = [...new Set(config.expectedFindings.map((f) => f.path))].sort();

  before(async () => {
    await activateExtension();
  });

  after(closeAllEditors);

  it('shows the findings of files that are not open (workspace scan)', async () => {
    const open = vscode.workspace.textDocuments.map((d) => relativePathOf(d.uri)).filter((p) => auditedFiles.includes(p));
    assert.deepEqual(open, [], 'no example file may be open before this test');
    await waitForEqual('diagnostics of the closed workspace files vs. the CLI', allDiagnosticLines, expectedLines(), 60_000);
  });

  it('reports every rule of the extension on the examples', () => {
    const shown = new Set(vscode.languages.getDiagnostics().flatMap(([, list]) => list.filter((d) => d.source === 'pinning-audit').map(ruleOf)));
    const rules = ruleIds();
    assert.ok(rules.length >= 7, `package.json declares ${rules.length} rules`);
    assert.deepEqual(rules.filter((rule) => !shown.has(rule)), [], 'rules without a diagnostic on examples/');
  });

  it('audits the platform configs: Android\'s network security config and the iOS Info.plist (as XML)', async () => {
    const nsc = 'flutter_app/android/app/src/main/res/xml/network_security_config.xml';
    const plist = 'flutter_app/ios/Runner/Info.plist';
    const rulesIn = (file: string) => pinningDiagnostics(workspaceUri(file)).map(ruleOf).sort();
    assert.deepEqual(rulesIn(nsc), ['pin-set-expired', 'user-ca-trusted']);
    assert.deepEqual(rulesIn(plist), ['single-pin']);
    const { document } = await openFile(plist);
    assert.equal(document.languageId, 'xml', 'the extension gives .plist files the XML language');
  });

  it('shows the same findings once the files are open in editors', async () => {
    for (const file of auditedFiles) await openFile(file);
    assert.deepEqual(
      auditedFiles.filter((file) => !vscode.workspace.textDocuments.some((d) => d.uri.toString() === workspaceUri(file).toString())),
      [],
      'files that did not open',
    );
    await waitForEqual('diagnostics of the open files vs. the CLI', allDiagnosticLines, expectedLines());
  });
});
