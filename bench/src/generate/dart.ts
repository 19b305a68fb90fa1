import type { Random } from '../random';
import { CodeWriter } from './code-writer';
import {
  camel, ENTITIES, fieldsFor, LOG_MESSAGES, methodNames, pascal, plural, sentence, snake, STATUSES, UI_WORDS, VERBS, type Field,
} from './vocabulary';

export type DartRole = 'model' | 'repository' | 'widget' | 'controller' | 'util' | 'test';

const DART_TYPE: Record<Field['kind'], string> = {
  string: 'String', int: 'int', double: 'double', bool: 'bool', date: 'DateTime', stringList: 'List<String>',
};

interface DartContext {
  random: Random;
  entity: string;
  usesJson: boolean;
  /** Grow the file's main declaration until the file has this many lines. */
  targetLines: number;
}

/**
 * An ordinary Flutter/Dart source file of about `targetLines` lines: like real files, one main
 * declaration that grows with the file (more methods, more widgets), and a few small ones.
 */
export function dartFile(random: Random, role: DartRole, entity: string, targetLines: number, pkg: string): string {
  const w = new CodeWriter('  ');
  const usesJson = role === 'repository' || (role === 'model' && random.chance(0.35)) || (role === 'util' && random.chance(0.3));
  const imports = new Set<string>();
  if (role === 'repository' || role === 'controller' || random.chance(0.3)) imports.add("import 'dart:async';");
  if (usesJson) imports.add("import 'dart:convert';");
  if (role === 'widget') imports.add("import 'package:flutter/material.dart';");
  if (role === 'controller' || role === 'model') imports.add("import 'package:flutter/foundation.dart';");
  if (role === 'test') imports.add("import 'package:flutter_test/flutter_test.dart';");
  if (role === 'repository') imports.add("import 'package:http/http.dart' as http;");
  for (const other of random.sample(ENTITIES, random.int(1, 4))) {
    imports.add(`import 'package:${pkg}/features/${snake(other)}/domain/${snake(other)}.dart';`);
  }
  for (const line of [...imports].sort()) w.line(line);
  w.line();

  const c: DartContext = { random, entity, usesJson, targetLines };
  switch (role) {
    case 'model': {
      // Models come a few to a file; a long model file has long models.
      dartModel(w, { ...c, targetLines: w.length + (targetLines - w.length) * 0.6 }, entity, true);
      for (let extra = 0; extra < 3 && w.length < targetLines - 30; extra++) {
        w.line();
        if (random.chance(0.3)) dartEnum(w, c);
        else dartModel(w, c, random.pick(ENTITIES), true);
      }
      break;
    }
    case 'repository':
      dartRepository(w, c);
      break;
    case 'widget':
      if (random.chance(0.5)) dartWidget(w, c);
      else dartStatefulWidget(w, c);
      break;
    case 'controller':
      dartEnum(w, c);
      w.line();
      dartController(w, c);
      break;
    case 'util':
      dartFunctions(w, c);
      w.line();
      dartExtension(w, c);
      break;
    case 'test':
      dartTests(w, c);
      break;
  }
  return w.toString();
}

function dartModel(w: CodeWriter, c: DartContext, entity: string, grow: boolean): void {
  const { random, usesJson } = c;
  const name = pascal(entity);
  const fields = fieldsFor(random);
  const equality = random.chance(0.3);
  w.line(`/// ${sentence(random, entity)}`);
  w.line('@immutable');
  w.block(`class ${name} {`, () => {
    w.block(`const ${name}({`, () => {
      for (const f of fields) w.line(`required this.${f.name},`);
    }, '});');
    w.line();
    for (const f of fields) w.line(`final ${DART_TYPE[f.kind]} ${f.name};`);
    w.line();
    w.block(`factory ${name}.fromJson(Map<String, dynamic> json) {`, () => {
      w.block(`return ${name}(`, () => {
        for (const f of fields) w.line(`${f.name}: ${dartFromJson(f)},`);
      }, ');');
    });
    w.line();
    w.block('Map<String, dynamic> toJson() => {', () => {
      for (const f of fields) w.line(`'${snake(f.name)}': ${f.kind === 'date' ? `${f.name}.toIso8601String()` : f.name},`);
    }, '};');
    if (usesJson) {
      w.line();
      w.line('String encode() => jsonEncode(toJson());');
      w.line();
      w.line(`static ${name} decode(String source) => ${name}.fromJson(jsonDecode(source) as Map<String, dynamic>);`);
    }
    w.line();
    w.line(`${name} copyWith({`);
    for (const f of fields) w.line(`  ${DART_TYPE[f.kind]}? ${f.name},`);
    w.line('}) {');
    w.line(`  return ${name}(`);
    for (const f of fields) w.line(`    ${f.name}: ${f.name} ?? this.${f.name},`);
    w.line('  );');
    w.line('}');
    // Longer models carry derived values and validation.
    let n = 0;
    while (grow && w.length < c.targetLines - 16) dartModelMember(w, random, fields, n++);
    if (equality) {
      w.line();
      w.line('@override');
      w.block('bool operator ==(Object other) {', () => {
        w.line('if (identical(this, other)) return true;');
        w.line(`return other is ${name} && ${fields.slice(0, 3).map((f) => `other.${f.name} == ${f.name}`).join(' && ')};`);
      });
      w.line();
      w.line('@override');
      w.line(`int get hashCode => Object.hash(${fields.slice(0, 3).map((f) => f.name).join(', ')});`);
    }
    w.line();
    w.line('@override');
    w.line(`String toString() => '${name}(${fields.slice(0, 2).map((f) => `${f.name}: $${f.name}`).join(', ')})';`);
  });
}

function dartModelMember(w: CodeWriter, random: Random, fields: Field[], n: number): void {
  const f = random.pick(fields);
  w.line();
  switch (random.int(0, 2)) {
    case 0:
      w.line(`/// Whether ${f.name} is set to something meaningful.`);
      w.line(`bool get has${pascal(f.name)}${n} => ${f.kind === 'string' ? `${f.name}.trim().isNotEmpty` : f.kind === 'stringList' ? `${f.name}.isNotEmpty` : 'true'};`);
      break;
    case 1:
      w.block(`List<String> validate${n}() {`, () => {
        w.line('final problems = <String>[];');
        for (const g of random.sample(fields, 3)) {
          if (g.kind === 'string') w.line(`if (${g.name}.isEmpty) problems.add('${g.name} is required');`);
          else if (g.kind === 'int' || g.kind === 'double') w.line(`if (${g.name} < 0) problems.add('${g.name} must not be negative');`);
          else w.line(`// ${g.name} needs no check`);
        }
        w.line('return problems;');
      });
      break;
    default:
      w.block(`String describe${n}({bool verbose = false}) {`, () => {
        w.line(`final buffer = StringBuffer('${f.name}: $${f.name}');`);
        w.line(`if (verbose) buffer.write(' (${random.pick(LOG_MESSAGES)})');`);
        w.line('return buffer.toString();');
      });
  }
}

function dartFromJson(f: Field): string {
  const key = `json['${snake(f.name)}']`;
  switch (f.kind) {
    case 'string': return `${key} as String`;
    case 'int': return `${key} as int`;
    case 'double': return `(${key} as num).toDouble()`;
    case 'bool': return `${key} as bool? ?? false`;
    case 'date': return `DateTime.parse(${key} as String)`;
    case 'stringList': return `(${key} as List<dynamic>).cast<String>()`;
  }
}

function dartEnum(w: CodeWriter, { random, entity }: DartContext): void {
  const values = random.sample(STATUSES, random.int(3, 6));
  w.block(`enum ${pascal(entity)}Status {`, () => {
    values.forEach((v, i) => w.line(`${v}${i === values.length - 1 ? ';' : ','}`));
    w.line();
    w.line(`bool get isTerminal => this == ${pascal(entity)}Status.${values[values.length - 1]};`);
  });
}

function dartStatements(w: CodeWriter, random: Random, entity: string, count: number): void {
  const items = plural(camel(entity));
  for (let i = 0; i < count; i++) {
    switch (random.int(0, 7)) {
      case 0:
        w.line(`final ${camel(entity, 'count')} = ${items}.where((e) => e.isActive).length;`);
        break;
      case 1:
        w.block(`if (${items}.isEmpty) {`, () => {
          w.line(`_log('${random.pick(LOG_MESSAGES)}');`);
          w.line(`return ${items};`);
        });
        break;
      case 2:
        w.block(`for (final item in ${items}) {`, () => {
          w.line('_cache[item.id] = item;');
          if (random.chance(0.5)) w.line(`_log('${random.pick(VERBS)} \${item.id}');`);
        });
        break;
      case 3:
        w.line(`final sorted = [...${items}]..sort((a, b) => a.id.compareTo(b.id));`);
        w.line('_cache.addAll({for (final e in sorted) e.id: e});');
        break;
      case 4:
        w.block('try {', () => {
          w.line(`await _store.write('${snake(entity)}_last_sync', DateTime.now().toIso8601String());`);
        }, '} catch (error, stackTrace) {');
        w.line(`  _log('${random.pick(LOG_MESSAGES)}: $error', stackTrace);`);
        w.line('}');
        break;
      case 5:
        w.line(`final pending = ${items}.where((e) => !e.isActive).map((e) => e.id).toSet();`);
        w.block('if (pending.isNotEmpty) {', () => w.line('_pending.addAll(pending);'));
        break;
      case 6:
        w.line(`await Future<void>.delayed(const Duration(milliseconds: ${random.pick([100, 250, 500])}));`);
        break;
      default:
        w.line(`_controller.add(List.unmodifiable(${items}));`);
    }
  }
}

function dartRepository(w: CodeWriter, c: DartContext): void {
  const { random, entity } = c;
  const name = pascal(entity);
  const items = plural(camel(entity));
  const nextName = methodNames(random, entity);
  w.line(`/// ${sentence(random, entity)}`);
  w.block(`class ${name}Repository {`, () => {
    w.line(`${name}Repository(this._client, this._store, {this.baseUrl = 'https://api.example.com'});`);
    w.line();
    w.line('final http.Client _client;');
    w.line('final KeyValueStore _store;');
    w.line('final String baseUrl;');
    w.line(`final Map<String, ${name}> _cache = {};`);
    w.line('final Set<String> _pending = {};');
    w.line(`final StreamController<List<${name}>> _controller = StreamController.broadcast();`);
    w.line();
    w.line(`Stream<List<${name}>> get changes => _controller.stream;`);
    do {
      const method = nextName();
      w.line();
      w.block(`Future<List<${name}>> ${method}({int page = 0, int limit = 20}) async {`, () => {
        w.line(`final uri = Uri.parse('$baseUrl/${plural(snake(entity))}?page=$page&limit=$limit');`);
        w.line("final response = await _client.get(uri, headers: {'Accept': 'application/json'});");
        w.block('if (response.statusCode != 200) {', () => {
          w.line(`throw ApiException('${method} failed', response.statusCode);`);
        });
        w.line(`final ${items} = (jsonDecode(response.body) as List<dynamic>)`);
        w.line(`    .map((e) => ${name}.fromJson(e as Map<String, dynamic>))`);
        w.line('    .toList();');
        dartStatements(w, random, entity, random.int(2, 6));
        w.line(`return ${items};`);
      });
    } while (w.length < c.targetLines - 4);
    w.line();
    w.line('void _log(String message, [StackTrace? stackTrace]) => logger.fine(message, null, stackTrace);');
  });
}

function dartChildren(w: CodeWriter, random: Random, value: string): void {
  for (let i = 0; i < random.int(2, 5); i++) {
    w.line(`Text(${value}.${random.pick(['id', 'toString()'])}, style: theme.textTheme.${random.pick(['titleMedium', 'bodySmall', 'bodyMedium'])}),`);
    if (random.chance(0.5)) w.line(`const SizedBox(height: ${random.pick([4, 8, 12])}),`);
  }
}

/** `Widget _buildHeader(...)` helpers: how long widget files get long. */
function dartBuildHelpers(w: CodeWriter, c: DartContext, value: string, helpers: string[]): void {
  const { random } = c;
  let n = 0;
  while (w.length < c.targetLines - 14) {
    const helper = `_build${pascal(random.pick(UI_WORDS))}${n++}`;
    helpers.push(helper);
    w.line();
    w.block(`Widget ${helper}(BuildContext context) {`, () => {
      w.line('final theme = Theme.of(context);');
      w.block('return Padding(', () => {
        w.line(`padding: const EdgeInsets.symmetric(horizontal: ${random.pick([8, 12, 16])}),`);
        w.block(`child: ${random.pick(['Column', 'Row', 'Wrap'])}(`, () => {
          w.block('children: [', () => dartChildren(w, random, value), '],');
        }, '),');
      }, ');');
    });
  }
}

function dartWidget(w: CodeWriter, c: DartContext): void {
  const { random, entity } = c;
  const name = pascal(entity, random.pick(UI_WORDS));
  const value = camel(entity);
  w.block(`class ${name} extends StatelessWidget {`, () => {
    w.line(`const ${name}({super.key, required this.${value}, this.onTap});`);
    w.line();
    w.line(`final ${pascal(entity)} ${value};`);
    w.line('final VoidCallback? onTap;');
    w.line();
    const helpers: string[] = [];
    const body = w.length;
    w.line('@override');
    w.line('Widget build(BuildContext context) => const SizedBox.shrink();');
    dartBuildHelpers(w, c, value, helpers);
    // Now the real build method, calling the helpers.
    w.lines.splice(body, 2, ...buildMethod(value, helpers, '  '));
  });
}

function buildMethod(value: string, helpers: string[], indent: string): string[] {
  const lines = [
    '@override',
    'Widget build(BuildContext context) {',
    '  final theme = Theme.of(context);',
    '  return Card(',
    '    margin: const EdgeInsets.symmetric(horizontal: 16, vertical: 8),',
    '    child: Column(',
    '      crossAxisAlignment: CrossAxisAlignment.start,',
    '      children: [',
    `        Text(${value}.id, style: theme.textTheme.titleMedium),`,
    ...helpers.map((h) => `        ${h}(context),`),
    '      ],',
    '    ),',
    '  );',
    '}',
  ];
  return lines.map((l) => indent + l);
}

function dartStatefulWidget(w: CodeWriter, c: DartContext): void {
  const { random, entity } = c;
  const name = pascal(entity, random.pick(UI_WORDS), 'view');
  w.block(`class ${name} extends StatefulWidget {`, () => {
    w.line(`const ${name}({super.key});`);
    w.line();
    w.line('@override');
    w.line(`State<${name}> createState() => _${name}State();`);
  });
  w.line();
  w.block(`class _${name}State extends State<${name}> {`, () => {
    w.line('bool _loading = false;');
    w.line(`List<${pascal(entity)}> _items = const [];`);
    w.line();
    w.line('@override');
    w.block('void initState() {', () => {
      w.line('super.initState();');
      w.line('_reload();');
    });
    w.line();
    w.block('Future<void> _reload() async {', () => {
      w.line('setState(() => _loading = true);');
      w.line(`final items = await context.read<${pascal(entity)}Repository>().${camel(random.pick(VERBS), plural(entity))}();`);
      w.line('if (!mounted) return;');
      w.block('setState(() {', () => {
        w.line('_items = items;');
        w.line('_loading = false;');
      }, '});');
    });
    w.line();
    w.line('@override');
    w.block('Widget build(BuildContext context) {', () => {
      w.line('if (_loading) return const Center(child: CircularProgressIndicator());');
      w.block('return RefreshIndicator(', () => {
        w.line('onRefresh: _reload,');
        w.block('child: ListView.builder(', () => {
          w.line('itemCount: _items.length,');
          w.line('itemBuilder: (context, index) => _buildItem(context, _items[index]),');
        }, '),');
      }, ');');
    });
    w.line();
    w.block(`Widget _buildItem(BuildContext context, ${pascal(entity)} item) {`, () => {
      w.line('final theme = Theme.of(context);');
      w.block('return Column(', () => {
        w.block('children: [', () => dartChildren(w, random, 'item'), '],');
      }, ');');
    });
    dartBuildHelpers(w, c, '_items.first', []);
  });
}

function dartController(w: CodeWriter, c: DartContext): void {
  const { random, entity } = c;
  const name = pascal(entity);
  const nextName = methodNames(random, entity);
  w.block(`class ${name}Controller extends ChangeNotifier {`, () => {
    w.line(`${name}Controller(this._repository);`);
    w.line();
    w.line(`final ${name}Repository _repository;`);
    w.line(`final Map<String, ${name}> _cache = {};`);
    w.line('final Set<String> _pending = {};');
    w.line(`final StreamController<List<${name}>> _controller = StreamController.broadcast();`);
    w.line('final KeyValueStore _store = KeyValueStore.instance;');
    w.line('String? error;');
    do {
      w.line();
      w.block(`Future<List<${name}>> ${nextName()}() async {`, () => {
        w.line(`final ${plural(camel(entity))} = await _repository.${camel('fetch', plural(entity))}();`);
        dartStatements(w, random, entity, random.int(1, 5));
        w.line('notifyListeners();');
        w.line(`return ${plural(camel(entity))};`);
      });
    } while (w.length < c.targetLines - 4);
    w.line();
    w.line(`void _log(String message, [StackTrace? stackTrace]) => debugPrint('[${name}] $message');`);
  });
}

function dartFunctions(w: CodeWriter, c: DartContext): void {
  const { random, entity } = c;
  const name = pascal(entity);
  let n = 0;
  do {
    const suffix = n === 0 ? '' : `${n}`;
    w.block(`String format${name}Label${suffix}(${name} value, {bool short = false}) {`, () => {
      w.line('final buffer = StringBuffer(value.id);');
      w.block('if (!short) {', () => w.line("buffer.write(' (${value.toString()})');"));
      w.line('return buffer.toString();');
    });
    w.line();
    w.block(`List<${name}> ${camel('sort', plural(entity))}${suffix}(Iterable<${name}> items) {`, () => {
      w.line('final list = items.toList();');
      w.line('list.sort((a, b) => a.id.compareTo(b.id));');
      w.line('return list;');
    });
    w.line();
    w.line(`bool is${name}Id${suffix}(String value) => RegExp(r'^[a-z0-9-]{${random.int(6, 12)},}$').hasMatch(value);`);
    w.line();
    n++;
  } while (w.length < c.targetLines - 20);
}

function dartExtension(w: CodeWriter, { random, entity }: DartContext): void {
  const name = pascal(entity);
  w.block(`extension ${name}ListX on List<${name}> {`, () => {
    w.line(`${name}? byId(String id) => where((e) => e.id == id).firstOrNull;`);
    w.line();
    w.line(`List<${name}> page(int index, {int size = ${random.pick([10, 20, 50])}}) => skip(index * size).take(size).toList();`);
    w.line();
    w.block(`Map<String, List<${name}>> groupedBy(String Function(${name}) key) {`, () => {
      w.line(`final groups = <String, List<${name}>>{};`);
      w.block('for (final item in this) {', () => w.line('groups.putIfAbsent(key(item), () => []).add(item);'));
      w.line('return groups;');
    });
  });
}

function dartTests(w: CodeWriter, c: DartContext): void {
  const { random, entity } = c;
  const name = pascal(entity);
  w.block('void main() {', () => {
    w.block(`group('${name}', () {`, () => {
      let i = 0;
      do {
        w.block(`test('${random.pick(VERBS)} ${random.pick(LOG_MESSAGES)} ${i}', () {`, () => {
          w.line(`final value = ${name}.fromJson({'id': '${entity}-${i}'});`);
          w.line(`expect(value.id, equals('${entity}-${i}'));`);
          w.line('expect(value.toJson(), isA<Map<String, dynamic>>());');
        }, '});');
        i++;
      } while (w.length < c.targetLines - 3);
    }, '});');
  });
}
