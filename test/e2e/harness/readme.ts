// The editor configurations are tested exactly as README.md prints them: the checks extract the
// code blocks from its "Other editors" section instead of keeping a copy.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const OTHER_EDITORS_HEADING = '## Other editors';

/** The first fenced block of `language` in the README's "Other editors" section; throws if absent. */
export function readmeCodeBlock(repoRoot: string, language: string): string {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n${OTHER_EDITORS_HEADING}\n`);
  if (start < 0) throw new Error(`README.md has no "${OTHER_EDITORS_HEADING}" section`);
  const next = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, next < 0 ? undefined : next);
  const block = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'm').exec(section);
  if (!block) throw new Error(`README.md's "${OTHER_EDITORS_HEADING}" section has no \`\`\`${language} block`);
  return block[1];
}

/** Writes the block to `folder/name` and returns its path. */
export function writeReadmeCodeBlock(repoRoot: string, language: string, folder: string, name: string): string {
  const file = path.join(folder, name);
  fs.writeFileSync(file, readmeCodeBlock(repoRoot, language));
  return file;
}
