import type { PinningSnippet } from './pinning';

/** Splices pinning code into a file: its imports after the file's imports, its body after those. */
export function splice(text: string, snippet: PinningSnippet, commonJs: boolean): string {
  let { imports, body } = snippet;
  if (commonJs) {
    imports = imports.map((l) => l.replace(/^import \* as (\w+) from ('[^']+');$/, 'const $1 = require($2);'));
    body = body.replace(/^export /gm, '');
  }
  const lines = text.split('\n');
  let at = 0;
  while (at < lines.length && /^(import |const \w+ = require|const \{[^}]*\} = require)/.test(lines[at])) at++;
  const known = new Set(lines.slice(0, at));
  const added = imports.filter((l) => !known.has(l));
  return [...lines.slice(0, at), ...added, '', ...body.split('\n'), ...lines.slice(at)].join('\n');
}

/** Pinning code at the top level half way down (after a blank line between declarations). */
export function spliceMiddle(text: string, snippet: PinningSnippet): string {
  const lines = text.split('\n');
  let at = Math.floor(lines.length / 2);
  while (at < lines.length && !(lines[at] === '' && /^[})]/.test(lines[at - 1] ?? ''))) at++;
  const importsEnd = lines.findIndex((l) => l !== '' && !l.startsWith('import '));
  const head = lines.slice(0, importsEnd);
  const known = new Set(head);
  return [
    ...head, ...snippet.imports.filter((l) => !known.has(l)), ...lines.slice(importsEnd, at), '', ...snippet.body.split('\n'), ...lines.slice(at),
  ].join('\n');
}
