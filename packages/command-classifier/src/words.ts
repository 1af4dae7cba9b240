import type { ShellNode } from "./shell-parser.ts";

/**
 * The value a shell word has after quote removal, when it can be known without running anything: `r\m`, `'rm'`,
 * `"rm"`, `$'\x72m'` and `r''m` are all `rm`. Null when the value depends on an expansion (`$x`, `$(…)`, `{a,b}`,
 * arithmetic), which the classifier treats as unknown. Globs (`*`) are kept literally: they are judged as patterns.
 */
export function staticValue(node: ShellNode): string | null {
  switch (node.type) {
    case "word":
    case "command_name":
      if (node.type === "command_name") {
        const inner = node.namedChildren[0];
        return inner === undefined || inner === null ? unescapeBare(node.text) : staticValue(inner);
      }
      // Brace expansion (`{a,b}`, `{1..3}`) makes one word several: unknown as a single value.
      if (/(^|[^\\])\{[^{}\s]*(,|\.\.)[^{}\s]*\}/.test(node.text)) return null;
      return unescapeBare(node.text);
    case "number":
    case "special_variable_name":
      return node.type === "number" ? node.text : null;
    case "raw_string":
      return node.text.slice(1, -1);
    case "ansi_c_string":
      return decodeAnsiC(node.text.slice(2, -1));
    case "string":
    case "translated_string": {
      const inner = node.type === "translated_string" ? node.namedChildren[0] : node;
      if (inner === undefined || inner === null) return "";
      if (inner !== node) return staticValue(inner);
      let value = "";
      for (const child of node.namedChildren) {
        if (child === null) continue;
        if (child.type !== "string_content") return null;
        value += child.text.replace(/\\([$`"\\\n])/g, (_match, escaped: string) => (escaped === "\n" ? "" : escaped));
      }
      return value;
    }
    case "concatenation": {
      let value = "";
      for (const child of node.namedChildren) {
        if (child === null) continue;
        const part = staticValue(child);
        if (part === null) return null;
        value += part;
      }
      return value;
    }
    default:
      return null;
  }
}

/** Backslash removal in an unquoted word: `\x` is `x`, a backslash-newline disappears. */
function unescapeBare(text: string): string {
  return text.replace(/\\([\s\S])/g, (_match, escaped: string) => (escaped === "\n" ? "" : escaped));
}

/** The escapes of `$'…'`, as bash decodes them. */
function decodeAnsiC(body: string): string {
  const simple: Record<string, string> = {
    a: "\x07",
    b: "\b",
    e: "\x1b",
    E: "\x1b",
    f: "\f",
    n: "\n",
    r: "\r",
    t: "\t",
    v: "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
  };
  return body.replace(
    /\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/g,
    (_match, code: string) => {
      const head = code[0]!;
      if (head === "x" || head === "u" || head === "U") return String.fromCodePoint(parseInt(code.slice(1), 16));
      if (/[0-7]/.test(head)) return String.fromCharCode(parseInt(code, 8));
      if (head === "c") return String.fromCharCode(code.charCodeAt(1) & 0x1f);
      return simple[code] ?? `\\${code}`;
    },
  );
}
