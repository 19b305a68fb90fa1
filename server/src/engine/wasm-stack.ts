/**
 * web-tree-sitter's C code keeps its call stack in wasm memory: 64 KB, unguarded, just above the
 * static data. Some broken input recurses deeper than that in error recovery (Swift: 2,300
 * unclosed `f(` before an unterminated `"""`); the overflow overwrites static data, and every
 * later parse in the process fails with "memory access out of bounds". On an 8 MB block the
 * stack outlasts V8's own stack limit (about 215 KB of C stack at Node's default), whose
 * overflow is a clean RangeError that Parsers recovers from.
 */
export const WASM_STACK_BYTES = 8 * 1024 * 1024;

export interface WasmStack {
  /** Resets the stack pointer to the block's top, after an exception unwound wasm frames. */
  restore(): void;
}

// The parts of the WebAssembly API used here (the project's `lib` has no WebAssembly types).
interface WasmGlobal {
  value: number;
}
type WasmImports = Record<string, Record<string, unknown> | undefined>;
interface WasmApi {
  Global: abstract new (...args: never[]) => WasmGlobal;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: WasmImports) => object;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Compiles a .wasm synchronously (Node allows it on any thread, whatever the size). */
export function compileWasm(bytes: Uint8Array): object {
  return new wasm.Module(bytes);
}

type InstantiateCallback = (instance: object, module: object) => void;

/**
 * Options for `Parser.init` that instantiate the runtime themselves, to get hold of its stack
 * pointer (an import: grammars, loaded as side modules, share it); `relocate()` then moves the
 * stack. Undefined from `relocate()` when this runtime build offers no stack pointer.
 */
export function relocatableStackModule(wasmBinary: Uint8Array): { options: object; relocate(): WasmStack | undefined } {
  let stackPointer: WasmGlobal | undefined;
  const options: Record<string, unknown> = {
    wasmBinary,
    instantiateWasm(imports: WasmImports, done: InstantiateCallback): object {
      const pointer = imports.env?.__stack_pointer;
      if (pointer instanceof wasm.Global) stackPointer = pointer;
      // Synchronous, so a failure rejects Parser.init instead of leaving it pending.
      const module = compileWasm(wasmBinary);
      done(new wasm.Instance(module, imports), module);
      return {};
    },
  };
  return {
    options,
    relocate() {
      const malloc = options._malloc;
      if (!stackPointer || typeof malloc !== 'function') return undefined;
      const base = (malloc as (bytes: number) => number)(WASM_STACK_BYTES);
      if (!base) return undefined;
      const top = (base + WASM_STACK_BYTES) & ~15; // the C ABI keeps the stack 16-byte aligned
      const pointer = stackPointer;
      pointer.value = top;
      return { restore: () => void (pointer.value = top) };
    },
  };
}
