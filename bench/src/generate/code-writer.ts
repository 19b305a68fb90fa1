/** Lines with indentation, for the language generators. */
export class CodeWriter {
  readonly lines: string[] = [];
  private depth = 0;

  constructor(private readonly unit = '  ') {}

  line(text = ''): this {
    this.lines.push(text === '' ? '' : this.unit.repeat(this.depth) + text);
    return this;
  }

  /** `open` line, the body one level deeper, then `close`. */
  block(open: string, body: () => void, close = '}'): this {
    this.line(open);
    this.depth++;
    body();
    this.depth--;
    return this.line(close);
  }

  /** Lines of another snippet, each indented at the current depth. */
  raw(text: string): this {
    for (const l of text.replace(/\n$/, '').split('\n')) this.line(l);
    return this;
  }

  get length(): number {
    return this.lines.length;
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}
