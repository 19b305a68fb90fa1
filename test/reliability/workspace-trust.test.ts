/**
 * Workspace Trust: in Restricted Mode the audit still runs (it only reads text), but every setting
 * that names hosts to contact or files to read is taken from user settings only. The check is by
 * name, so a setting added later (`pinningAudit.fooHosts`, `pinningAudit.barPath`) fails here
 * until it is restricted too.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESTRICTED_SETTINGS } from '../../client/src/trusted-settings';
import { REPO_ROOT } from '../helpers/engine';

interface Manifest {
  contributes: { configuration: { properties: Record<string, { scope?: string }> } | { properties: Record<string, { scope?: string }> }[] };
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] } };
}

/** A key whose last word is a host, file, path, folder, URL or certificate authority names something outside the text. */
export function namesHostsOrPaths(key: string): boolean {
  const last = key.split('.').at(-1) ?? '';
  const words = last.split(/(?=[A-Z])/);
  return /^(hosts?|hostnames?|files?|paths?|dirs?|directory|directories|folders?|urls?|uris?|endpoints?|cas?|certificates?)$/i.test(words.at(-1) ?? '');
}

describe('reliability: Workspace Trust', function () {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
  const configuration = manifest.contributes.configuration;
  const properties = Object.assign({}, ...(Array.isArray(configuration) ? configuration : [configuration]).map((c) => c.properties)) as Record<string, { scope?: string }>;
  const trust = manifest.capabilities?.untrustedWorkspaces;

  it('declares limited support for untrusted workspaces, with a description', function () {
    assert.equal(trust?.supported, 'limited');
    assert.ok(trust?.description && trust.description.length > 20);
  });

  it('restricts every setting that names hosts or paths, and only declared settings', function () {
    const restricted = new Set(trust?.restrictedConfigurations ?? []);
    const naming = Object.keys(properties).filter(namesHostsOrPaths).sort();
    assert.ok(naming.length >= 3, `found ${naming.join(', ')}`);
    assert.deepEqual(naming.filter((key) => !restricted.has(key)), [], 'settings naming hosts or paths that are not restricted');
    assert.deepEqual([...restricted].filter((key) => !(key in properties)), [], 'restricted names that are no setting');
    for (const key of restricted) {
      // A machine- or application-scoped setting has no workspace value to ignore.
      assert.ok(!['application', 'machine'].includes(properties[key].scope ?? ''), `${key} has scope ${properties[key].scope}`);
    }
  });

  it("the client's own restriction list is the manifest's", function () {
    const fromManifest = (trust?.restrictedConfigurations ?? []).map((key) => key.replace(/^pinningAudit\./, '')).sort();
    assert.deepEqual([...RESTRICTED_SETTINGS].sort(), fromManifest);
  });

  it('reads setting names as intended', function () {
    const yes = ['pinningAudit.hosts', 'pinningAudit.pinsFile', 'pinningAudit.extraCaFiles', 'pinningAudit.network.proxyUrl', 'pinningAudit.certificateFolder'];
    const no = ['pinningAudit.maxFileSizeKb', 'pinningAudit.exclude', 'pinningAudit.rules', 'pinningAudit.network.timeoutMs', 'pinningAudit.hostCheckEnabled', 'pinningAudit.trace.server'];
    assert.deepEqual(yes.filter((k) => !namesHostsOrPaths(k)), []);
    assert.deepEqual(no.filter(namesHostsOrPaths), []);
  });
});
