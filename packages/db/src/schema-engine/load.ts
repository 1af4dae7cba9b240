// Loads Prisma's WebAssembly schema engine (@prisma/schema-engine-wasm, pinned exactly in package.json).
// The Prisma CLI's native engine is downloaded from Prisma's own host at run time, which these machines cannot reach;
// the wasm build ships inside an npm package and talks to the database through a JS driver adapter instead.
import { readFile } from "node:fs/promises";
import * as glue from "@prisma/schema-engine-wasm/schema_engine_bg";

export type WasmSchemaEngine = glue.SchemaEngine;
export type {
  CreateMigrationOutput,
  DiagnoseMigrationHistoryOutput,
  MigrationDirectory as EngineMigrationDirectory,
  MigrationList,
  SchemaFilter,
} from "@prisma/schema-engine-wasm";

/** What the wasm glue needs on `globalThis` to report a Rust panic's message instead of `unreachable`. */
interface PanicRegistry {
  set_message(message: string): void;
  get(): string;
}

/** The slice of the WebAssembly JS API used here (the project's `lib` setting has no WebAssembly types). */
interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: Record<string, object>): Promise<{ exports: Record<string, unknown> }>;
}
const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: WebAssemblyApi };

let loaded: Promise<typeof glue> | undefined;

/** The wasm module's JS bindings, instantiated once per process. */
export function loadSchemaEngineWasm(): Promise<typeof glue> {
  loaded ??= instantiate();
  return loaded;
}

async function instantiate(): Promise<typeof glue> {
  const registry = globalThis as typeof globalThis & { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };
  if (!registry.PRISMA_WASM_PANIC_REGISTRY) {
    let message = "";
    registry.PRISMA_WASM_PANIC_REGISTRY = {
      set_message: (next) => {
        message = `RuntimeError: ${next}`;
      },
      get: () => message,
    };
  }
  // The package exports its JS glue but not the .wasm file; it sits beside the glue.
  const wasmUrl = new URL("schema_engine_bg.wasm", import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const module = await wasmApi.compile(await readFile(wasmUrl));
  // wasm-bindgen output: the module imports its JS glue under this specifier.
  const instance = await wasmApi.instantiate(module, { "./schema_engine_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  return glue;
}

/** The git hash of the loaded engine build (the suffix of the npm version). */
export async function schemaEngineVersion(): Promise<string> {
  return (await loadSchemaEngineWasm()).version();
}
