// For benchmarks and tests only: the corpus of commands with their expected classes, and the bare shell parser (the
// cost any correct classifier pays at least, the benchmark's baseline).
export { corpus } from "../../test/corpus.ts";
export { loadShellParser } from "../shell-parser.ts";
