/** Fixes the models share: an option's value set to the safe one. */
import type { Node } from 'web-tree-sitter';
import type { OptionFix } from './model';

/** Replaces `value` (the option's value node) with `safe`: `Set validateHost: true`. */
export function setOption(value: Node, option: string, safe: string, separator = ': '): OptionFix {
  return { title: `Set ${option}${separator}${safe}`, edits: [{ start: value.startIndex, end: value.endIndex, text: safe }] };
}
