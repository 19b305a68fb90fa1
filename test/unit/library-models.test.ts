/**
 * The library models' contract, like the rule ↔ doc ↔ fixture check: every model has its file
 * (named by its id) and its row in docs/libraries.md, and the fixtures exercise every effect it
 * declares and every pin-set claim it can make. A model that yields an effect it does not
 * declare fails too: its words would not join that rule's triggers, so the pre-filter could
 * drop the finding.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { familyOf, grammarForPath } from '../../server/src/engine/languages';
import { SourceFile } from '../../server/src/engine/source-file';
import { parseSyntax } from '../../server/src/engine/syntax';
import { LIBRARY_MODELS, type LibraryModel, type TrustEffect } from '../../server/src/libraries';
import { FIXTURES_DIR, REPO_ROOT, sharedEngine } from '../helpers/engine';
import { sourceFilesUnder } from '../helpers/source-files';

interface Exercised {
  effects: Set<TrustEffect>;
  claims: number;
  /** Fixture files in which the model reports nothing at all (its negatives, among others). */
  silentFiles: number;
}

async function exercise(model: LibraryModel): Promise<Exercised> {
  const { parsers } = await sharedEngine();
  const exercised: Exercised = { effects: new Set(), claims: 0, silentFiles: 0 };
  for (const file of sourceFilesUnder(FIXTURES_DIR)) {
    const grammar = grammarForPath(file)!;
    if (familyOf(grammar) !== model.family) continue;
    const text = fs.readFileSync(file, 'utf8');
    const tree = parseSyntax(parsers, grammar, text);
    try {
      const source = new SourceFile(file, path.relative(FIXTURES_DIR, file), grammar, text, tree);
      const options = model.trustOptions?.(source) ?? [];
      const claims = model.pinSets?.(source) ?? [];
      for (const option of options) {
        assert.ok(model.effects.includes(option.effect), `${model.id} reports ${option.effect} in ${path.relative(REPO_ROOT, file)} but does not declare it`);
        assert.equal(option.library, model.id);
        exercised.effects.add(option.effect);
      }
      for (const claim of claims) assert.equal(claim.library, model.id);
      exercised.claims += claims.length;
      if (options.length === 0 && claims.length === 0) exercised.silentFiles++;
    } finally {
      tree.delete();
    }
  }
  return exercised;
}

describe('library models', () => {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/libraries.md'), 'utf8');

  it('have unique ids', () => {
    const ids = LIBRARY_MODELS.map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  for (const model of LIBRARY_MODELS) {
    describe(model.id, () => {
      it('has its file named by its id and a row in docs/libraries.md', () => {
        assert.ok(fs.existsSync(path.join(REPO_ROOT, 'server/src/libraries', `${model.id}.ts`)), `server/src/libraries/${model.id}.ts`);
        assert.ok(doc.includes(`(../server/src/libraries/${model.id}.ts)`), `docs/libraries.md links ${model.id}.ts`);
        assert.ok(model.triggers.length > 0, 'a model without trigger words would make every file a candidate');
      });

      it('is exercised by the fixtures: every effect it declares, its pin sets, and files where it stays silent', async () => {
        const exercised = await exercise(model);
        const missing = model.effects.filter((e) => !exercised.effects.has(e));
        assert.deepEqual(missing, [], `no fixture makes ${model.id} report these effects`);
        if (model.pinSets) assert.ok(exercised.claims > 0, `no fixture holds a pin set ${model.id} reads`);
        assert.ok(exercised.silentFiles > 0, `no ${model.family} fixture where ${model.id} reports nothing`);
      });
    });
  }
});
