import type { Random } from '../random';
import { CodeWriter } from './code-writer';
import { camel, ENTITIES, fieldsFor, kebab, LOG_MESSAGES, pascal, plural, sentence, STATUSES, UI_WORDS, VERBS, type Field } from './vocabulary';

export type TsRole = 'types' | 'service' | 'route' | 'component' | 'util' | 'test' | 'script';
/** `ts`/`tsx` have types; `cjs` is CommonJS (`require`), `esm` an ES module without types. */
export type TsFlavor = 'ts' | 'tsx' | 'cjs' | 'esm';

const TS_TYPE: Record<Field['kind'], string> = {
  string: 'string', int: 'number', double: 'number', bool: 'boolean', date: 'Date', stringList: 'string[]',
};

interface TsContext {
  random: Random;
  entity: string;
  flavor: TsFlavor;
  /** `: T` in TypeScript, nothing in JavaScript. */
  t: (type: string) => string;
}

/** An ordinary TypeScript/JavaScript source file of about `targetLines` lines. */
export function tsFile(random: Random, role: TsRole, flavor: TsFlavor, entity: string, targetLines: number): string {
  const w = new CodeWriter('  ');
  const typed = flavor === 'ts' || flavor === 'tsx';
  const c: TsContext = { random, entity, flavor, t: (type) => (typed ? `: ${type}` : '') };
  tsImports(w, c, role);
  w.line();
  // One main declaration that grows with the file, as in real modules.
  switch (role) {
    case 'types':
      tsTypes(w, c, entity, '');
      for (let n = 1; w.length < targetLines - 12; n++) {
        w.line();
        tsTypes(w, c, random.pick(ENTITIES), `${n}`);
      }
      break;
    case 'service':
      tsService(w, c, targetLines);
      break;
    case 'route':
      tsRoutes(w, c, targetLines);
      break;
    case 'component':
      tsComponent(w, c, targetLines);
      break;
    case 'util':
      for (let n = 0; n === 0 || w.length < targetLines - 12; n++) {
        if (n > 0) w.line();
        tsUtils(w, n % 2 ? { ...c, entity: random.pick(ENTITIES) } : c, n === 0 ? '' : `${n}`);
      }
      break;
    case 'test':
      tsTests(w, c, targetLines);
      break;
    case 'script':
      for (let n = 0; n === 0 || w.length < targetLines - 8; n++) {
        if (n > 0) w.line();
        tsScript(w, { ...c, entity: n === 0 ? entity : random.pick(ENTITIES) }, n === 0 ? '' : `${n}`);
      }
      break;
  }
  if (flavor === 'cjs') w.line(`module.exports = { ${exportsOf(w).join(', ')} };`);
  return w.toString();
}

/** Names the CommonJS file defines at the top level, for its `module.exports`. */
function exportsOf(w: CodeWriter): string[] {
  const names = new Set<string>();
  for (const line of w.lines) {
    const m = /^(?:async )?(?:function|class) (\w+)/.exec(line);
    if (m) names.add(m[1]);
  }
  return [...names];
}

function importLine(c: TsContext, names: string, from: string): string {
  return c.flavor === 'cjs' ? `const ${names.replace(/ as /g, ': ')} = require('${from}');` : `import ${names} from '${from}';`;
}

function tsImports(w: CodeWriter, c: TsContext, role: TsRole): void {
  const { random } = c;
  if (role === 'component') {
    w.line(importLine(c, "{ useEffect, useMemo, useState }", 'react'));
  }
  if (role === 'route') w.line(importLine(c, "{ Router }", 'express'));
  if (role === 'service' && random.chance(0.5)) w.line(importLine(c, '{ EventEmitter }', 'node:events'));
  if (role === 'script') {
    w.line(importLine(c, '{ readFile, writeFile }', 'node:fs/promises'));
    w.line(importLine(c, '{ join }', 'node:path'));
  }
  if (role === 'test') w.line(importLine(c, '{ describe, expect, it }', 'vitest'));
  for (const other of random.sample(ENTITIES, random.int(1, 3))) {
    if (c.flavor === 'ts' || c.flavor === 'tsx') w.line(`import type { ${pascal(other)} } from '../${kebab(other)}/types';`);
    else w.line(importLine(c, `{ ${camel('format', other, 'label')} }`, `../${kebab(other)}/format`));
  }
  if (role !== 'types') w.line(importLine(c, '{ logger }', '../lib/logger'));
  if (role === 'service' || role === 'route') w.line(importLine(c, '{ httpClient }', '../lib/http'));
}

function tsTypes(w: CodeWriter, c: TsContext, entity: string, suffix: string): void {
  const { random } = c;
  const fields = fieldsFor(random);
  const statuses = random.sample(STATUSES, random.int(3, 5));
  if (c.flavor === 'ts' || c.flavor === 'tsx') {
    w.line(`/** ${sentence(random, entity)} */`);
    w.block(`export interface ${pascal(entity)}${suffix} {`, () => {
      for (const f of fields) w.line(`${f.name}${random.chance(0.2) ? '?' : ''}: ${TS_TYPE[f.kind]};`);
      w.line(`status: ${pascal(entity)}Status${suffix};`);
    });
    w.line();
    w.line(`export type ${pascal(entity)}Status${suffix} = ${statuses.map((s) => `'${s}'`).join(' | ')};`);
    w.line();
    w.line(`export type ${pascal(entity)}Patch${suffix} = Partial<Omit<${pascal(entity)}${suffix}, 'id'>>;`);
    w.line();
  }
  w.line(`export const ${camel(entity, 'statuses')}${suffix} = [${statuses.map((s) => `'${s}'`).join(', ')}]${c.flavor === 'ts' || c.flavor === 'tsx' ? ' as const' : ''};`);
  w.line();
  w.block(`export function ${camel('is', entity)}${suffix}(value${c.t('unknown')})${c.t(`value is ${pascal(entity)}${suffix}`)} {`, () => {
    w.line(`return typeof value === 'object' && value !== null && typeof (value${c.flavor === 'ts' || c.flavor === 'tsx' ? ` as ${pascal(entity)}${suffix}` : ''}).id === 'string';`);
  });
}

function tsStatements(w: CodeWriter, c: TsContext, count: number): void {
  const { random, entity } = c;
  const items = plural(camel(entity));
  for (let i = 0; i < count; i++) {
    switch (random.int(0, 6)) {
      case 0:
        w.line(`const active = ${items}.filter((item) => !item.isArchived);`);
        break;
      case 1:
        w.block(`if (${items}.length === 0) {`, () => {
          w.line(`logger.debug('${random.pick(LOG_MESSAGES)}', { page });`);
          w.line(`return ${items};`);
        });
        break;
      case 2:
        w.block(`for (const item of ${items}) {`, () => {
          w.line('this.cache.set(item.id, item);');
        });
        break;
      case 3:
        w.line(`const sorted = [...${items}].sort((a, b) => a.id.localeCompare(b.id));`);
        w.line('this.lastId = sorted.at(-1)?.id;');
        break;
      case 4:
        w.block('try {', () => {
          w.line(`await this.store.set('${camel(entity)}:lastSync', new Date().toISOString());`);
        }, '} catch (error) {');
        w.line(`  logger.warn('${random.pick(LOG_MESSAGES)}', { error });`);
        w.line('}');
        break;
      case 5:
        w.line(`const ids = new Set(${items}.map((item) => item.id));`);
        w.line('for (const id of ids) this.pending.add(id);');
        break;
      default:
        w.line(`await new Promise((resolve) => setTimeout(resolve, ${random.pick([100, 250, 500])}));`);
    }
  }
}

function tsService(w: CodeWriter, c: TsContext, targetLines: number): void {
  const { random, entity, t } = c;
  const name = pascal(entity);
  const typed = c.flavor === 'ts' || c.flavor === 'tsx';
  const items = plural(camel(entity));
  w.line(`/** ${sentence(random, entity)} */`);
  w.block(`${c.flavor === 'cjs' ? '' : 'export '}class ${name}Service {`, () => {
    if (typed) {
      w.line(`private readonly cache = new Map<string, ${name}>();`);
      w.line('private readonly pending = new Set<string>();');
      w.line('private lastId: string | undefined;');
      w.line();
      w.line(`constructor(private readonly baseUrl: string, private readonly store: KeyValueStore) {}`);
    } else {
      w.block('constructor(baseUrl, store) {', () => {
        w.line('this.baseUrl = baseUrl;');
        w.line('this.store = store;');
        w.line('this.cache = new Map();');
        w.line('this.pending = new Set();');
        w.line('this.lastId = undefined;');
      });
    }
    const used = new Map<string, number>();
    do {
      const verb = random.pick(VERBS);
      const count = (used.get(verb) ?? 0) + 1;
      used.set(verb, count);
      w.line();
      w.block(`async ${camel(verb, plural(entity))}${count > 1 ? count : ''}(page = 0, limit = 20)${t(`Promise<${name}[]>`)} {`, () => {
        w.line(`const response = await httpClient.get(\`\${this.baseUrl}/${kebab(plural(entity))}?page=\${page}&limit=\${limit}\`);`);
        w.block('if (response.status !== 200) {', () => {
          w.line(`throw new Error(\`${verb} ${plural(entity)} failed with \${response.status}\`);`);
        });
        w.line(`const ${items}${t(`${name}[]`)} = response.data;`);
        tsStatements(w, c, random.int(2, 6));
        w.line(`return ${items};`);
      });
    } while (w.length < targetLines - 2);
  });
}

function tsRoutes(w: CodeWriter, c: TsContext, targetLines: number): void {
  const { random, entity } = c;
  const path = kebab(plural(entity));
  const router = camel(entity, 'router');
  w.line(`${c.flavor === 'cjs' ? '' : 'export '}const ${router} = Router();`);
  w.line();
  let n = 0;
  do {
    const verb = random.pick(['get', 'post', 'put', 'delete'] as const);
    const sub = n++ === 0 ? '' : `/${random.pick(['search', 'export', 'summary', 'recent', 'archived', 'by-owner'])}-${n}`;
    w.block(`${router}.${verb}('/${path}${sub}${verb === 'get' || verb === 'post' ? '' : '/:id'}', async (req, res, next) => {`, () => {
      w.block('try {', () => {
        w.line(`const { page = '0', limit = '20' } = req.query;`);
        w.line(`const result = await httpClient.${verb}(\`/internal/${path}\`, { params: { page, limit }, body: req.body });`);
        w.block('if (!result.ok) {', () => {
          w.line(`res.status(result.status).json({ error: '${random.pick(LOG_MESSAGES)}' });`);
          w.line('return;');
        });
        w.line(`logger.info('${verb} ${path}', { count: result.data.length });`);
        w.line('res.json(result.data);');
      }, '} catch (error) {');
      w.line('  next(error);');
      w.line('}');
    }, '});');
    w.line();
  } while (w.length < targetLines);
}

function tsComponent(w: CodeWriter, c: TsContext, targetLines: number): void {
  const { random, entity, t } = c;
  const name = pascal(entity, random.pick(UI_WORDS));
  const typed = c.flavor === 'ts' || c.flavor === 'tsx';
  const items = plural(camel(entity));
  if (typed) {
    w.block(`interface ${name}Props {`, () => {
      w.line(`${items}: ${pascal(entity)}[];`);
      w.line(`onSelect?: (id: string) => void;`);
    });
    w.line();
  }
  w.block(`export function ${name}({ ${items}, onSelect }${t(`${name}Props`)}) {`, () => {
    w.line(`const [query, setQuery] = useState('');`);
    w.line(`const [loading, setLoading] = useState(false);`);
    w.line(`const visible = useMemo(() => ${items}.filter((item) => item.id.includes(query)), [${items}, query]);`);
    w.line();
    w.block('useEffect(() => {', () => {
      w.line('setLoading(true);');
      w.line('const timer = setTimeout(() => setLoading(false), 200);');
      w.line('return () => clearTimeout(timer);');
    }, '}, [query]);');
    w.line();
    w.line(`if (loading) return <div className="${kebab(entity)}-loading">Loading…</div>;`);
    w.block('return (', () => {
      w.block(`<section className="${kebab(entity)}-${random.pick(UI_WORDS)}">`, () => {
        w.line('<input value={query} onChange={(event) => setQuery(event.target.value)} placeholder="Search" />');
        w.block('<ul>', () => {
          w.block('{visible.map((item) => (', () => {
            w.block('<li key={item.id} onClick={() => onSelect?.(item.id)}>', () => {
              w.line(`<span className="title">{item.id}</span>`);
              if (random.chance(0.5)) w.line(`<small>{String(item.status)}</small>`);
            }, '</li>');
          }, '))}');
        }, '</ul>');
      }, '</section>');
    }, ');');
  });
  // Small components beside the main one, as component files grow.
  for (let n = 1; w.length < targetLines - 14; n++) {
    const part = `${name}${pascal(random.pick(UI_WORDS))}${n}`;
    w.line();
    w.block(`${c.flavor === 'cjs' ? '' : 'export '}function ${part}({ ${camel(entity)}, compact = false }${typed ? `: { ${camel(entity)}: ${pascal(entity)}; compact?: boolean }` : ''}) {`, () => {
      w.line(`const label = useMemo(() => String(${camel(entity)}.id), [${camel(entity)}]);`);
      w.block('return (', () => {
        w.block(`<div className={compact ? '${kebab(entity)}-compact' : '${kebab(entity)}-${random.pick(UI_WORDS)}'}>`, () => {
          w.line('<strong>{label}</strong>');
          if (random.chance(0.5)) w.line(`<small>{String(${camel(entity)}.status)}</small>`);
          w.line(`<button type="button" onClick={() => console.log(label)}>${pascal(random.pick(VERBS))}</button>`);
        }, '</div>');
      }, ');');
    });
  }
}

function tsUtils(w: CodeWriter, c: TsContext, suffix: string): void {
  const { random, entity, t } = c;
  const name = pascal(entity);
  const exp = c.flavor === 'cjs' ? '' : 'export ';
  w.block(`${exp}function format${name}Label${suffix}(value${t(name)}, short = false)${t('string')} {`, () => {
    w.line('const parts = [value.id];');
    w.line('if (!short) parts.push(String(value.status));');
    w.line(`return parts.join('${random.pick([' · ', ' - ', ': '])}');`);
  });
  w.line();
  w.block(`${exp}function ${camel('group', plural(entity))}${suffix}(items${t(`${name}[]`)})${t(`Record<string, ${name}[]>`)} {`, () => {
    w.line(`const groups${t(`Record<string, ${name}[]>`)} = {};`);
    w.block('for (const item of items) {', () => {
      w.line('(groups[item.status] ??= []).push(item);');
    });
    w.line('return groups;');
  });
  w.line();
  w.block(`${exp}function ${camel('page', 'of', plural(entity))}${suffix}(items${t(`${name}[]`)}, index${t('number')}, size = ${random.pick([10, 20, 50])})${t(`${name}[]`)} {`, () => {
    w.line('return items.slice(index * size, (index + 1) * size);');
  });
}

function tsTests(w: CodeWriter, c: TsContext, targetLines: number): void {
  const { random, entity } = c;
  w.block(`describe('${pascal(entity)}', () => {`, () => {
    let i = 0;
    do {
      w.block(`it('${random.pick(VERBS)}s when ${random.pick(LOG_MESSAGES)} (${i})', async () => {`, () => {
        w.line(`const value = { id: '${entity}-${i}', status: '${random.pick(STATUSES)}' };`);
        w.line(`expect(value.id).toBe('${entity}-${i}');`);
        w.line(`expect(Object.keys(value)).toHaveLength(2);`);
      }, '});');
      i++;
    } while (w.length < targetLines - 2);
  }, '});');
}

function tsScript(w: CodeWriter, c: TsContext, suffix: string): void {
  const { random, entity } = c;
  w.block(`async function ${camel('export', plural(entity))}${suffix}(outDir) {`, () => {
    w.line(`const source = await readFile(join(outDir, '${kebab(plural(entity))}.json'), 'utf8');`);
    w.line('const rows = JSON.parse(source);');
    w.line(`const lines = rows.map((row) => [row.id, row.status, row.${random.pick(['total', 'count', 'name'])}].join(','));`);
    w.line(`await writeFile(join(outDir, '${kebab(plural(entity))}.csv'), lines.join('\\n'));`);
    w.line(`logger.info('${random.pick(LOG_MESSAGES)}', { rows: rows.length });`);
  });
}
