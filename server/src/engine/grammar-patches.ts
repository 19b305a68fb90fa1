/**
 * A one-byte fix to the prebuilt Swift grammar, applied to its bytes before they are loaded.
 *
 * tree-sitter-swift's scanner allocates its state (4 bytes: the `#` count of an open raw
 * string) with `calloc(0, sizeof(struct ScannerState))`: zero bytes, so nothing is cleared.
 * Tree-sitter creates the scanner at the start of every parse. The first parse in a process
 * gets fresh, zeroed memory; every later one gets a recycled chunk whose first word is a
 * free-list pointer, which the scanner reads as "inside a raw string with that many `#`". In
 * error recovery it then reads on to the end of the file at every token: a 5,000-line file was
 * read 4,217 times instead of 64 and took 467 ms instead of 75 ms (quadratic in file size),
 * and an incremental re-parse after one keystroke 60 ms instead of 1 ms. The create function's
 * body is exactly `calloc(0, 4)`; this turns it into `calloc(1, 4)`.
 */

const SWIFT_SCANNER_CREATE = 'tree_sitter_swift_external_scanner_create';
/** No locals; i32.const 0; i32.const 4; call (the index follows); … */
const CALLOC_ZERO_FOUR = [0x00, 0x41, 0x00, 0x41, 0x04, 0x10];
/** Offset in the body of the `0` (element count) that becomes `1`. */
const COUNT_OFFSET = 2;

export type PatchOutcome = { patched: true; bytes: Uint8Array } | { patched: false; bytes: Uint8Array; reason: string };

/**
 * The Swift grammar's bytes with the scanner state allocated and cleared; other bytes are returned
 * as they are. Patched in place: the bytes are read for one load, and a copy of the 3 MB grammar
 * (`Uint8Array.from`) took 12 ms of every thread's first Swift parse.
 */
export function patchSwiftScannerState(bytes: Uint8Array): PatchOutcome {
  const body = functionBody(bytes, SWIFT_SCANNER_CREATE);
  if (!body) return { patched: false, bytes, reason: `no exported function ${SWIFT_SCANNER_CREATE}` };
  const matches = CALLOC_ZERO_FOUR.every((b, i) => bytes[body.start + i] === b);
  if (!matches) return { patched: false, bytes, reason: `${SWIFT_SCANNER_CREATE} is not calloc(0, 4) in this build` };
  bytes[body.start + COUNT_OFFSET] = 0x01;
  return { patched: true, bytes };
}

/** Where the code of an exported function lies in a wasm binary, from its export, import and code sections. */
function functionBody(bytes: Uint8Array, exportName: string): { start: number; end: number } | undefined {
  let pos = 8; // magic and version
  const u32 = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[pos++];
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  };
  const name = (): string => {
    const length = u32();
    pos += length;
    return Buffer.from(bytes.buffer, bytes.byteOffset + pos - length, length).toString('utf8');
  };
  let importedFunctions = 0;
  let exported: number | undefined;
  let code: { start: number; end: number } | undefined;
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = u32();
    const start = pos;
    if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        name();
        name();
        const kind = bytes[pos++];
        if (kind === 0) {
          u32();
          importedFunctions++;
        } else if (kind === 1) {
          pos++; // element type
          if (u32() & 1) u32();
          u32();
        } else if (kind === 2) {
          if (u32() & 1) u32();
          u32();
        } else if (kind === 3) {
          pos += 2; // value type, mutability
        } else {
          return undefined; // tags or a newer kind: not a binary this knows how to read
        }
      }
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const exportedName = name();
        const kind = bytes[pos++];
        const index = u32();
        if (kind === 0 && exportedName === exportName) exported = index;
      }
    } else if (id === 10) {
      code = { start, end: start + size };
    }
    pos = start + size;
  }
  if (exported === undefined || !code || exported < importedFunctions) return undefined;
  pos = code.start;
  const count = u32();
  for (let i = 0; i < count; i++) {
    const size = u32();
    if (i === exported - importedFunctions) return { start: pos, end: pos + size };
    pos += size;
  }
  return undefined;
}
