/**
 * Node's `https` / `tls` options, and the HTTP clients that pass them on (axios' `httpsAgent`,
 * got's `https: {…}`, undici's `connect: {…}`, `request`, `superagent`). Defaults are safe:
 * Node verifies the chain and the host name unless told otherwise.
 *
 * - `rejectUnauthorized: false` (any object, shorthand, `opts.rejectUnauthorized = false`) →
 *   accepts any certificate. It is the same option in every client, wherever it sits:
 *   `new https.Agent({…})`, got's `https: {…}`, undici's `new Agent({ connect: {…} })`. Not a
 *   server's (beside `requestCert`, or given to `createServer`), nor a client's that compares the
 *   peer's certificate by hand on `'secureConnect'`.
 * - `process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'` → the same, for the whole process.
 * - `checkServerIdentity` that never rejects (no path throws or returns an error) → any
 *   certificate is accepted for any host; beside a `ca` of the app's own (a self-signed peer
 *   it pins), any certificate that chains to it, for any host: the host is not checked.
 * - request's `strictSSL: false` → it sets `rejectUnauthorized: false` for the request.
 * - superagent's `.disableTLSCerts()` → the same, for that request.
 * - `rejectUnauthorized` set to a development-only value (`NODE_ENV === 'development'`) → off in
 *   every other build.
 * - An `https.Agent` with a `checkServerIdentity` handed to Node's own `fetch`, which takes no
 *   `agent` → the pins are not enforced.
 *
 * The fixes of the first three live in fixes/trust-all-certificates.ts (they offer two edits,
 * remove or set true); strictSSL and disableTLSCerts carry their own.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { isDebugValue } from '../facts/debug-guards';
import { returnValues } from '../facts/functions';
import { TS_FUNCTION_TYPES, tsAssignedProperty, tsConstantValue, tsFoldBoolean, tsFunction, tsIdentityCheckIsNoOp, tsPropertyName } from '../facts/ts';
import { descendants, descendantsAround, stringValue } from '../facts/tree';
import { removeStatement } from '../fixes/text';
import type { LibraryModel, TrustOption } from './model';

const PROPERTIES = ['rejectUnauthorized', 'NODE_TLS_REJECT_UNAUTHORIZED', 'checkServerIdentity', 'strictSSL'];
const DISABLE_TLS_CERTS = 'disableTLSCerts';

export const nodeTls: LibraryModel = {
  id: 'node-tls',
  name: 'Node https/tls (request, got, undici, superagent, axios)',
  family: 'ts',
  triggers: [...PROPERTIES, DISABLE_TLS_CERTS],
  effects: ['acceptsAnyCertificate', 'hostNotChecked', 'pinsNotEnforced'],
  trustOptions,
};

const PROPERTY_SITES = ['pair', 'shorthand_property_identifier', 'method_definition', 'assignment_expression'];

function trustOptions(file: SourceFile): TrustOption[] {
  const options: TrustOption[] = [];
  for (const node of descendantsAround(file.root, file.text, PROPERTY_SITES, PROPERTIES)) {
    const option = propertyOption(file, node);
    if (option) options.push(option);
  }
  for (const call of descendantsAround(file.root, file.text, ['call_expression'], [DISABLE_TLS_CERTS])) {
    const callee = call.childForFieldName('function');
    const method = callee?.type === 'member_expression' ? callee.childForFieldName('property') : undefined;
    if (method?.text !== DISABLE_TLS_CERTS) continue;
    options.push({
      effect: 'acceptsAnyCertificate', library: nodeTls.id, node: method,
      message: 'superagent\'s .disableTLSCerts() turns off certificate verification for this request: any certificate, so any man-in-the-middle, is accepted.',
      fix: removeFromChain(file, call, callee!),
    });
  }
  options.push(...agentsFetchIgnores(file));
  return options;
}

/**
 * A call of Node's own `fetch` (undici, Node 18+) with `{ agent }` in its options, which it does
 * not take: the agent's `checkServerIdentity` pin check never runs (a public health-check job).
 * Not when the file binds `fetch` itself (node-fetch and its wrappers do take an agent).
 */
function agentsFetchIgnores(file: SourceFile): TrustOption[] {
  const found: TrustOption[] = [];
  // From the `agent` properties, not the calls: a client file calls `fetch` hundreds of times
  // (`refetch`, `prefetch` too), and climbing from each cost an app-shape TS edit 15 ms.
  if (!file.text.includes('checkServerIdentity')) return found;
  let ownFetch: boolean | undefined;
  for (const agent of descendantsAround(file.root, file.text, ['pair', 'shorthand_property_identifier'], ['agent'])) {
    if (tsPropertyName(agent) !== 'agent' || !isFetchOptions(agent.parent)) continue;
    const value = agent.type === 'pair' ? agent.childForFieldName('value') : agent;
    if (!value || !isPinningAgent(file, value)) continue;
    if ((ownFetch ??= bindsFetch(file))) return [];
    found.push({
      effect: 'pinsNotEnforced', library: nodeTls.id, node: agent,
      message: 'Node\'s own fetch, undici\'s, takes no `agent` option: this agent\'s checkServerIdentity pin check never runs, and the request trusts any certificate the system does. Give fetch an undici Agent as `dispatcher` (with `connect: { checkServerIdentity }`), or use https.request with the agent.',
    });
  }
  return found;
}

/** Expressions that hold the value of their one operand: `x as T`, `x satisfies T`, `x!`, `(x)`. */
const TRANSPARENT = new Set(['as_expression', 'satisfies_expression', 'non_null_expression', 'parenthesized_expression']);

/** Whether `object` (through `as`, parentheses…) is the second argument of a call of `fetch`. */
function isFetchOptions(object: Node | null): boolean {
  if (object?.type !== 'object') return false;
  let argument: Node = object;
  while (argument.parent && TRANSPARENT.has(argument.parent.type)) argument = argument.parent;
  const args = argument.parent;
  const call = args?.type === 'arguments' ? args.parent : undefined;
  const position = args?.namedChildren.filter((a) => a?.type !== 'comment').findIndex((a) => a?.id === argument.id);
  return call?.type === 'call_expression' && position === 1 && /^(globalThis\.)?fetch$/.test(call.childForFieldName('function')?.text ?? '');
}

/** `import fetch from 'node-fetch'`, `const fetch = require('node-fetch')`, a function named `fetch`: a `fetch` of the file's own. */
function bindsFetch(file: SourceFile): boolean {
  return descendantsAround(file.root, file.text, ['import_specifier', 'import_clause', 'namespace_import', 'variable_declarator', 'function_declaration'], ['fetch']).some((n) => {
    if (n.type === 'import_clause') return n.namedChildren.some((c) => c?.type === 'identifier' && c.text === 'fetch');
    if (n.type === 'import_specifier') return (n.childForFieldName('alias') ?? n.childForFieldName('name'))?.text === 'fetch';
    if (n.type === 'namespace_import') return n.namedChildren.some((c) => c?.text === 'fetch');
    return n.childForFieldName('name')?.text === 'fetch';
  });
}

/** `new https.Agent({ checkServerIdentity… })`, directly, through a same-file constant or returned by a same-file function. */
function isPinningAgent(file: SourceFile, node: Node, depth = 0): boolean {
  const value = unwrapped(node);
  if (!value || depth > 4) return false;
  if (value.type === 'identifier' || value.type === 'shorthand_property_identifier') {
    const constant = tsConstantValue(file, value);
    return !!constant && isPinningAgent(file, constant, depth + 1);
  }
  if (value.type === 'call_expression') {
    const callee = value.childForFieldName('function');
    const fn = callee?.type === 'identifier' ? tsFunction(file, callee) : undefined;
    return !!fn && returnValues(fn).some((v) => !!v && isPinningAgent(file, v, depth + 1));
  }
  if (value.type !== 'new_expression' || !/(^|\.)Agent$/.test(value.childForFieldName('constructor')?.text ?? '')) return false;
  const options = unwrapped(value.childForFieldName('arguments')?.namedChildren.find((a) => a?.type !== 'comment') ?? undefined);
  return options?.type === 'object' && options.namedChildren.some((p) => !!p && tsPropertyName(p) === 'checkServerIdentity');
}

/** The expression under `as`, `satisfies`, `!` and parentheses. */
function unwrapped(node: Node | null | undefined): Node | undefined {
  let n = node ?? undefined;
  while (n && TRANSPARENT.has(n.type)) n = n.namedChildren[0] ?? undefined;
  return n;
}

/** `name: value`, `name`, `name() {…}` or `obj.name = value`, read as one of `PROPERTIES`. */
function propertyOption(file: SourceFile, node: Node): TrustOption | undefined {
  const name = node.type === 'assignment_expression' ? tsAssignedProperty(node) : tsPropertyName(node);
  const value = node.type === 'assignment_expression' ? node.childForFieldName('right')
    : node.type === 'pair' ? node.childForFieldName('value')
    : node;
  if (!name || !value) return undefined;
  const option = (message: string, fix?: TrustOption['fix']): TrustOption => ({ effect: 'acceptsAnyCertificate', library: nodeTls.id, node, message, fix });
  switch (name) {
    case 'rejectUnauthorized': {
      if (node.type === 'method_definition' || isServerOption(node) || checkedOnSecureConnect(node)) return undefined;
      if (tsFoldBoolean(file, value) === false) return option('rejectUnauthorized is false: TLS accepts any certificate, so any man-in-the-middle is trusted.');
      // `rejectUnauthorized: process.env.NODE_ENV === 'development'` (a public database helper):
      // the guard the other way round, verification on in development and off in production.
      const known = value.type === 'identifier' ? tsConstantValue(file, value) ?? value : value;
      return isDebugValue(file, known)
        ? option(`rejectUnauthorized is \`${known.text.replace(/\s+/g, ' ')}\`, true in development only: every other build, production too, accepts any certificate, so any man-in-the-middle is trusted.`)
        : undefined;
    }
    case 'NODE_TLS_REJECT_UNAUTHORIZED':
      return node.type === 'assignment_expression' && isProcessEnv(node) && isZero(value)
        ? option('NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate verification for every TLS connection of the process.')
        : undefined;
    case 'checkServerIdentity': {
      const fn = tsFunction(file, value);
      if (!fn || !tsIdentityCheckIsNoOp(file, fn)) return undefined;
      if (setsOwnCa(node)) {
        return {
          effect: 'hostNotChecked', library: nodeTls.id, node,
          message: 'checkServerIdentity never returns an error: a certificate that chains to this `ca` is accepted for any host name. With one self-signed certificate of your own that is a pin; with a CA that issues certificates to others, any of them passes for this host.',
        };
      }
      return option('checkServerIdentity never returns an error: the certificate is not checked against the host name, so any valid certificate for another host is accepted.');
    }
    case 'strictSSL':
      return node.type !== 'method_definition' && tsFoldBoolean(file, value) === false
        ? option('strictSSL is false: request sets rejectUnauthorized: false, so TLS accepts any certificate and any man-in-the-middle is trusted.', setStrictSsl(node, value))
        : undefined;
    default:
      return undefined;
  }
}

/**
 * A server's `rejectUnauthorized` (beside `requestCert`, or in what `createServer` /
 * `createSecureServer` is given): it is about client certificates, which the server then checks
 * itself (`req.socket.authorized`, a fingerprint allow-list), not about whom the app connects to.
 */
function isServerOption(property: Node): boolean {
  const object = property.parent;
  if (object?.type !== 'object') return false;
  if (sibling(property, 'requestCert')) return true;
  const call = object.parent?.type === 'arguments' ? object.parent.parent : undefined;
  const callee = call?.childForFieldName('function') ?? call?.childForFieldName('constructor');
  const name = callee?.type === 'member_expression' ? callee.childForFieldName('property')?.text : callee?.text;
  return !!name && SERVER_FACTORIES.test(name);
}

const SERVER_FACTORIES = /^(createServer|createSecureServer)$/;

/** The property `name` of the object literal that holds `property` (`requestCert`, `ca`). */
function sibling(property: Node, name: string): Node | undefined {
  const object = property.parent;
  if (object?.type !== 'object') return undefined;
  return object.namedChildren.find((p): p is Node => !!p && p.type !== 'comment' && tsPropertyName(p) === name);
}

/** Whether the options that hold `property` trust CAs of their own: `ca` set, and not to `[]`, `null` or `undefined`. */
function setsOwnCa(property: Node): boolean {
  const ca = sibling(property, 'ca');
  const value = ca?.type === 'pair' ? ca.childForFieldName('value') : ca;
  return !!value && !/^(\[\s*\]|null|undefined)$/.test(value.text);
}

/**
 * Whether the function that sets `rejectUnauthorized: false` compares the peer's certificate by
 * hand once the handshake is done, before anything is sent: in a `'secureConnect'` listener, or
 * `tls.connect`'s callback, `getPeerCertificate().fingerprint256 !== pinned` (a self-signed peer
 * paired once, as public Node apps pin one). A check anywhere later (a response handler) comes
 * after the request went out: still a finding.
 */
function checkedOnSecureConnect(property: Node): boolean {
  let fn: Node | null = property.parent;
  while (fn && !TS_FUNCTION_TYPES.includes(fn.type)) fn = fn.parent;
  if (!fn) return false;
  return descendants(fn, 'call_expression').some((call) => {
    const args = call.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a) ?? [];
    const listener = args.at(-1);
    if (!listener || !TS_FUNCTION_TYPES.includes(listener.type)) return false;
    const callee = call.childForFieldName('function');
    const method = callee?.type === 'member_expression' ? callee.childForFieldName('property')?.text : callee?.text;
    const onSecureConnect = (method === 'on' || method === 'once') && args[0] && stringValue(args[0]) === 'secureConnect';
    return (onSecureConnect || method === 'connect') && comparesPeerCertificate(listener);
  });
}

/**
 * `getPeerCertificate()` read, and a fingerprint, key or DER compared with `===`/`!==` in `fn`
 * on every call: not only when a pin was given (`if (this.fingerprint) { if (fp !== …) … }`).
 */
function comparesPeerCertificate(fn: Node): boolean {
  if (!fn.text.includes('getPeerCertificate')) return false;
  return descendants(fn, 'binary_expression').some((b) => {
    const operator = b.childForFieldName('operator')?.text;
    return (operator === '===' || operator === '!==' || operator === '==' || operator === '!=') && /fingerprint|pubkey|\.raw\b/.test(b.text) && alwaysEvaluated(b, fn);
  });
}

/** Whether `node` runs whenever `fn` does: in no branch of an `if` or `?:`, nor right of `&&`/`||`. */
function alwaysEvaluated(node: Node, fn: Node): boolean {
  let child = node;
  for (let a = node.parent; a && a.id !== fn.id; child = a, a = a.parent) {
    const condition = a.type === 'if_statement' || a.type === 'ternary_expression' ? a.childForFieldName('condition') : undefined;
    if (condition !== undefined && condition?.id !== child.id) return false;
    if (a.type === 'binary_expression' && /^(&&|\|\||\?\?)$/.test(a.childForFieldName('operator')?.text ?? '') && a.childForFieldName('left')?.id !== child.id) return false;
  }
  return true;
}

function setStrictSsl(node: Node, value: Node): TrustOption['fix'] {
  const text = node.type === 'shorthand_property_identifier' ? 'strictSSL: true' : 'true';
  return { title: 'Set strictSSL: true (certificates are verified again)', edits: [{ start: value.startIndex, end: value.endIndex, text }] };
}

/** `req.get(url).disableTLSCerts().end()` → `req.get(url).end()`; `req.disableTLSCerts();` → the statement goes. */
function removeFromChain(file: SourceFile, call: Node, callee: Node): TrustOption['fix'] {
  const receiver = callee.childForFieldName('object');
  if (!receiver) return undefined;
  const title = 'Remove .disableTLSCerts(): superagent verifies certificates again';
  if (call.parent?.type === 'expression_statement' && receiver.type === 'identifier') {
    const edit = removeStatement(file.text, call.parent);
    return edit && { title, edits: [edit] };
  }
  return { title, edits: [{ start: receiver.endIndex, end: call.endIndex, text: '' }] };
}

function isProcessEnv(assignment: Node): boolean {
  const left = assignment.childForFieldName('left');
  const object = left?.childForFieldName('object');
  return object?.text.replace(/\s/g, '') === 'process.env';
}

function isZero(value: Node): boolean {
  if (value.type === 'number') return Number(value.text) === 0;
  return value.type === 'string' && stringValue(value) === '0';
}
