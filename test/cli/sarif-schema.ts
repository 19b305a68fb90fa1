import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { REPO_ROOT } from './workspace';

/** Asserts that `sarif` validates against the OASIS SARIF 2.1.0 schema (test/data). */
export function assertValidSarif(sarif: unknown): void {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test', 'data', 'sarif-schema-2.1.0.json'), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  // The schema's formats, checked for what matters here without ajv-formats.
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///'));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  const validate = ajv.compile(schema);
  assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));
}
