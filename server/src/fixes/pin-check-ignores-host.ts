/**
 * pin-check-ignores-host: TS/JS checks get Node's host name check back at their top; Dart and
 * Swift checks get an early reject for every host but the one the user names.
 */
import type { Node } from 'web-tree-sitter';
import { isHostName } from '../../../common/host-name';
import type { Range } from '../engine/types';
import { certificateChecks, type CertificateCheck } from '../facts/certificate-checks';
import { pinSets } from '../facts/pin-sets';
import { descendants } from '../facts/tree';
import type { DraftFix, FixContext } from './context';
import { tsModuleMember } from './imports';
import { insertAtBlockTop } from './text';
import type { OffsetEdit } from './types';

export function pinCheckIgnoresHostFixes(context: FixContext): DraftFix[] {
  const check = certificateChecks(context.file).find((c) => context.isFindingNode(c.node));
  if (!check) return [];
  if (check.kind === 'checkServerIdentity') {
    const fix = tsCheckServerIdentityFix(context, check);
    return fix ? [fix] : [];
  }
  if (context.file.family === 'ts') return []; // a secureConnect handler has no host parameter to check against
  // Offered only where the edit can be made: tried with a stand-in host.
  if (!restrictToHostEdits(context, 'example.com')) return [];
  const suggestedHost = pinSets(context.file).find((s) => s.host && isHostName(s.host))?.host;
  return [{
    title: 'Restrict the check to a host…',
    preferred: true,
    input: { kind: 'restrictToHost', range: context.finding.range, ...(suggestedHost ? { suggestedHost } : {}) },
  }];
}

// ---------------------------------------------------------------- TS / JS

function tsCheckServerIdentityFix(context: FixContext, check: CertificateCheck): DraftFix | undefined {
  const fn = check.fn;
  const [host, cert] = fn?.params.map((p) => p.replace(/[?:].*$/s, '').trim()) ?? [];
  if (!fn || !host || !cert || !/^[\w$]+$/.test(host) || !/^[\w$]+$/.test(cert)) return undefined;
  const body = fn.block ?? fn.expression;
  if (!body) return undefined;
  const used = new Set(descendants(fn.node, 'identifier').map((i) => i.text));
  const error = ['err', 'identityError', 'hostError'].find((n) => !used.has(n));
  const tls = tsModuleMember(context, 'tls', 'checkServerIdentity', 'namespace');
  if (!error || !tls) return undefined;
  const lines = [`const ${error} = ${tls.expression}(${host}, ${cert});`, `if (${error}) return ${error};`];
  const { text, eol, indentUnit } = context;
  let edit: OffsetEdit | undefined;
  if (fn.block) {
    edit = insertAtBlockTop(text, fn.block, lines, eol, indentUnit);
  } else {
    // `(host, cert) => expr` becomes a block that checks the host name, then returns expr.
    const outer = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', fn.node.startIndex) + 1))![0];
    const inner = outer + indentUnit;
    const block = ['{', ...[...lines, `return ${body.text};`].map((l) => `${inner}${l}`), `${outer}}`].join(eol);
    edit = { start: body.startIndex, end: body.endIndex, text: block };
  }
  if (!edit) return undefined;
  return {
    title: `Check the host name first: const ${error} = ${tls.expression}(${host}, ${cert}); if (${error}) return ${error};`,
    preferred: true,
    edits: tls.edit ? [edit, tls.edit] : [edit],
  };
}

// ---------------------------------------------------------------- Dart and Swift: restrict to a host

/**
 * The edits that make the check at `range` reject every host but `host` before it compares pins:
 * Dart `if (host != 'x') return false;` (or `host == 'x' && (…)` for an expression body), Swift a
 * `guard` that cancels the challenge (or throws, in a trust evaluator). Undefined for shapes we do not know.
 */
export function restrictToHostEdits(context: FixContext, host: string, range: Range = context.finding.range): OffsetEdit[] | undefined {
  if (!isHostName(host)) return undefined;
  const start = context.file.offsetAt(range.start);
  const end = context.file.offsetAt(range.end);
  const check = certificateChecks(context.file).find((c) => c.node.startIndex === start && c.node.endIndex === end);
  if (!check) return undefined;
  const edit = context.file.family === 'dart' ? dartRestrict(context, check, host)
    : context.file.family === 'swift' ? swiftRestrict(context, check, host) : undefined;
  return edit ? [edit] : undefined;
}

/** Dart expression types that bind at least as tightly as `&&` on its right: no parentheses needed. */
const DART_TIGHT = new Set(['equality_expression', 'relational_expression', 'logical_and_expression', 'parenthesized_expression', 'identifier', 'unary_expression', 'type_test_expression', 'true', 'false']);

function dartRestrict(context: FixContext, check: CertificateCheck, host: string): OffsetEdit | undefined {
  const fn = check.fn;
  const hostParam = fn?.params[1];
  if (!fn || !hostParam || !/^[A-Za-z$][\w$]*$/.test(hostParam)) return undefined;
  const literal = `'${host}'`;
  if (fn.block) {
    return insertAtBlockTop(context.text, fn.block, [`if (${hostParam} != ${literal}) return false;`], context.eol, context.indentUnit);
  }
  // `=> expr`: the body's expression parts, without the arrow and the closing `;`.
  const body = fn.expression?.type === 'function_body' || fn.expression?.type === 'function_expression_body' ? fn.expression : fn.expression?.parent;
  const parts = body?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  if (!body || parts.length === 0 || !body.text.trimStart().startsWith('=>')) return undefined;
  const first = parts[0];
  const last = parts.at(-1)!;
  const expression = context.text.slice(first.startIndex, last.endIndex);
  const tight = parts.length > 1 ? parts.slice(1).every((p) => p.type === 'selector') : DART_TIGHT.has(first.type) || first.type.endsWith('literal');
  return { start: first.startIndex, end: last.endIndex, text: `${hostParam} == ${literal} && ${tight ? expression : `(${expression})`}` };
}

function swiftRestrict(context: FixContext, check: CertificateCheck, host: string): OffsetEdit | undefined {
  const fn = check.node;
  if (fn.type !== 'function_declaration') return undefined; // closures: their answer's shape varies
  const params = fn.namedChildren.filter((c): c is Node => c?.type === 'parameter');
  const literal = JSON.stringify(host);
  const { text, eol, indentUnit } = context;
  let guard: string[];
  if (check.kind === 'trustEvaluator') {
    const hostParam = params[1]?.childForFieldName('name')?.text;
    const header = text.slice(fn.startIndex, check.body.startIndex);
    if (!hostParam || !/\bthrows\b/.test(header)) return undefined;
    guard = [`guard ${hostParam} == ${literal} else { throw AFError.serverTrustEvaluationFailed(reason: .noRequiredEvaluator(host: ${hostParam})) }`];
  } else {
    const challenge = params.find((p) => /\bURLAuthenticationChallenge\b/.test(p.text))?.childForFieldName('name')?.text;
    if (!challenge) return undefined;
    const completion = params.find((p) => /AuthChallengeDisposition/.test(p.text))?.childForFieldName('name')?.text;
    const header = text.slice(fn.startIndex, check.body.startIndex);
    const answer = completion ? [`${completion}(.cancelAuthenticationChallenge, nil)`, 'return']
      : /->\s*\(\s*URLSession\.AuthChallengeDisposition/.test(header) ? ['return (.cancelAuthenticationChallenge, nil)'] : undefined;
    if (!answer) return undefined;
    guard = [`guard ${challenge}.protectionSpace.host == ${literal} else {`, ...answer.map((l) => `${indentUnit}${l}`), '}'];
  }
  return insertAtBlockTop(text, check.body, guard, eol, indentUnit);
}
