import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BINARY_PLIST_REASON, readSourceFile } from '../../server/src/engine/source-bytes';
import { applySuppressions } from '../../server/src/engine/suppressions';
import { MalformedXmlError, parseXml } from '../../server/src/platform/xml';
import { sharedEngine } from '../helpers/engine';

describe('platform configs: reading XML', () => {
  it('gives the offsets of tags, attribute values and text', () => {
    const text = '<?xml version="1.0"?>\n<!-- a -->\n<network-security-config>\n  <pin-set expiration = \'2027-01-01\'>\n    <pin digest="SHA-256">AB&amp;C</pin>\n  </pin-set>\n  <x/>\n</network-security-config>\n';
    const doc = parseXml(text);
    const [pinSet, empty] = doc.root.children;
    assert.equal(text.slice(pinSet.start, pinSet.openEnd), "<pin-set expiration = '2027-01-01'>");
    assert.equal(text.slice(pinSet.closeStart, pinSet.end), '</pin-set>');
    const expiration = pinSet.attributes[0];
    assert.equal(text.slice(expiration.start, expiration.end), "expiration = '2027-01-01'");
    assert.equal(text.slice(expiration.valueStart, expiration.valueEnd), '2027-01-01');
    const pin = pinSet.children[0];
    assert.equal(pin.text, 'AB&C', 'entities of XML itself are decoded');
    assert.equal(text.slice(pin.openEnd, pin.closeStart), 'AB&amp;C');
    assert.equal(text.slice(empty.start, empty.end), '<x/>');
    assert.equal(empty.selfClosing, true);
  });

  it('never reads an external entity (XXE): the file is skipped, the entity\'s file is not read', () => {
    const secretFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xxe-')), 'secret.txt');
    fs.writeFileSync(secretFile, 'XXE-SECRET-CONTENT');
    const payload = `<?xml version="1.0"?>\n<!DOCTYPE plist [<!ENTITY leak SYSTEM "file://${secretFile}">]>\n<plist version="1.0"><dict><key>k</key><string>&leak;</string></dict></plist>\n`;
    assert.throws(() => parseXml(payload), (error: Error) => {
      assert.ok(error instanceof MalformedXmlError);
      assert.match(error.message, /undefined entity.*never expanded/);
      assert.doesNotMatch(error.message, /XXE-SECRET-CONTENT/);
      return true;
    });
    fs.rmSync(path.dirname(secretFile), { recursive: true });
  });

  it('expands no internal entity either (no billion laughs)', () => {
    const lol = '<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY l "lol"><!ENTITY l2 "&l;&l;&l;&l;&l;&l;&l;&l;&l;&l;">]>\n<a>&l2;</a>\n';
    assert.throws(() => parseXml(lol), MalformedXmlError);
  });

  it('skips malformed XML with the parser\'s reason, through the engine', async () => {
    const engine = await sharedEngine();
    const text = '<network-security-config>\n  <domain-config>\n</network-security-config>\n';
    const result = engine.analyze({ id: '/w/res/xml/nsc.xml', relativePath: 'res/xml/nsc.xml', grammar: 'xml', text });
    assert.equal(result.parsed, false);
    assert.match(result.skipped ?? '', /^malformed XML: \d+:\d+: /);
  });

  it('does not parse XML without a platform config\'s words (a layout with pin-like text)', async () => {
    const engine = await sharedEngine();
    const text = '<LinearLayout><TextView android:text="Iz3Svyl+ZqwA7O0U6CT+XixEZ5x7R9Bs1+NiZ7F7/RQ=" /></LinearLayout>\n';
    assert.equal(engine.analyze({ id: '/w/res/layout/a.xml', relativePath: 'res/layout/a.xml', grammar: 'xml', text }).parsed, false);
  });

  it('skips a binary property list before decoding it, saying how to convert it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bplist-'));
    const file = path.join(dir, 'Info.plist');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('bplist00'), Buffer.from([0xd1, 0x01, 0x02, 0x00])]));
    assert.deepEqual(readSourceFile(file, 1024), { audited: false, reason: BINARY_PLIST_REASON });
    fs.rmSync(dir, { recursive: true });
  });

  it('reads ignore comments in XML, the reason after a single "-"', () => {
    const text = '<a>\n  <!-- pinning-audit-ignore-next-line user-ca-trusted - debug flavour only -->\n  <b/>\n  <!-- pinning-audit-ignore-next-line single-pin -->\n  <c/>\n</a>\n';
    const at = (line: number, ruleId: string) => ({ ruleId, level: 'warning' as const, message: '', range: { start: { line, character: 2 }, end: { line, character: 6 } } });
    const [b, c] = applySuppressions(text, [at(2, 'user-ca-trusted'), at(4, 'single-pin')]);
    assert.deepEqual(b.suppressed, { reason: 'debug flavour only' });
    assert.deepEqual(c.suppressed, { reason: undefined });
  });
});
