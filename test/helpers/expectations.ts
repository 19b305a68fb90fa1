/** One `// expect: rule-id@level` mark: the finding must start on this 0-based line. */
export interface Expectation {
  line: number;
  ruleId: string;
  level: string;
}

const EXPECT = /(?:\/\/|<!--)\s*expect:\s*(.+?)\s*(?:-->.*)?$/;

/** Reads the inline expectations of a fixture: `// expect: a@error, b@warning` (in XML `<!-- expect: … -->`) on the construct's line. */
export function readExpectations(text: string): Expectation[] {
  const found: Expectation[] = [];
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    const m = EXPECT.exec(line);
    if (!m) return;
    for (const item of m[1].split(',')) {
      const [ruleId, level] = item.trim().split('@');
      if (!ruleId || !level) throw new Error(`line ${index + 1}: malformed expectation "${item.trim()}"`);
      found.push({ line: index, ruleId, level });
    }
  });
  return found;
}

export function formatExpectation(e: Expectation): string {
  return `${e.line + 1}: ${e.ruleId}@${e.level}`;
}
