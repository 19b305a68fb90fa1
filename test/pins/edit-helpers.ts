// Shared by the pin-edit tests: parse a text, apply the edits the server would send, re-read pin sets.
import { randomBytes } from 'node:crypto';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { GrammarId } from '../../server/src/engine/languages';
import type { PinSet } from '../../server/src/engine/workspace';
import type { TextEditLike } from '../../server/src/pins/append-element';
import { withParsedPinFile, type ParsedPinFile } from '../../server/src/pins/parsed-pin-file';
import { sharedEngine } from '../helpers/engine';

/** A fresh base64 SHA-256-sized value: a pin no fixture holds. */
export function randomPin(): string {
  return randomBytes(32).toString('base64');
}

export const EXTENSION: Record<GrammarId, string> = { dart: 'dart', swift: 'swift', typescript: 'ts', tsx: 'tsx', javascript: 'js', xml: 'xml' };

export async function withParsed<T>(grammar: GrammarId, text: string, use: (parsed: ParsedPinFile) => T): Promise<T> {
  const { parsers } = await sharedEngine();
  const id = `/workspace/pins.${EXTENSION[grammar]}`;
  return withParsedPinFile(parsers, { id, relativePath: `pins.${EXTENSION[grammar]}`, grammar, text }, use);
}

export function applyEdits(text: string, edits: readonly TextEditLike[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'plaintext', 1, text), [...edits]);
}

export async function pinSetsOf(grammar: GrammarId, text: string): Promise<PinSet[]> {
  return withParsed(grammar, text, (parsed) => parsed.pinSets);
}
