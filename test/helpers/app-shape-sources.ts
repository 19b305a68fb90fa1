import { dartAppFile } from '../../bench/src/generate/app-dart';
import { swiftAppFile } from '../../bench/src/generate/app-swift';
import { tsAppFile } from '../../bench/src/generate/app-typescript';
import { dartPinning, swiftPinning, tsPinning, type PinningSnippet } from '../../bench/src/generate/pinning';
import { splice, spliceMiddle } from '../../bench/src/generate/splice';
import { ENTITIES } from '../../bench/src/generate/vocabulary';
import { Random } from '../../bench/src/random';
import type { FuzzSource } from '../reliability/fuzz/cases';

/**
 * Files in the benchmark's real-app shape (one class of many members, names like `pinCode` and
 * `imageHash` among them), with pinning code spliced in at the top, in the middle, or, in Dart
 * and Swift, as members of the class itself.
 */
export function appShapeSources(count = 10): FuzzSource[] {
  const sources: FuzzSource[] = [];
  for (let i = 0; i < count; i++) {
    const random = new Random(`app-shape-sources:${i}`);
    const entity = random.pick(ENTITIES);
    const lines = random.int(150, 1200);
    const place = (['top', 'middle', 'member'] as const)[i % 3];
    const dart = dartAppFile(random, random.pick(['screen', 'controller', 'repository'] as const), entity, lines, 'flutter_app');
    const swift = swiftAppFile(random, random.pick(['viewModel', 'viewController', 'service'] as const), entity, lines);
    const tsRole = random.pick(['screen', 'store', 'service'] as const);
    const ts = tsAppFile(random, tsRole, entity, lines);
    sources.push(
      { grammar: 'dart', relativePath: `app/${entity}_${i}.dart`, text: placed(dart, dartPinning(random), place, false) },
      { grammar: 'swift', relativePath: `app/${entity}${i}.swift`, text: placed(swift, swiftPinning(random), place, true) },
      {
        grammar: tsRole === 'screen' ? 'tsx' : 'typescript',
        relativePath: `app/${entity}${i}.${tsRole === 'screen' ? 'tsx' : 'ts'}`,
        text: placed(ts, tsPinning(random, true), place === 'member' ? 'middle' : place, false),
      },
    );
  }
  return sources;
}

/** `nestsTypes`: the language has types inside types (Swift); in Dart a snippet with a class stays at the top level. */
function placed(text: string, snippet: PinningSnippet, place: 'top' | 'middle' | 'member', nestsTypes: boolean): string {
  if (place === 'top') return splice(text, snippet, false);
  if (place === 'middle' || (!nestsTypes && /^(class|enum|mixin|extension) /m.test(snippet.body))) return spliceMiddle(text, snippet);
  return spliceIntoClass(text, snippet);
}

/** The snippet's code as members of the file's class, half-way down it (after a member's closing `  }`). */
function spliceIntoClass(text: string, snippet: PinningSnippet): string {
  const lines = text.split('\n');
  let at = Math.floor(lines.length / 2);
  while (at < lines.length && lines[at - 1] !== '  }') at++;
  const members = snippet.body.split('\n').map((l) => (l === '' ? l : `  ${l}`));
  const importsEnd = lines.findIndex((l) => l !== '' && !l.startsWith('import '));
  const known = new Set(lines.slice(0, importsEnd));
  return [...lines.slice(0, importsEnd), ...snippet.imports.filter((l) => !known.has(l)), ...lines.slice(importsEnd, at), '', ...members, ...lines.slice(at)].join('\n');
}
