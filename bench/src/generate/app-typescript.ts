import type { Random } from '../random';
import { classFields, writeMembers, type MemberWriters } from './app-class';
import { CodeWriter } from './code-writer';
import { kebab, pascal, sentence, snake } from './vocabulary';

/** A React Native class screen (`.tsx`), a MobX store, or an API service. */
export type TsAppRole = 'screen' | 'store' | 'service';

const TS_TYPE = { string: 'string', int: 'number', double: 'number', bool: 'boolean', date: 'Date | null', stringList: 'string[]' } as const;
const TS_INITIAL = { string: "''", int: '0', double: '0', bool: 'false', date: 'null', stringList: '[]' } as const;

function tsWriters(role: TsAppRole): MemberWriters {
  return {
    fetch: (w, m) => w.block(`async ${m.verb}${m.E}${m.n}(id: string): Promise<void> {`, () => {
      w.line(`const response = await this.api.get(\`/${m.items}/\${id}?fields=${snake(m.s)}&page=\${this.page}\`);`);
      w.line(`this.logger.debug(\`${m.verb} ${m.e} \${id}: \${response.status} after \${Date.now() - this.startedAt} ms\`);`);
      w.line(`this.${m.s} = response.data['${snake(m.s)}'] ?? this.${m.s};`);
      w.line(`this.status = \`${m.E} \${id} loaded at \${new Date().toISOString()}\`;`);
    }),
    label: (w, m) => w.line(`get ${m.s}Label${m.n}(): string { return \`${m.label}: \${this.${m.s}} (\${this.page + 1}/\${this.pages}, \${this.${m.list}.length} ${m.items})\`; }`),
    check: (w, m) => w.block(`matches${pascal(m.s)}${m.n}(input: string): boolean {`, () => {
      w.line(`const candidate = this.crypto.sha256(\`\${input}:\${this.session.salt}\`);`);
      w.line(`this.logger.debug(\`checking ${m.s} for \${this.session.userId}: \${input.length} characters\`);`);
      w.line(`return candidate === this.${m.s} || input === this.${m.t};`);
    }),
    ui: role === 'screen'
      ? (w, m) => w.block(`render${m.ui}${m.n}(): React.ReactNode {`, () => {
        w.block('return (', () => {
          w.block(`<Pressable style={styles.row} onPress={() => this.open(\`/${m.route}/\${this.props.${m.e}.id}\`)}>`, () => {
            w.line(`<Text style={styles.label}>${m.label}</Text>`);
            w.line(`<Text style={styles.value}>{\`\${this.props.${m.e}.${m.g}} · \${this.${m.s}}\`}</Text>`);
            w.line(`<Text style={styles.count}>{\`\${this.${m.list}.length} ${m.items}\`}</Text>`);
          }, '</Pressable>');
        }, ');');
      })
      : (w, m) => w.line(`${m.ui.toLowerCase()}Text${m.n}(): string { return \`${m.label} · \${this.${m.s}} · \${this.${m.list}.join(', ')}\`; }`),
    json: (w, m) => w.block(`apply${m.E}Json${m.n}(json: Record<string, unknown>): void {`, () => {
      w.line(`this.${m.s} = typeof json.${m.s} === 'string' ? json.${m.s} : this.${m.s};`);
      w.line(`this.${m.t} = typeof json['${snake(m.t)}'] === 'string' ? (json['${snake(m.t)}'] as string) : this.${m.t};`);
      w.line(`this.logger.debug(\`applied ${m.e} json: \${Object.keys(json).length} keys, \${Object.keys(json).slice(0, 3).join(', ')}\`);`);
    }),
    loop: (w, m) => w.block(`async ${m.verb}${m.Items}${m.n}(): Promise<number> {`, () => {
      w.line(`const items = await this.repository.${m.verb}${m.Items}({ page: this.page, query: \`\${this.query}*\` });`);
      w.block('for (const item of items) {', () => {
        w.line(`this.cache.set(\`\${item.id}:\${item.${m.s}}\`, item);`);
        w.line(`this.logger.debug(\`${m.verb} \${item.id} (\${item.${m.g}})\`);`);
      });
      w.line('return items.length;');
    }),
    describe: (w, m) => w.block(`describe${pascal(m.s)}${m.n}(verbose = false): string {`, () => {
      w.line(`const head = \`${m.E} \${this.selectedId}: ${m.s}=\${this.${m.s}}\`;`);
      w.line(`return verbose ? \`\${head}, ${m.t}=\${this.${m.t}}, page \${this.page + 1}\` : head;`);
    }),
    navigate: (w, m) => w.block(`open${m.Route}${m.n}(): void {`, () => {
      w.line(`this.navigation.navigate('${m.Route}', { ${m.s}: this.${m.s}, from: \`\${this.constructor.name}\` });`);
      w.line(`this.logger.debug(\`open ${m.route} from \${this.constructor.name} with \${this.${m.list}.length} ${m.items}\`);`);
    }),
    validate: (w, m) => w.block(`validate${pascal(m.s)}${m.n}(): string[] {`, () => {
      w.line('const problems: string[] = [];');
      w.line(`if (!this.${m.s}) problems.push(\`${m.s} is required for \${this.selectedId}\`);`);
      w.line(`if (this.${m.t}.length > 64) problems.push(\`${m.t} is too long: \${this.${m.t}.length} characters\`);`);
      w.line(`if (this.${m.list}.length === 0) problems.push(\`no ${m.items} for "\${this.query}"\`);`);
      w.line(`this.logger.debug(\`validated ${m.e} \${this.selectedId}: \${problems.length} problems\`);`);
      w.line('return problems;');
    }),
    update: (w, m) => w.block(`set${pascal(m.s)}${m.n}(value: string): void {`, () => {
      w.line(`if (value === this.${m.s}) return;`);
      w.line(`this.logger.debug(\`${m.s} changed from "\${this.${m.s}}" to "\${value}"\`);`);
      w.line(`this.${m.s} = value;`);
    }),
  };
}

/** A React Native TS/TSX file of about `targetLines` lines made of one class with many methods, most lines template strings. */
export function tsAppFile(random: Random, role: TsAppRole, entity: string, targetLines: number): string {
  const w = new CodeWriter('  ');
  const E = pascal(entity);
  if (role === 'screen') {
    w.line("import React from 'react';");
    w.line("import { Pressable, StyleSheet, Text } from 'react-native';");
  } else if (role === 'store') {
    w.line("import { makeAutoObservable } from 'mobx';");
  }
  w.line("import type { ApiClient, Crypto, Logger, Navigation, Session } from '../core';");
  w.line(`import type { ${E}, ${E}Repository } from '../${kebab(entity)}';`);
  w.line();
  const fields = classFields(random, entity);
  const name = `${E}${pascal(role)}`;
  w.line(`/** ${sentence(random, entity)} */`);
  const header = role === 'screen' ? `export class ${name} extends React.Component<{ ${entity}: ${E}; navigation: Navigation }> {` : `export class ${name} {`;
  w.block(header, () => {
    w.line('private readonly startedAt = Date.now();');
    w.line(`private readonly cache = new Map<string, ${E}>();`);
    w.line("private selectedId = '';");
    w.line("private query = '';");
    w.line('private page = 0;');
    w.line('private pages = 1;');
    w.line("status = '';");
    for (const f of fields) w.line(`${f.name}: ${TS_TYPE[f.kind]} = ${TS_INITIAL[f.kind]};`);
    w.line();
    w.line('constructor(');
    w.line('  private readonly api: ApiClient,');
    w.line(`  private readonly repository: ${E}Repository,`);
    w.line('  private readonly session: Session,');
    w.line('  private readonly crypto: Crypto,');
    w.line('  private readonly logger: Logger,');
    if (role !== 'screen') w.line('  private readonly navigation: Navigation,');
    w.block(') {', () => {
      if (role === 'screen') w.line(`super({ ${entity}: session.current${E}, navigation: session.navigation });`);
      if (role === 'store') w.line('makeAutoObservable(this);');
    });
    if (role === 'screen') {
      w.line();
      w.line('private get navigation(): Navigation { return this.props.navigation; }');
      w.line();
      w.line('private open(route: string): void { this.navigation.navigate(route); }');
    }
    writeMembers(w, random, entity, fields, tsWriters(role), targetLines - (role === 'screen' ? 6 : 1), '//');
    if (role === 'screen') {
      w.line();
      w.line(`render(): React.ReactNode { return <Text>{\`\${this.props.${entity}.id} · \${this.status}\`}</Text>; }`);
    }
  });
  if (role === 'screen') {
    w.line();
    w.line('const styles = StyleSheet.create({ row: { padding: 12 }, label: { fontWeight: "600" }, value: { opacity: 0.8 }, count: { fontSize: 12 } });');
  }
  return w.toString();
}
