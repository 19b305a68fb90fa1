import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDirectory } from '../engine/path-kind';
import { lineComment } from './append-element';

/** What a new pins file is written in; `js` is the TS family without type annotations. */
export type PinsFileLanguage = 'dart' | 'swift' | 'ts' | 'js';

export interface PinsFilePlan {
  /** Absolute path. */
  path: string;
  language: PinsFileLanguage;
}

const LANGUAGE_BY_EXTENSION: Record<string, PinsFileLanguage> = {
  '.dart': 'dart',
  '.swift': 'swift',
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'ts',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'js',
};

/**
 * Where a workspace folder's pins file goes. `configured` (the `pinningAudit.pinsFile` setting,
 * relative to the folder) wins; otherwise the project kind decides: Flutter/Dart
 * `lib/core/security/ssl_pins.dart`, SwiftPM `Sources/<Target>/SSLPins.swift`, an Xcode project
 * `<App>/SSLPins.swift`, anything else `src/security/pins.ts`.
 */
export function planPinsFile(folder: string, configured?: string): PinsFilePlan {
  if (configured && configured.trim() !== '') {
    const file = path.resolve(folder, configured.trim());
    const language = LANGUAGE_BY_EXTENSION[path.extname(file).toLowerCase()];
    if (!language) throw new Error(`pinningAudit.pinsFile '${configured}' must end in .dart, .swift, .ts or .js`);
    return { path: file, language };
  }
  const entries = safeReaddir(folder);
  if (entries.includes('pubspec.yaml')) return { path: path.join(folder, 'lib', 'core', 'security', 'ssl_pins.dart'), language: 'dart' };
  if (entries.includes('Package.swift')) {
    const sources = path.join(folder, 'Sources');
    const targets = safeReaddir(sources).filter((name) => isDirectory(path.join(sources, name)) && !/Tests$/.test(name));
    return { path: path.join(sources, targets[0] ?? path.basename(folder), 'SSLPins.swift'), language: 'swift' };
  }
  const project = entries.find((name) => name.endsWith('.xcodeproj'));
  if (project) {
    const appFolder = path.join(folder, project.slice(0, -'.xcodeproj'.length));
    return { path: path.join(isDirectory(appFolder) ? appFolder : folder, 'SSLPins.swift'), language: 'swift' };
  }
  return { path: path.join(folder, 'src', 'security', 'pins.ts'), language: 'ts' };
}

const HEADER = [
  'SPKI pins: base64 SHA-256 of each server key\'s SubjectPublicKeyInfo.',
  'Keep two per host, the key in use and a backup key, so that a key rotation',
  'does not lock installed builds out.',
];

/**
 * A pins file holding `pin`: a map keyed by `host` when there is one, a plain set otherwise.
 * Every shape here is one the audit recognizes as a pin set.
 */
export function pinsFileText(language: PinsFileLanguage, pin: string, host: string | undefined, eol = '\n', note?: string): string {
  // A backup key's pin keeps the comment that records it (see insertPinEdits).
  const tail = note === undefined ? '' : ` ${lineComment(note)}`;
  const lines = (() => {
    switch (language) {
      case 'dart':
        return [
          ...HEADER.map((l) => `/// ${l}`),
          ...(host
            ? ['const Map<String, Set<String>> sslPinsByHost = {', `  '${host}': {`, `    '${pin}',${tail}`, '  },', '};']
            : ['const Set<String> sslPins = {', `  '${pin}',${tail}`, '};']),
        ];
      case 'swift':
        return [
          ...HEADER.map((l) => `/// ${l}`),
          'enum SSLPins {',
          ...(host
            ? ['    static let byHost: [String: Set<String>] = [', `        "${host}": [`, `            "${pin}",${tail}`, '        ],', '    ]']
            : ['    static let all: Set<String> = [', `        "${pin}",${tail}`, '    ]']),
          '}',
        ];
      case 'ts':
      case 'js': {
        const typed = language === 'ts';
        return [
          '/**',
          ...HEADER.map((l) => ` * ${l}`),
          ' */',
          ...(host
            ? [`export const PINS${typed ? ': Record<string, readonly string[]>' : ''} = {`, `  '${host}': [`, `    '${pin}',${tail}`, '  ],', '};']
            : [`export const PINS${typed ? ': readonly string[]' : ''} = [`, `  '${pin}',${tail}`, '];']),
        ];
      }
    }
  })();
  return lines.join(eol) + eol;
}

function safeReaddir(folder: string): string[] {
  try {
    return fs.readdirSync(folder).sort();
  } catch {
    return [];
  }
}

