import type { Random } from '../random';
import { CodeWriter } from './code-writer';
import { camel, ENTITIES, fieldsFor, LOG_MESSAGES, methodNames, pascal, plural, sentence, snake, STATUSES, UI_WORDS, VERBS, type Field } from './vocabulary';

export type SwiftRole = 'model' | 'service' | 'view' | 'viewModel' | 'util' | 'test';

const SWIFT_TYPE: Record<Field['kind'], string> = {
  string: 'String', int: 'Int', double: 'Double', bool: 'Bool', date: 'Date', stringList: '[String]',
};

/**
 * An ordinary iOS source file of about `targetLines` lines: one main type that grows with the
 * file (more methods, more subviews) and a few small ones, as real Swift files are.
 */
export function swiftFile(random: Random, role: SwiftRole, entity: string, targetLines: number): string {
  const w = new CodeWriter('    ');
  const imports = new Set(['import Foundation']);
  if (role === 'view') imports.add('import SwiftUI');
  if (role === 'viewModel') imports.add('import Combine');
  if (role === 'test') imports.add('import XCTest');
  if (role === 'service' || role === 'viewModel') imports.add('import OSLog');
  for (const line of [...imports].sort()) w.line(line);
  w.line();
  switch (role) {
    case 'model':
      swiftModel(w, random, entity, w.length + (targetLines - w.length) * 0.6);
      for (let extra = 0; extra < 3 && w.length < targetLines - 20; extra++) {
        w.line();
        if (random.chance(0.4)) swiftEnum(w, random, random.pick(ENTITIES));
        else swiftModel(w, random, random.pick(ENTITIES), targetLines);
      }
      break;
    case 'service':
      swiftEnum(w, random, entity);
      w.line();
      swiftService(w, random, entity, targetLines);
      break;
    case 'view':
      swiftView(w, random, entity, targetLines);
      break;
    case 'viewModel':
      swiftViewModel(w, random, entity, targetLines);
      break;
    case 'util':
      swiftFunctions(w, random, entity);
      do {
        w.line();
        swiftExtension(w, random, random.pick(ENTITIES));
      } while (w.length < targetLines - 8);
      break;
    case 'test':
      swiftTests(w, random, entity, targetLines);
      break;
  }
  return w.toString();
}

function swiftModel(w: CodeWriter, random: Random, entity: string, targetLines: number): void {
  const fields = fieldsFor(random);
  const conformances = ['Codable', 'Identifiable', ...(random.chance(0.4) ? ['Hashable'] : []), ...(random.chance(0.3) ? ['Sendable'] : [])];
  w.line(`/// ${sentence(random, entity)}`);
  w.block(`struct ${pascal(entity)}: ${conformances.join(', ')} {`, () => {
    for (const f of fields) w.line(`${random.chance(0.7) ? 'let' : 'var'} ${f.name}: ${SWIFT_TYPE[f.kind]}`);
    w.line();
    w.block('enum CodingKeys: String, CodingKey {', () => {
      for (const f of fields) w.line(snake(f.name) === f.name ? `case ${f.name}` : `case ${f.name} = "${snake(f.name)}"`);
    });
    let n = 0;
    while (w.length < targetLines - 8) {
      const f = random.pick(fields);
      w.line();
      if (random.chance(0.5)) {
        w.block(`var ${camel('display', f.name)}${n}: String {`, () => w.line(`"\\(${f.name})"`));
      } else {
        w.block(`func validate${n}() -> [String] {`, () => {
          w.line('var problems: [String] = []');
          for (const g of random.sample(fields, 2)) {
            if (g.kind === 'string') w.line(`if ${g.name}.isEmpty { problems.append("${g.name} is required") }`);
            else if (g.kind === 'int' || g.kind === 'double') w.line(`if ${g.name} < 0 { problems.append("${g.name} must not be negative") }`);
          }
          w.line('return problems');
        });
      }
      n++;
    }
  });
}

function swiftEnum(w: CodeWriter, random: Random, entity: string): void {
  const values = random.sample(STATUSES, random.int(3, 6));
  const stringBacked = random.chance(0.6);
  w.block(`enum ${pascal(entity)}Status${stringBacked ? ': String, Codable, CaseIterable' : ''} {`, () => {
    for (const v of values) w.line(`case ${v}`);
    w.line();
    w.block('var title: String {', () => {
      if (stringBacked) {
        w.line('rawValue.capitalized');
      } else {
        w.block('switch self {', () => {
          for (const v of values) w.line(`case .${v}: return "${pascal(v)}"`);
        });
      }
    });
  });
}

function swiftStatements(w: CodeWriter, random: Random, entity: string, count: number): void {
  const items = plural(camel(entity));
  for (let i = 0; i < count; i++) {
    switch (random.int(0, 6)) {
      case 0:
        w.line(`let active = ${items}.filter { $0.id.isEmpty == false }`);
        w.line('logger.debug("active: \\(active.count)")');
        break;
      case 1:
        w.block(`guard !${items}.isEmpty else {`, () => {
          w.line(`logger.debug("${random.pick(LOG_MESSAGES)}")`);
          w.line(`return ${items}`);
        });
        break;
      case 2:
        w.block(`for item in ${items} {`, () => {
          w.line('cache[item.id] = item');
        });
        break;
      case 3:
        w.line(`let sorted = ${items}.sorted { $0.id < $1.id }`);
        w.line('lastIdentifier = sorted.last?.id');
        break;
      case 4:
        w.block('do {', () => {
          w.line(`try await store.save(${items}, forKey: "${snake(entity)}")`);
        }, '} catch {');
        w.line(`    logger.error("${random.pick(LOG_MESSAGES)}: \\(error.localizedDescription)")`);
        w.line('}');
        break;
      case 5:
        w.line(`let identifiers = Set(${items}.map(\\.id))`);
        w.line('pending.formUnion(identifiers)');
        break;
      default:
        w.line(`try await Task.sleep(nanoseconds: ${random.pick([100, 250, 500])}_000_000)`);
    }
  }
}

function swiftService(w: CodeWriter, random: Random, entity: string, targetLines: number): void {
  const name = pascal(entity);
  const items = plural(camel(entity));
  const nextName = methodNames(random, entity);
  w.line(`/// ${sentence(random, entity)}`);
  w.block(`final class ${name}Service {`, () => {
    w.line('private let session: URLSession');
    w.line('private let baseURL: URL');
    w.line('private let store: KeyValueStore');
    w.line(`private let logger = Logger(subsystem: "com.example.app", category: "${entity}")`);
    w.line(`private var cache: [String: ${name}] = [:]`);
    w.line('private var pending = Set<String>()');
    w.line('private var lastIdentifier: String?');
    w.line();
    w.block('init(session: URLSession = .shared, baseURL: URL, store: KeyValueStore) {', () => {
      w.line('self.session = session');
      w.line('self.baseURL = baseURL');
      w.line('self.store = store');
    });
    do {
      w.line();
      w.block(`func ${nextName()}(page: Int = 0, limit: Int = 20) async throws -> [${name}] {`, () => {
        w.line(`var components = URLComponents(url: baseURL.appendingPathComponent("${plural(snake(entity))}"), resolvingAgainstBaseURL: false)!`);
        w.line('components.queryItems = [URLQueryItem(name: "page", value: String(page)), URLQueryItem(name: "limit", value: String(limit))]');
        w.line('let (data, response) = try await session.data(from: components.url!)');
        w.block('guard let http = response as? HTTPURLResponse, http.statusCode == 200 else {', () => {
          w.line('throw APIError.badStatus((response as? HTTPURLResponse)?.statusCode ?? 0)');
        });
        w.line(`let ${items} = try JSONDecoder().decode([${name}].self, from: data)`);
        swiftStatements(w, random, entity, random.int(2, 6));
        w.line(`return ${items}`);
      });
    } while (w.length < targetLines - 2);
  });
}

function swiftView(w: CodeWriter, random: Random, entity: string, targetLines: number): void {
  const name = pascal(entity, random.pick(UI_WORDS), 'view');
  const value = camel(entity);
  const subviews: string[] = [];
  w.block(`struct ${name}: View {`, () => {
    w.line(`let ${value}: ${pascal(entity)}`);
    w.line('@State private var isExpanded = false');
    w.line();
    const body = w.length;
    let n = 0;
    while (w.length < targetLines - 16) {
      const subview = `${camel(random.pick(UI_WORDS))}${n++}`;
      subviews.push(subview);
      w.line();
      w.block(`private var ${subview}: some View {`, () => {
        w.block(`${random.pick(['VStack', 'HStack'])}(alignment: .${random.pick(['leading', 'center'])}, spacing: ${random.pick([4, 8, 12])}) {`, () => {
          for (let i = 0; i < random.int(2, 4); i++) {
            w.line(`Text(${value}.id)`);
            w.line(`    .font(.${random.pick(['headline', 'subheadline', 'caption', 'body'])})`);
          }
        });
      });
    }
    const bodyLines = [
      'var body: some View {',
      '    VStack(alignment: .leading, spacing: 8) {',
      `        Text(${value}.id)`,
      '            .font(.headline)',
      ...subviews.map((s) => `        ${s}`),
      '        if isExpanded {',
      `            Text(String(describing: ${value}))`,
      '                .foregroundStyle(.secondary)',
      '        }',
      '    }',
      '    .padding()',
      '    .onTapGesture { isExpanded.toggle() }',
      '}',
    ];
    w.lines.splice(body, 0, ...bodyLines.map((l) => `    ${l}`));
  });
}

function swiftViewModel(w: CodeWriter, random: Random, entity: string, targetLines: number): void {
  const name = pascal(entity);
  const items = plural(camel(entity));
  const nextName = methodNames(random, entity);
  w.line('@MainActor');
  w.block(`final class ${name}ViewModel: ObservableObject {`, () => {
    w.line(`@Published private(set) var ${items}: [${name}] = []`);
    w.line('@Published var errorMessage: String?');
    w.line(`private let service: ${name}Service`);
    w.line(`private var cache: [String: ${name}] = [:]`);
    w.line('private var pending = Set<String>()');
    w.line('private var lastIdentifier: String?');
    w.line('private let store = KeyValueStore.shared');
    w.line('private let logger = Logger()');
    w.line();
    w.line(`init(service: ${name}Service) { self.service = service }`);
    do {
      w.line();
      w.block(`func ${nextName()}() async -> [${name}] {`, () => {
        w.block('do {', () => {
          w.line(`let ${items} = try await service.${camel('fetch', plural(entity))}()`);
          swiftStatements(w, random, entity, random.int(1, 4));
          w.line(`self.${items} = ${items}`);
        }, '} catch {');
        w.line('    errorMessage = error.localizedDescription');
        w.line('}');
        w.line(`return ${items}`);
      });
    } while (w.length < targetLines - 2);
  });
}

function swiftExtension(w: CodeWriter, random: Random, entity: string): void {
  const name = pascal(entity);
  w.block(`extension Array where Element == ${name} {`, () => {
    w.block(`func byId(_ id: String) -> ${name}? {`, () => w.line('first { $0.id == id }'));
    w.line();
    w.block(`func page(_ index: Int, size: Int = ${random.pick([10, 20, 50])}) -> [${name}] {`, () => {
      w.line('Array(dropFirst(index * size).prefix(size))');
    });
  });
}

function swiftFunctions(w: CodeWriter, random: Random, entity: string): void {
  const name = pascal(entity);
  w.block(`func format${name}Label(_ value: ${name}, short: Bool = false) -> String {`, () => {
    w.line('var label = value.id');
    w.block('if !short {', () => w.line('label += " (\\(value))"'));
    w.line('return label');
  });
  w.line();
  w.line(`let ${camel(entity)}DateFormatter: DateFormatter = {`);
  w.line('    let formatter = DateFormatter()');
  w.line(`    formatter.dateFormat = "${random.pick(['yyyy-MM-dd', 'dd.MM.yyyy', 'MMM d, yyyy'])}"`);
  w.line('    return formatter');
  w.line('}()');
}

function swiftTests(w: CodeWriter, random: Random, entity: string, targetLines: number): void {
  const name = pascal(entity);
  w.block(`final class ${name}Tests: XCTestCase {`, () => {
    let i = 0;
    do {
      if (i > 0) w.line();
      w.block(`func test${pascal(random.pick(VERBS))}${i}() throws {`, () => {
        w.line(`let data = Data("{\\"id\\": \\"${entity}-${i}\\"}".utf8)`);
        w.line(`let value = try JSONDecoder().decode(${name}.self, from: data)`);
        w.line(`XCTAssertEqual(value.id, "${entity}-${i}")`);
      });
      i++;
    } while (w.length < targetLines - 2);
  });
}
