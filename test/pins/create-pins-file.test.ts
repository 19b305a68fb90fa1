import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GrammarId } from '../../server/src/engine/languages';
import { planPinsFile, pinsFileText, type PinsFileLanguage } from '../../server/src/pins/create-pins-file';
import { pinSetsOf, randomPin } from './edit-helpers';

const GRAMMAR: Record<PinsFileLanguage, GrammarId> = { dart: 'dart', swift: 'swift', ts: 'typescript', js: 'javascript' };

describe('pins: creating a pins file', () => {
  let root: string;
  const folder = (name: string, files: string[]): string => {
    const dir = path.join(root, name);
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      if (!file.endsWith('/')) fs.writeFileSync(path.join(dir, file), '');
    }
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-pins-file-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('puts it where each kind of project keeps such code', () => {
    const flutter = folder('flutter', ['pubspec.yaml']);
    assert.deepEqual(planPinsFile(flutter), { path: path.join(flutter, 'lib/core/security/ssl_pins.dart'), language: 'dart' });
    const spm = folder('spm', ['Package.swift', 'Sources/NetKit/Client.swift', 'Sources/NetKitTests/ClientTests.swift']);
    assert.deepEqual(planPinsFile(spm), { path: path.join(spm, 'Sources/NetKit/SSLPins.swift'), language: 'swift' });
    const xcode = folder('xcode', ['Shop.xcodeproj/project.pbxproj', 'Shop/AppDelegate.swift']);
    assert.deepEqual(planPinsFile(xcode), { path: path.join(xcode, 'Shop/SSLPins.swift'), language: 'swift' });
    const node = folder('node', ['package.json']);
    assert.deepEqual(planPinsFile(node), { path: path.join(node, 'src/security/pins.ts'), language: 'ts' });
  });

  it('follows pinningAudit.pinsFile, taking the language from its extension', () => {
    const node = folder('configured', ['package.json']);
    assert.deepEqual(planPinsFile(node, 'lib/tls/pins.mjs'), { path: path.join(node, 'lib/tls/pins.mjs'), language: 'js' });
    assert.throws(() => planPinsFile(node, 'pins.txt'), /must end in \.dart, \.swift, \.ts or \.js/);
  });

  for (const language of ['dart', 'swift', 'ts', 'js'] as const) {
    it(`${language}: writes a pin set the audit recognizes, keyed by host when there is one`, async () => {
      const pin = randomPin();
      const keyed = await pinSetsOf(GRAMMAR[language], pinsFileText(language, pin, 'api.example.com'));
      assert.equal(keyed.length, 1);
      assert.equal(keyed[0].host, 'api.example.com');
      assert.deepEqual(keyed[0].pins.map((p) => p.value), [pin]);
      const plain = await pinSetsOf(GRAMMAR[language], pinsFileText(language, pin, undefined, '\r\n'));
      assert.equal(plain.length, 1);
      assert.equal(plain[0].host, undefined);
      assert.deepEqual(plain[0].pins.map((p) => p.value), [pin]);
      // A backup key's pin keeps the comment that records it as the backup.
      const backup = await pinSetsOf(GRAMMAR[language], pinsFileText(language, pin, 'api.example.com', '\n', 'backup key ~/k.key.pem, created 2026-12-04'));
      assert.deepEqual(backup[0].pins.map((p) => p.backup), [true]);
    });
  }

  it('uses the line ending it is given', () => {
    const text = pinsFileText('dart', randomPin(), 'api.example.com', '\r\n');
    assert.ok(text.endsWith('};\r\n'));
    assert.ok(!/[^\r]\n/.test(text));
  });
});
