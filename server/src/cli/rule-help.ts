/**
 * What code scanning shows for a rule: its doc page as help (markdown, and as plain text) and the
 * tags, score and precision of its security metadata.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Rule } from '../engine/rule';

/** docs/rules beside the bundle (dist/ in the package) or the compiled sources (out/ in a clone). */
function rulesDocsDir(): string | undefined {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'docs', 'rules');
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

const docsDir = rulesDocsDir();

/** The rule's doc page, or its one-line description with the link where the page is not shipped. */
export function ruleHelp(rule: Rule): { text: string; markdown: string } {
  let markdown: string;
  try {
    markdown = fs.readFileSync(path.join(docsDir ?? '', `${rule.meta.id}.md`), 'utf8');
  } catch {
    markdown = `${rule.meta.description}\n\n[Documentation](${rule.meta.docsUrl})`;
  }
  return { text: plainText(markdown), markdown };
}

export function ruleTags(rule: Rule): string[] {
  const { cwe, masvs } = rule.meta.security;
  return ['security', ...cwe.map((n) => `external/cwe/cwe-${n}`), ...masvs.map((m) => `external/owasp-masvs/${m.toLowerCase()}`)];
}

/** Markdown as a reader would see it, for viewers that show help.text only. */
function plainText(markdown: string): string {
  return markdown
    .replace(/^#+\s*/gm, '')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
    .replace(/^```\w*\n/gm, '')
    .trim();
}
