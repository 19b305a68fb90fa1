/**
 * Dio (Dart): where an adapter builds its `HttpClient`, and what checks the certificate then.
 *
 * - Dio 5: `IOHttpClientAdapter(createHttpClient: …, validateCertificate: …)`, or the same two
 *   assigned on the adapter (`adapter.createHttpClient = …`, `(dio.httpClientAdapter as
 *   IOHttpClientAdapter).validateCertificate = …`, `adapter..createHttpClient = …`).
 *   Dio runs `validateCertificate(cert, host, port)` after every handshake, on the leaf.
 * - Dio 4: `(dio.httpClientAdapter as DefaultHttpClientAdapter).onHttpClientCreate = (client) {…}`,
 *   which gets the adapter's default `HttpClient()` (system roots) and has no validateCertificate.
 *
 * Dio's documented pinning pattern builds `HttpClient(context: SecurityContext(withTrustedRoots:
 * false))`, lets its `badCertificateCallback` accept the chain (nothing is trusted, so every
 * certificate reaches it), and checks the leaf against pins in `validateCertificate`: the
 * accept-all callback there is no trust-all. The rules ask these helpers rather than know Dio.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { dartBuildsRootlessContext } from '../facts/certificate-checks';
import {
  dartAcceptsAnyCertificate, dartCallbackBindings, dartRejectsEveryCertificate, dartEnclosingFunctionName, dartFunction, type DartCallbackBinding,
} from '../facts/dart';
import { usesName } from '../facts/functions';
import { ancestors, contains, descendantsAround } from '../facts/tree';

const BUILDERS = ['createHttpClient', 'onHttpClientCreate'] as const;
type Builder = typeof BUILDERS[number];

/** A Dio adapter's client builder around some code, with the adapter's `validateCertificate`. */
export interface DioAdapter {
  builder: Builder;
  /** What the builder runs: the whole binding of a literal (the grammar may split `=> HttpClient()..x = y`), or a named function's body. */
  body?: Node;
  /** The adapter's `validateCertificate` binding, when it has one. */
  validate?: DartCallbackBinding;
}

/**
 * When `site` sits in a Dio adapter's client builder — `IOHttpClientAdapter(createHttpClient: …)`,
 * `adapter.createHttpClient = …`, `..createHttpClient = …`, Dio 4's `onHttpClientCreate`, or a
 * same-file function passed as `createHttpClient: _build` — that builder and the adapter's
 * `validateCertificate`.
 */
export function dioAdapterAround(file: SourceFile, site: Node): DioAdapter | undefined {
  const validations = dartCallbackBindings(file).filter((b) => b.name === 'validateCertificate');
  for (const a of ancestors(site)) {
    const builder = builderBoundAt(a);
    if (!builder) continue;
    if (a.type === 'named_argument') {
      const list = a.parent;
      return { builder, body: a, validate: validations.find((v) => v.site.parent?.id === list?.id) };
    }
    return { builder, body: a, validate: validations.find((v) => sameTarget(v.site, a)) };
  }
  // A same-file function bound by name: `createHttpClient: _build`, `adapter.createHttpClient = _build`.
  const functionName = dartEnclosingFunctionName(site);
  const binding = functionName ? builderBindings(file).find((b) => b.value === functionName) : undefined;
  if (!binding) return undefined;
  const fn = dartFunction(file, binding.valueNode);
  const validate = binding.site.type === 'named_argument'
    ? validations.find((v) => v.site.parent?.id === binding.site.parent?.id)
    : validations.find((v) => sameTarget(v.site, binding.site));
  return { builder: binding.builder, body: fn?.block ?? fn?.expression, validate };
}

/** The file's builders bound to a function's name, found from the builder words. */
function builderBindings(file: SourceFile): { builder: Builder; site: Node; value: string; valueNode: Node }[] {
  return file.fact('dio.builderBindings', () =>
    descendantsAround(file.root, file.text, ['named_argument', 'assignment_expression', 'cascade_section'], BUILDERS).flatMap((site) => {
      const builder = builderBoundAt(site);
      const value = site.namedChildren.filter((c): c is Node => !!c && !['label', 'comment', 'cascade_selector', 'assignable_expression'].includes(c.type));
      return builder && value.length === 1 && value[0].type === 'identifier' ? [{ builder, site, value: value[0].text, valueNode: value[0] }] : [];
    }));
}

/** `createHttpClient: …`, `x.createHttpClient = …`, `..onHttpClientCreate = …`: the builder bound there. */
function builderBoundAt(node: Node): Builder | undefined {
  let name: string | undefined;
  if (node.type === 'named_argument') name = node.namedChildren[0]?.type === 'label' ? node.namedChildren[0].text.replace(/\s*:$/, '') : undefined;
  else if (node.type === 'cascade_section') name = node.namedChildren[0]?.type === 'cascade_selector' ? node.namedChildren[0].text.replace(/^\?/, '') : undefined;
  else if (node.type === 'assignment_expression') {
    const selector = node.childForFieldName('left')?.namedChildren.at(-1);
    name = selector?.type === 'unconditional_assignable_selector' ? selector.namedChildren[0]?.text : undefined;
  }
  return BUILDERS.find((b) => b === name);
}

/**
 * Two bindings on the same object: `x.a = …; x.b = …` (same receiver text, in the same block) or
 * one cascade `x..a = …..b = …`.
 */
function sameTarget(a: Node, b: Node): boolean {
  if (a.type === 'cascade_section' && b.type === 'cascade_section') return a.parent?.id === b.parent?.id;
  if (a.type !== 'assignment_expression' || b.type !== 'assignment_expression') return false;
  if (enclosingBlock(a)?.id !== enclosingBlock(b)?.id) return false;
  const receiver = (site: Node) => {
    const parts = site.childForFieldName('left')?.namedChildren.filter((c): c is Node => !!c) ?? [];
    return parts.slice(0, -1).map((p) => p.text).join('').replace(/\s+/g, '');
  };
  return receiver(a) !== '' && receiver(a) === receiver(b);
}

/**
 * Dio's documented pattern around a `badCertificateCallback`: the builder has no trusted roots,
 * and the adapter's `validateCertificate` reads the certificate and does not accept everything.
 */
export function isDioDocumentedPattern(file: SourceFile, binding: DartCallbackBinding): boolean {
  const adapter = dioAdapterAround(file, binding.site);
  if (!adapter?.body || !adapter.validate || !dartBuildsRootlessContext(file, adapter.body)) return false;
  const validate = dartFunction(file, adapter.validate.value);
  const certificate = validate?.params[0];
  return !!validate && !!certificate && usesName(validate, certificate, ['identifier']) && dartAcceptsAnyCertificate(file, validate) === undefined;
}

/**
 * Dio calls `validateCertificate` after the handshake. The TLS layer has checked the host name
 * when the adapter's client keeps the system roots and has no `badCertificateCallback` that can
 * accept a certificate (Dio's default client included). With no trusted roots it is Dio's
 * documented pattern, where `validateCertificate` is the check. Builders we cannot see count as
 * verified: we say nothing.
 */
export function dioValidatesAfterHostnameCheck(file: SourceFile, validate: DartCallbackBinding): boolean {
  const builder = dioBuilderBeside(file, validate);
  if (!builder) return true;
  const value = builder.namedChildren.filter((c): c is Node => !!c && c.type !== 'label' && c.type !== 'comment' && c.type !== 'cascade_selector' && c.type !== 'assignable_expression');
  // A builder bound by name is followed to its body; a literal is the whole binding.
  const named = value.length === 1 && value[0].type === 'identifier' ? dartFunction(file, value[0]) : undefined;
  const body = named ? named.block ?? named.expression : value.length === 1 && value[0].type === 'identifier' ? undefined : builder;
  if (!body) return true;
  if (dartBuildsRootlessContext(file, body)) return true;
  // A callback that accepts nothing (one that only logs the rejection) undoes no check.
  const acceptsSome = (b: DartCallbackBinding) => {
    const fn = dartFunction(file, b.value);
    return !fn || !dartRejectsEveryCertificate(fn);
  };
  return !dartCallbackBindings(file).some((b) => b.name === 'badCertificateCallback' && contains(body, b.site) && acceptsSome(b));
}

/** The `createHttpClient` bound beside a `validateCertificate`: in the same argument list, or on the same adapter. */
function dioBuilderBeside(file: SourceFile, validate: DartCallbackBinding): Node | undefined {
  const { site } = validate;
  if (site.type === 'named_argument' && site.parent?.type === 'arguments') {
    return site.parent.namedChildren.find((c): c is Node => c?.type === 'named_argument' && builderBoundAt(c) === 'createHttpClient');
  }
  if (site.type !== 'assignment_expression' && site.type !== 'cascade_section') return undefined;
  const holder = site.type === 'cascade_section' ? site.parent : enclosingBlock(site);
  if (!holder) return undefined;
  const candidates = site.type === 'cascade_section'
    ? holder.namedChildren.filter((c): c is Node => c?.type === 'cascade_section')
    : holder.namedChildren.flatMap((s) => s?.type === 'expression_statement' ? s.namedChildren.filter((c): c is Node => c?.type === 'assignment_expression') : []);
  return candidates.find((c) => builderBoundAt(c) === 'createHttpClient' && sameTarget(c, site));
}

function enclosingBlock(node: Node): Node | undefined {
  for (const a of ancestors(node)) if (a.type === 'block') return a;
  return undefined;
}
