import { pinSets } from '../facts/pin-sets';
import type { GrammarId } from '../engine/languages';
import type { Parsers } from '../engine/parser';
import { SourceFile } from '../engine/source-file';
import { parseSyntax } from '../engine/syntax';
import type { PinSet } from '../engine/workspace';

/** A file's current text parsed for editing its pin sets; `dispose()` frees the tree. */
export interface ParsedPinFile {
  file: SourceFile;
  pinSets: PinSet[];
  dispose(): void;
}

/**
 * Parses `text` afresh: edits must be computed against the text they apply to, not against the
 * facts of an earlier analysis.
 */
export function parsePinFile(parsers: Parsers, input: { id: string; relativePath: string; grammar: GrammarId; text: string }): ParsedPinFile {
  const tree = parseSyntax(parsers, input.grammar, input.text);
  const file = new SourceFile(input.id, input.relativePath, input.grammar, input.text, tree);
  return { file, pinSets: pinSets(file), dispose: () => tree.delete() };
}

/** Runs `use` on the parsed file and frees the tree afterwards. */
export function withParsedPinFile<T>(parsers: Parsers, input: Parameters<typeof parsePinFile>[1], use: (parsed: ParsedPinFile) => T): T {
  const parsed = parsePinFile(parsers, input);
  try {
    return use(parsed);
  } finally {
    parsed.dispose();
  }
}
