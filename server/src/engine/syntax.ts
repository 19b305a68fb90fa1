import type { Range as TreeRange, Tree } from 'web-tree-sitter';
import { parseXml, XmlDocument } from '../platform/xml';
import type { GrammarId } from './languages';
import type { Parsers } from './parser';

/** What a file parses to: a tree-sitter tree for code, a positioned XML document for platform configs. */
export type SyntaxTree = Tree | XmlDocument;

/**
 * Parses `text` as `grammar` (incrementally from `old` for code, or only `ranges` of it). Throws
 * an UnparsableFileError when the file cannot be audited: a parse over the time limit, malformed XML.
 */
export function parseSyntax(parsers: Parsers, grammar: GrammarId, text: string, old?: SyntaxTree, ranges?: TreeRange[]): SyntaxTree {
  if (grammar === 'xml') return parseXml(text);
  return parsers.parse(grammar, text, old instanceof XmlDocument ? undefined : old, undefined, ranges);
}

/** The tree-sitter tree, or undefined for an XML document. */
export function codeTree(tree: SyntaxTree | undefined): Tree | undefined {
  return tree instanceof XmlDocument ? undefined : tree;
}
