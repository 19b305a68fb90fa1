// Diagnostics follow the text: edits in an open editor (unsaved) and changes on disk of closed files.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  allDiagnosticLines,
  closeAllEditors,
  expectedFileLines,
  expectedLines,
  fileDiagnosticLines,
  fileRuleLines,
  openFile,
  replaceInDocument,
  waitForEqual,
  workspaceUri,
} from './workbench';

/** A well-formed SPKI pin that is in no example file. */
const BACKUP_PIN = createHash('sha256').update('pinning-audit e2e backup key').digest('base64');

describe('edits', () => {
  // The profile turns auto-save off (VS Code for the Web saves after a second by default), so
  // unsaved edits stay unsaved; the files are still restored should a test fail half-way.
  const touched = ['node_service/src/security/pins.ts', 'flutter_app/lib/core/security/ssl_pins.dart'];
  const originals = new Map<string, string>();

  before(() => {
    for (const file of touched) originals.set(file, fs.readFileSync(workspaceUri(file).fsPath, 'utf8'));
  });

  afterEach(closeAllEditors);

  after(() => {
    for (const [file, text] of originals) {
      const onDisk = workspaceUri(file).fsPath;
      if (fs.readFileSync(onDisk, 'utf8') !== text) fs.writeFileSync(onDisk, text);
    }
  });

  it('updates the diagnostics of an open file as it is edited, and back on revert', async () => {
    const file = 'node_service/src/security/pins.ts';
    const { document } = await openFile(file);
    await waitForEqual(`${file} when opened`, () => fileDiagnosticLines(file), expectedFileLines(file));
    assert.ok(expectedFileLines(file).some((line) => line.includes(' invalid-pin ')), `${file} must start with an invalid-pin finding`);

    await replaceInDocument(document, "'sha256//", "'sha256/");
    // The pin set's range is one character shorter now: compare rules and lines only.
    await waitForEqual(`${file} after fixing the "sha256//" prefix`, () => fileRuleLines(file), ['3 warning single-pin']);

    await replaceInDocument(document, "='],", `=', 'sha256/${BACKUP_PIN}'],`, 'auth.example.com');
    await waitForEqual(`${file} after adding a backup pin`, () => fileDiagnosticLines(file), []);

    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(document.isDirty, false);
    await waitForEqual(`${file} after reverting`, () => fileDiagnosticLines(file), expectedFileLines(file));
  });

  it('shows the findings on disk again when unsaved edits are discarded (revert and close)', async () => {
    const file = 'node_service/src/security/pins.ts';
    const { document } = await openFile(file);
    await replaceInDocument(document, "'sha256//", "'sha256/");
    await waitForEqual(`${file} after fixing the "sha256//" prefix`, () => fileRuleLines(file), ['3 warning single-pin']);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitForEqual(`${file} after discarding the edit`, () => fileDiagnosticLines(file), expectedFileLines(file));
  });

  it('audits a closed file again when it changes on disk', async () => {
    const file = 'flutter_app/lib/core/security/ssl_pins.dart';
    const onDisk = workspaceUri(file).fsPath;
    const original = fs.readFileSync(onDisk, 'utf8');
    assert.ok(original.includes("'xyz789BackupHash+base64+format='"));
    try {
      fs.writeFileSync(onDisk, original.replace("'xyz789BackupHash+base64+format='", `'${BACKUP_PIN}'`));
      await waitForEqual(`${file} after a valid backup pin was written to disk`, () => fileDiagnosticLines(file),
        expectedFileLines(file, (f) => (f.ruleId === 'invalid-pin' ? undefined : f)));
    } finally {
      fs.writeFileSync(onDisk, original);
    }
    await waitForEqual(`${file} after restoring it on disk`, () => fileDiagnosticLines(file), expectedFileLines(file));
  });

  it('audits a file created on disk and forgets it when deleted', async () => {
    const file = 'node_service/src/insecure-agent.ts';
    const onDisk = workspaceUri(file).fsPath;
    fs.writeFileSync(onDisk, "import * as https from 'node:https';\nexport const agent = new https.Agent({ rejectUnauthorized: false });\n");
    try {
      await waitForEqual(`rules found in the new file ${file}`, () => fileRuleLines(file), ['2 error trust-all-certificates']);
    } finally {
      fs.rmSync(onDisk, { force: true });
    }
    await waitForEqual(`${file} after it was deleted`, () => fileDiagnosticLines(file), []);
    await waitForEqual('the whole workspace after the edits', allDiagnosticLines, expectedLines());
  });
});
