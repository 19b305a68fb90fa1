import type { Range as TreeRange, Tree } from 'web-tree-sitter';
import type { Engine } from '../../server/src/engine/analyze';
import type { CodeGrammarId } from '../../server/src/engine/languages';

/**
 * `run` with the engine's partial parses set to `setting` (undefined: every file whole), and how
 * many parses of part of a text (included ranges) it made: the property tests that hold partial
 * parses to whole ones count them, so that the parts were real.
 */
export function withPartialParse<T>(engine: Engine, setting: Engine['partialParse'], run: () => T): { value: T; partialParses: number } {
  const before = engine.partialParse;
  const parse = engine.parsers.parse;
  let partialParses = 0;
  engine.partialParse = setting;
  engine.parsers.parse = function (grammar: CodeGrammarId, text: string, old?: Tree, limit?: number, ranges?: TreeRange[]) {
    if (ranges) partialParses++;
    return parse.call(this, grammar, text, old, limit, ranges);
  };
  try {
    return { value: run(), partialParses };
  } finally {
    engine.partialParse = before;
    engine.parsers.parse = parse;
  }
}
