/**
 * package.json against the code and the docs, for whatever commands and settings it declares
 * when the test runs: a command nobody registers, a setting nobody reads, or either one missing
 * from README.md fails here.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../server/src/rules';
import { filesUnder, readManifest, readRepoFile, REPO_ROOT } from './repo';

interface Command {
  command: string;
  title: string;
  category?: string;
}
interface PaletteEntry {
  command: string;
  when?: string;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = any;

const SOURCE_DIRS = ['client/src', 'server/src', 'common'];
const isTypeScript = (name: string) => name.endsWith('.ts') && !name.endsWith('.d.ts');

function sources(dirs: readonly string[]): { file: string; text: string }[] {
  return dirs.flatMap((dir) => filesUnder(dir, isTypeScript)).map((file) => ({ file, text: readRepoFile(file) }));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `configuration` may be one object or an array of them. */
function settings(): [string, Schema][] {
  const configuration = readManifest().contributes.configuration;
  const sections = Array.isArray(configuration) ? configuration : [configuration];
  return sections.flatMap((section: { properties?: Record<string, Schema> }) => Object.entries(section.properties ?? {}));
}

/** Every schema inside `schema` (itself included) that has an `enum`, with where it is. */
function enumsIn(schema: Schema, where: string): [string, Schema][] {
  if (typeof schema !== 'object' || schema === null) return [];
  const own: [string, Schema][] = Array.isArray(schema.enum) ? [[where, schema]] : [];
  const nested: [string, Schema][] = [
    ...Object.entries(schema.properties ?? {}).flatMap(([key, s]) => enumsIn(s, `${where}.${key}`)),
    ...enumsIn(schema.items, `${where}[]`),
    ...enumsIn(schema.additionalProperties, `${where}.*`),
  ];
  return [...own, ...nested];
}

describe('package.json manifest', function () {
  const readme = readRepoFile('README.md');
  const clientSources = sources(['client/src']);
  const allSources = sources(SOURCE_DIRS);

  describe('commands', function () {
    const commands: Command[] = readManifest().contributes.commands ?? [];
    const palette: PaletteEntry[] = readManifest().contributes.menus?.commandPalette ?? [];

    it('declares at least the built-in commands', function () {
      const ids = commands.map((c) => c.command);
      for (const id of ['pinningAudit.scanWorkspace', 'pinningAudit.restartServer']) assert.ok(ids.includes(id), id);
    });

    it('gives every command the "Pinning Audit" category and a title', function () {
      const wrong = commands.filter((c) => c.category !== 'Pinning Audit' || !c.title);
      assert.deepEqual(wrong.map((c) => c.command), []);
    });

    it('registers every command in client/src', function () {
      // Ids shared with the server (code actions run them) live in common/protocol.ts `Commands`
      // and are registered by name: `Commands.fetchPins`.
      const protocol = readRepoFile('common/protocol.ts');
      const unregistered = commands.filter(({ command }) => {
        const literal = new RegExp(`['"\`]${escapeRegExp(command)}['"\`]`);
        const shared = new RegExp(`^\\s*(\\w+): ['"]${escapeRegExp(command)}['"]`, 'm').exec(protocol)?.[1];
        const byName = shared ? new RegExp(`registerCommand\\(\\s*Commands\\.${shared}\\b`) : undefined;
        return !clientSources.some(({ text }) => literal.test(text) || (byName?.test(text) ?? false));
      });
      assert.deepEqual(unregistered.map((c) => c.command), [], 'commands whose id appears in no client source');
    });

    it('documents every command in README.md', function () {
      const undocumented = commands.filter((c) => !readme.includes(`Pinning Audit: ${c.title}`) && !readme.includes(c.command));
      assert.deepEqual(undocumented.map((c) => `${c.command} ("Pinning Audit: ${c.title}")`), []);
    });

    it('gives every command a Command Palette `when` clause', function () {
      const withoutWhen = commands.filter((c) => !palette.some((p) => p.command === c.command && (p.when ?? '').trim() !== ''));
      assert.deepEqual(withoutWhen.map((c) => c.command), [], 'add { "command", "when" } to contributes.menus.commandPalette');
    });

    it('lists only declared commands in the palette, with context keys the client sets', function () {
      const declared = new Set(commands.map((c) => c.command));
      for (const entry of palette) {
        assert.ok(declared.has(entry.command), `commandPalette lists undeclared ${entry.command}`);
        for (const key of (entry.when ?? '').match(/\bpinningAudit\.[\w.]+/g) ?? []) {
          const literal = new RegExp(`['"\`]${escapeRegExp(key)}['"\`]`);
          const setsIt = clientSources.some(({ text }) => /['"]setContext['"]/.test(text) && literal.test(text));
          assert.ok(setsIt, `no client source sets the context key ${key} (${entry.command})`);
        }
      }
    });
  });

  describe('settings', function () {
    it('declares at least the built-in settings', function () {
      const keys = settings().map(([key]) => key);
      for (const key of ['pinningAudit.enable', 'pinningAudit.rules', 'pinningAudit.exclude', 'pinningAudit.maxFileSizeKb', 'pinningAudit.trace.server']) {
        assert.ok(keys.includes(key), key);
      }
    });

    it('gives every setting a type, a default and a description', function () {
      const incomplete = settings().filter(([, s]) => !s.type || !('default' in s) || !(s.description || s.markdownDescription))
        .map(([key]) => key);
      assert.deepEqual(incomplete, []);
    });

    it('describes every enum value', function () {
      for (const [key, schema] of settings()) {
        for (const [where, s] of enumsIn(schema, key)) {
          const descriptions = s.enumDescriptions ?? s.markdownEnumDescriptions;
          assert.ok(Array.isArray(descriptions), `${where} has an enum without enumDescriptions`);
          assert.equal(descriptions.length, s.enum.length, `${where}: one description per enum value`);
        }
      }
    });

    it('reads every setting somewhere in the code', function () {
      // A reader names the section (or SETTINGS_SECTION) and uses every segment of the key as a
      // property: `value.maxFileSizeKb`, `get('pinsFile')`, `timeoutMs:`.
      const usedAsProperty = (segment: string) => new RegExp(`(?:\\.|['"\`])${escapeRegExp(segment)}\\b|\\b${escapeRegExp(segment)}\\??:`);
      const unread = settings().map(([key]) => key).filter((key) => {
        const segments = key.replace(/^pinningAudit\./, '').split('.');
        return !allSources.some(({ text }) =>
          (text.includes('pinningAudit') || text.includes('SETTINGS_SECTION')) &&
          segments.every((segment) => usedAsProperty(segment).test(text)));
      });
      assert.deepEqual(unread, [], `settings no source in ${SOURCE_DIRS.join(', ')} reads`);
    });

    it('documents every setting in README.md', function () {
      const undocumented = settings().map(([key]) => key).filter((key) => !readme.includes(`\`${key}\``));
      assert.deepEqual(undocumented, []);
    });
  });

  describe('rules', function () {
    const ruleIds = ALL_RULES.map((rule) => rule.meta.id);

    it('has a documentation page for every rule, linked from README.md', function () {
      for (const id of ruleIds) {
        const page = path.join(REPO_ROOT, 'docs', 'rules', `${id}.md`);
        assert.ok(fs.existsSync(page), `docs/rules/${id}.md is missing`);
        assert.match(fs.readFileSync(page, 'utf8'), new RegExp(`^# ${escapeRegExp(id)}\\n`), `docs/rules/${id}.md starts with its id`);
        assert.ok(readme.includes(`](docs/rules/${id}.md)`), `README.md does not link docs/rules/${id}.md`);
      }
    });

    it('has no documentation page for an id the code never reports', function () {
      // Engine rules, and ids reported elsewhere (e.g. by pin verification), appear as literals.
      const serverSources = sources(['server/src']);
      const pages = fs.readdirSync(path.join(REPO_ROOT, 'docs', 'rules')).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3));
      const orphans = pages.filter((id) => !ruleIds.includes(id) && !serverSources.some(({ text }) => text.includes(`'${id}'`)));
      assert.deepEqual(orphans, []);
    });

    it('lets every rule be configured in pinningAudit.rules', function () {
      const schema = settings().find(([key]) => key === 'pinningAudit.rules')?.[1];
      assert.ok(schema, 'pinningAudit.rules is not declared');
      assert.deepEqual(Object.keys(schema.properties).sort(), [...ruleIds].sort());
    });
  });

  describe('walkthrough', function () {
    const walkthroughs = readManifest().contributes.walkthroughs ?? [];

    it('has the three getting-started steps: see a finding, apply a fix, fetch a pin', function () {
      assert.equal(walkthroughs.length, 1);
      assert.deepEqual(walkthroughs[0].steps.map((s: { title: string }) => s.title), ['See a finding', 'Apply a fix', 'Fetch a pin']);
    });

    it('points every step at a markdown file in walkthrough/ that exists', function () {
      for (const step of walkthroughs.flatMap((w: { steps: unknown[] }) => w.steps)) {
        const markdown: string = step.media?.markdown;
        assert.match(markdown ?? '', /^walkthrough\/[\w-]+\.md$/, `${step.id}: media.markdown`);
        assert.ok(fs.existsSync(path.join(REPO_ROOT, markdown)), `${markdown} is missing`);
      }
    });

    it('links only commands that exist', function () {
      const declared = new Set((readManifest().contributes.commands ?? []).map((c: Command) => c.command));
      for (const step of walkthroughs.flatMap((w: { steps: unknown[] }) => w.steps)) {
        const texts = [step.description, readRepoFile(step.media.markdown), ...(step.completionEvents ?? [])];
        for (const id of texts.join('\n').match(/(?<=command:|onCommand:)pinningAudit\.[\w.]+/g) ?? []) {
          assert.ok(declared.has(id), `${step.id} links the undeclared command ${id}`);
        }
      }
    });
  });

  describe('grammars', function () {
    const HOSTS = ['source.dart', 'source.swift', 'source.ts', 'source.tsx', 'source.js', 'source.js.jsx'];

    it('contributes injection grammars for the six host languages, each file naming its scope', function () {
      const grammars: { scopeName: string; path: string; injectTo?: string[] }[] = readManifest().contributes.grammars ?? [];
      assert.ok(grammars.length >= 2);
      for (const grammar of grammars) {
        const file = JSON.parse(readRepoFile(grammar.path));
        assert.equal(file.scopeName, grammar.scopeName, grammar.path);
        assert.ok(typeof file.injectionSelector === 'string' && file.injectionSelector.length > 0, `${grammar.path}: injectionSelector`);
        assert.deepEqual([...(grammar.injectTo ?? [])].sort(), [...HOSTS].sort(), `${grammar.path}: injectTo`);
      }
    });
  });
});
