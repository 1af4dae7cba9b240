import { createRequire } from "node:module";
import { Language, Parser } from "web-tree-sitter";
import type { Node, Tree } from "web-tree-sitter";

/**
 * Bash's grammar for tree-sitter (`tree-sitter-bash`, its WebAssembly build) on `web-tree-sitter`: a real parser of
 * the language the runtime's shell speaks, giving a concrete syntax tree with every simple command, word and
 * redirection in place, and an error flag when the input is not valid shell. Loaded once per process.
 */

export type { Node as ShellNode, Tree as ShellTree };

let parserPromise: Promise<Parser> | undefined;

export function loadShellParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const require = createRequire(import.meta.url);
    const bash = await Language.load(require.resolve("tree-sitter-bash/tree-sitter-bash.wasm"));
    const parser = new Parser();
    parser.setLanguage(bash);
    return parser;
  })();
  return parserPromise;
}
