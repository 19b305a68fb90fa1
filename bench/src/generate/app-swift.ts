import type { Random } from '../random';
import { classFields, writeMembers, type MemberWriters } from './app-class';
import { CodeWriter } from './code-writer';
import { pascal, sentence, snake } from './vocabulary';

/** An ObservableObject view model, a UIKit view controller, or an API service. */
export type SwiftAppRole = 'viewModel' | 'viewController' | 'service';

const SWIFT_TYPE = { string: 'String', int: 'Int', double: 'Double', bool: 'Bool', date: 'Date?', stringList: '[String]' } as const;
const SWIFT_INITIAL = { string: '""', int: '0', double: '0', bool: 'false', date: 'nil', stringList: '[]' } as const;

function swiftWriters(role: SwiftAppRole): MemberWriters {
  return {
    fetch: (w, m) => w.block(`func ${m.verb}${m.E}${m.n}(id: String) async throws {`, () => {
      w.line(`let response = try await api.get("/${m.items}/\\(id)?fields=${snake(m.s)}&page=\\(page)")`);
      w.line(`logger.debug("${m.verb} ${m.e} \\(id): \\(response.statusCode) after \\(stopwatch.elapsedMilliseconds) ms")`);
      w.line(`${m.s} = response.json["${snake(m.s)}"] as? String ?? ${m.s}`);
      w.line(`status = "${m.E} \\(id) loaded at \\(Date().formatted())"`);
    }),
    label: (w, m) => w.block(`var ${m.s}Label${m.n}: String {`, () => w.line(`"${m.label}: \\(${m.s}) (\\(page + 1)/\\(pages), \\(${m.list}.count) ${m.items})"`)),
    check: (w, m) => w.block(`func matches${pascal(m.s)}${m.n}(_ input: String) -> Bool {`, () => {
      w.line(`let candidate = crypto.sha256("\\(input):\\(session.salt)")`);
      w.line(`logger.debug("checking ${m.s} for \\(session.userId): \\(input.count) characters")`);
      w.line(`return candidate == ${m.s} || input == ${m.t}`);
    }),
    ui: role === 'viewController'
      ? (w, m) => w.block(`private func make${m.ui}Label${m.n}() -> UILabel {`, () => {
        w.line('let label = UILabel()');
        w.line(`label.text = "${m.label}"`);
        w.line(`label.accessibilityLabel = "\\(${m.s}) · \\(${m.list}.count) ${m.items}"`);
        w.line('label.font = .preferredFont(forTextStyle: .body)');
        w.line('return label');
      })
      : (w, m) => w.line(`func ${m.ui.toLowerCase()}Text${m.n}() -> String { "${m.label} · \\(${m.s}) · \\(${m.list}.joined(separator: ", "))" }`),
    json: (w, m) => w.block(`func apply${m.E}JSON${m.n}(_ json: [String: Any]) {`, () => {
      w.line(`${m.s} = json["${m.s}"] as? String ?? ${m.s}`);
      w.line(`${m.t} = json["${snake(m.t)}"] as? String ?? ${m.t}`);
      w.line(`logger.debug("applied ${m.e} json: \\(json.count) keys, \\(json.keys.prefix(3).joined(separator: ", "))")`);
    }),
    loop: (w, m) => w.block(`func ${m.verb}${m.Items}${m.n}() async -> Int {`, () => {
      w.line(`let items = (try? await repository.${m.verb}${m.Items}(page: page, query: "\\(query)*")) ?? []`);
      w.block('for item in items {', () => {
        w.line(`cache["\\(item.id):\\(item.${m.s})"] = item`);
        w.line(`logger.debug("${m.verb} \\(item.id) (\\(item.${m.g}))")`);
      });
      w.line('return items.count');
    }),
    describe: (w, m) => w.block(`func describe${pascal(m.s)}${m.n}(verbose: Bool = false) -> String {`, () => {
      w.line(`let head = "${m.E} \\(selectedId): ${m.s}=\\(${m.s})"`);
      w.line(`return verbose ? "\\(head), ${m.t}=\\(${m.t}), page \\(page + 1)" : head`);
    }),
    navigate: (w, m) => w.block(`func open${m.Route}${m.n}() {`, () => {
      w.line(`router.push("/${m.route}", parameters: ["${m.s}": ${m.s}, "from": "\\(type(of: self))"])`);
      w.line(`logger.debug("open /${m.route} from \\(type(of: self)) with \\(${m.list}.count) ${m.items}")`);
    }),
    validate: (w, m) => w.block(`func validate${pascal(m.s)}${m.n}() -> [String] {`, () => {
      w.line('var problems: [String] = []');
      w.line(`if ${m.s}.isEmpty { problems.append("${m.s} is required for \\(selectedId)") }`);
      w.line(`if ${m.t}.count > 64 { problems.append("${m.t} is too long: \\(${m.t}.count) characters") }`);
      w.line(`if ${m.list}.isEmpty { problems.append("no ${m.items} for \\"\\(query)\\"") }`);
      w.line(`logger.debug("validated ${m.e} \\(selectedId): \\(problems.count) problems")`);
      w.line('return problems');
    }),
    update: (w, m) => w.block(`func set${pascal(m.s)}${m.n}(_ value: String) {`, () => {
      w.line(`guard value != ${m.s} else { return }`);
      w.line(`logger.debug("${m.s} changed from \\"\\(${m.s})\\" to \\"\\(value)\\"")`);
      w.line(`${m.s} = value`);
    }),
  };
}

/** A Swift file of about `targetLines` lines made of one type with many funcs, most lines interpolating strings. */
export function swiftAppFile(random: Random, role: SwiftAppRole, entity: string, targetLines: number): string {
  const w = new CodeWriter('    ');
  w.line('import Foundation');
  w.line('import OSLog');
  w.line(role === 'viewModel' ? 'import Combine' : role === 'viewController' ? 'import UIKit' : 'import Security');
  w.line();
  const E = pascal(entity);
  const fields = classFields(random, entity);
  const name = `${E}${pascal(role)}`;
  w.line(`/// ${sentence(random, entity)}`);
  if (role === 'viewModel') w.line('@MainActor');
  w.block({ viewModel: `final class ${name}: ObservableObject {`, viewController: `final class ${name}: UIViewController {`, service: `final class ${name} {` }[role], () => {
    w.line(`private let logger = Logger(subsystem: "app", category: "${name}")`);
    w.line('private let api: APIClient');
    w.line(`private let repository: ${E}Repository`);
    w.line('private let session: Session');
    w.line('private let router: Router');
    w.line('private let crypto = Crypto()');
    w.line('private let stopwatch = Stopwatch()');
    w.line(`private var cache: [String: ${E}] = [:]`);
    w.line('private var selectedId = ""');
    w.line('private var query = ""');
    w.line('private var page = 0');
    w.line('private var pages = 1');
    const published = role === 'viewModel' ? '@Published ' : '';
    w.line(`${published}var status = ""`);
    for (const f of fields) w.line(`${published}var ${f.name}: ${SWIFT_TYPE[f.kind]} = ${SWIFT_INITIAL[f.kind]}`);
    w.line();
    w.block(`init(api: APIClient, repository: ${E}Repository, session: Session, router: Router) {`, () => {
      w.line('self.api = api');
      w.line('self.repository = repository');
      w.line('self.session = session');
      w.line('self.router = router');
      if (role === 'viewController') w.line('super.init(nibName: nil, bundle: nil)');
    });
    if (role === 'viewController') {
      w.line();
      w.line('required init?(coder: NSCoder) { fatalError("init(coder:) is not supported") }');
    }
    writeMembers(w, random, entity, fields, swiftWriters(role), targetLines - 1, '///');
  });
  return w.toString();
}
