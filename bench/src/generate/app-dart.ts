import type { Random } from '../random';
import { classFields, writeMembers, type MemberWriters } from './app-class';
import { CodeWriter } from './code-writer';
import { ENTITIES, pascal, sentence, snake } from './vocabulary';

/** A screen's State, a ChangeNotifier controller, or an API repository. */
export type DartAppRole = 'screen' | 'controller' | 'repository';

const DART_TYPE = { string: 'String', int: 'int', double: 'double', bool: 'bool', date: 'DateTime?', stringList: 'List<String>' } as const;
const DART_INITIAL = { string: "''", int: '0', double: '0', bool: 'false', date: '', stringList: 'const []' } as const;

function dartWriters(role: DartAppRole): MemberWriters {
  const changed = role === 'screen' ? 'setState(() {});' : role === 'controller' ? 'notifyListeners();' : '_changes.add(null);';
  return {
    fetch: (w, m) => w.block(`Future<void> ${m.verb}${m.E}${m.n}(String id) async {`, () => {
      w.line(`final response = await _api.get('/${m.items}/$id?fields=${snake(m.s)}&page=$_page');`);
      w.line(`_log('${m.verb} ${m.e} $id: \${response.statusCode} after \${_stopwatch.elapsedMilliseconds} ms');`);
      w.line('final data = response.data as Map<String, dynamic>;');
      w.line(`${m.s} = data['${snake(m.s)}'] as String? ?? ${m.s};`);
      w.line(`_status = '${m.E} \${data['id']} loaded at \${DateTime.now().toIso8601String()}';`);
      w.line(changed);
    }),
    label: (w, m) => w.line(`String get ${m.s}Label${m.n} => '${m.label}: $${m.s} (\${_page + 1}/$_pages, \${${m.list}.length} ${m.items})';`),
    check: (w, m) => w.block(`bool matches${pascal(m.s)}${m.n}(String input) {`, () => {
      w.line(`final candidate = _crypto.sha256('$input:\${_session.salt}');`);
      w.line(`_log('checking ${m.s} for \${_session.userId}: \${input.length} characters');`);
      w.line(`return candidate == ${m.s} || input == ${m.t};`);
    }),
    ui: role === 'screen'
      ? (w, m) => w.block(`Widget _build${m.ui}${m.n}(BuildContext context) {`, () => {
        w.line('final theme = Theme.of(context);');
        w.block('return ListTile(', () => {
          w.line(`title: Text('${m.label}', style: theme.textTheme.titleMedium),`);
          w.line(`subtitle: Text('\${widget.${m.e}.${m.g}} · $${m.s}'),`);
          w.line(`trailing: Text('\${${m.list}.length} ${m.items}'),`);
          w.line(`onTap: () => _open('/${m.route}/\${widget.${m.e}.id}'),`);
        }, ');');
      })
      : (w, m) => w.line(`String ${m.ui.toLowerCase()}Text${m.n}() => '${m.label} · $${m.s} · \${${m.list}.join(', ')}';`),
    json: (w, m) => w.block(`void apply${m.E}Json${m.n}(Map<String, dynamic> json) {`, () => {
      w.line(`${m.s} = json['${m.s}'] as String? ?? ${m.s};`);
      w.line(`${m.t} = json['${snake(m.t)}'] as String? ?? ${m.t};`);
      w.line(`_log('applied ${m.e} json: \${json.length} keys, \${json.keys.take(3).join(', ')}');`);
      w.line(changed);
    }),
    loop: (w, m) => w.block(`Future<int> ${m.verb}${m.Items}${m.n}() async {`, () => {
      w.line(`final items = await _repository.${m.verb}${m.Items}(page: _page, query: '$_query*');`);
      w.block('for (final item in items) {', () => {
        w.line(`_cache['\${item.id}:\${item.${m.s}}'] = item;`);
        w.line(`_log('${m.verb} \${item.id} (\${item.${m.g}})');`);
      });
      w.line('return items.length;');
    }),
    describe: (w, m) => w.block(`String describe${pascal(m.s)}${m.n}({bool verbose = false}) {`, () => {
      w.line(`final head = '${m.E} $_id: ${m.s}=$${m.s}';`);
      w.line(`return verbose ? '$head, ${m.t}=$${m.t}, page \${_page + 1}' : head;`);
    }),
    navigate: (w, m) => w.block(`void open${m.Route}${m.n}(BuildContext context) {`, () => {
      w.line(`Navigator.of(context).pushNamed('/${m.route}', arguments: {'${m.s}': ${m.s}, 'from': '$runtimeType'});`);
      w.line(`_log('open /${m.route} from $runtimeType with \${${m.list}.length} ${m.items}');`);
    }),
    validate: (w, m) => w.block(`List<String> validate${pascal(m.s)}${m.n}() {`, () => {
      w.line('final problems = <String>[];');
      w.line(`if (${m.s}.isEmpty) problems.add('${m.s} is required for $_id');`);
      w.line(`if (${m.t}.length > 64) problems.add('${m.t} is too long: \${${m.t}.length} characters');`);
      w.line(`if (${m.list}.isEmpty) problems.add('no ${m.items} for "$_query"');`);
      w.line(`_log('validated ${m.e} $_id: \${problems.length} problems');`);
      w.line('return problems;');
    }),
    update: (w, m) => w.block(`void set${pascal(m.s)}${m.n}(String value) {`, () => {
      w.line(`if (value == ${m.s}) return;`);
      w.line(`_log('${m.s} changed from "$${m.s}" to "$value"');`);
      w.line(`${m.s} = value;`);
      w.line(changed);
    }),
  };
}

/**
 * A Flutter file of about `targetLines` lines made of one class with many members, most lines
 * interpolating strings (a screen adds its small StatefulWidget above its State).
 */
export function dartAppFile(random: Random, role: DartAppRole, entity: string, targetLines: number, pkg: string): string {
  const w = new CodeWriter('  ');
  const imports = ["import 'dart:async';", ...random.sample(ENTITIES, random.int(1, 4)).map((o) => `import 'package:${pkg}/models/${snake(o)}.dart';`)];
  if (role === 'screen') imports.push("import 'package:flutter/material.dart';");
  else imports.push("import 'package:flutter/foundation.dart';");
  for (const line of imports.sort()) w.line(line);
  w.line();
  const E = pascal(entity);
  const fields = classFields(random, entity);
  let name = `${E}${role === 'screen' ? 'Screen' : pascal(role)}`;
  if (role === 'screen') {
    w.block(`class ${name} extends StatefulWidget {`, () => {
      w.line(`const ${name}({super.key, required this.${entity}});`);
      w.line();
      w.line(`final ${E} ${entity};`);
      w.line();
      w.line('@override');
      w.line(`State<${name}> createState() => _${name}State();`);
    });
    w.line();
  }
  w.line(`/// ${sentence(random, entity)}`);
  const header = role === 'screen' ? `class _${name}State extends State<${name}> {` : role === 'controller' ? `class ${name} extends ChangeNotifier {` : `class ${name} {`;
  if (role === 'screen') name = `_${name}State`;
  w.block(header, () => {
    if (role !== 'screen') w.line(`${name}(this._api, this._repository, this._session);`);
    w.line();
    w.line(`${role === 'screen' ? 'late ' : ''}final ApiClient _api${role === 'screen' ? ' = context.read<ApiClient>()' : ''};`);
    w.line(`${role === 'screen' ? 'late ' : ''}final ${E}Repository _repository${role === 'screen' ? ' = context.read()' : ''};`);
    w.line(`${role === 'screen' ? 'late ' : ''}final Session _session${role === 'screen' ? ' = context.read()' : ''};`);
    w.line('final Crypto _crypto = const Crypto();');
    w.line('final Stopwatch _stopwatch = Stopwatch()..start();');
    w.line(`final Map<String, ${E}> _cache = {};`);
    if (role === 'repository') w.line('final StreamController<void> _changes = StreamController.broadcast();');
    w.line("String _id = '';");
    w.line("String _query = '';");
    w.line("String _status = '';");
    w.line('int _page = 0;');
    w.line('int _pages = 1;');
    for (const f of fields) w.line(`${DART_TYPE[f.kind]} ${f.name}${f.kind === 'date' ? '' : ` = ${DART_INITIAL[f.kind]}`};`);
    writeMembers(w, random, entity, fields, dartWriters(role), targetLines - 4, '///');
    w.line();
    if (role === 'screen') w.line('void _open(String route) => Navigator.of(context).pushNamed(route);');
    w.line(`void _log(String message) => debugPrint('[${name}] $message (status: $_status)');`);
  });
  return w.toString();
}
