import * as assert from 'node:assert/strict';

/** For assert.rejects/throws: an Error whose message matches `pattern` and has no line break. */
export function oneLineError(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
    assert.doesNotMatch(error.message, /\n/, 'error message spans lines');
    assert.match(error.message, pattern);
    return true;
  };
}
