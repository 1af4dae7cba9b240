import { highestClass } from "./classes.ts";
import type { CommandClass } from "./classes.ts";
import { isDevicePath, isSweepingPath, isSystemWritePath } from "./invocation.ts";
import { matchingRules } from "./rules.ts";
import type { ShellNode } from "./shell-parser.ts";
import { staticValue } from "./words.ts";
import type { Parser } from "web-tree-sitter";

/**
 * Classifies a shell command as the shell would run it. The command is parsed (tree-sitter's bash grammar) and every
 * simple command in it is judged against the rules table (rules.ts): in pipelines and lists, subshells and groups,
 * command and process substitutions (also inside strings and here-documents), loops and conditionals, function
 * bodies, and the code handed to another shell (`sh -c`, `bash <<EOF`, `bash <<<`, `eval`, `su -c`, `watch`,
 * `env -S`, alias values), parsed again, recursively. Wrappers (`env`, `sudo`, `nohup`, `timeout`, `nice`, `command`,
 * `builtin`, `exec`, `xargs`, `find -exec`, …) are unwrapped so the command they run is judged too. Redirections that
 * write a file are at least Dangerous; writing under system paths, devices or shell startup files is Destructive.
 *
 * The class of the whole is the highest class of any part. Unknown commands, and command names that come from an
 * expansion, are Dangerous. Input that does not parse, and shell code that cannot be seen (a shell reading a pipe, or
 * `-c`/`eval` of an expansion), are Destructive.
 *
 * Not covered: what a program does inside (a script file, `python -c`, a Makefile): such commands are Dangerous as
 * unknown code, never Safe; the meaning of options a rule does not name (the rules err on the side of the higher
 * class); and aliases or functions defined in an earlier command (the definition itself is Dangerous, and its body
 * is classified where it is defined).
 */

export interface ClassificationReason {
  /** The part of the command this is about, as written. */
  readonly part: string;
  readonly class: CommandClass;
  /** The rule's id (rules.ts), or the classifier's own check (`parse`, `unknown-command`, `redirect-write`, …). */
  readonly rule: string;
  readonly reason: string;
}

export interface Classification {
  readonly class: CommandClass;
  readonly reasons: readonly ClassificationReason[];
}

/** Where a command's standard input comes from, as far as a shell reading it is concerned. */
type Stdin = { readonly kind: "code"; readonly code: string } | { readonly kind: "pipe" | "file" | "none" };

const MAX_DEPTH = 6;
/** Nodes that bash reads on one logical line (words of one command, a redirection, a redirected command). */
const SINGLE_LINE = new Set([
  "command",
  "file_redirect",
  "redirected_statement",
  "declaration_command",
  "unset_command",
]);
const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "fish", "rbash", "tcsh", "csh"]);
const OUTPUT_OPERATORS = new Set([">", ">>", "&>", "&>>", ">|", "<>", ">&"]);
const STARTUP_FILE =
  /(^|\/)(\.bashrc|\.bash_profile|\.bash_login|\.profile|\.zshrc|\.zshenv|\.zprofile|\.inputrc|authorized_keys)$/;
const SEARCH_PATH_VARIABLES =
  /^(PATH|LD_PRELOAD|LD_LIBRARY_PATH|BASH_ENV|ENV|IFS|PROMPT_COMMAND|SHELLOPTS|BASHOPTS|NODE_OPTIONS|PYTHONPATH)$/;

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}…` : oneLine;
}

export function classifyCommand(parser: Parser, command: string): Classification {
  const reasons: ClassificationReason[] = [];
  classifyCode(parser, command, 0, reasons);
  if (reasons.length === 0) {
    reasons.push({ part: shorten(command), class: "safe", rule: "empty", reason: "runs no command" });
  }
  return { class: highestClass(reasons.map((reason) => reason.class)), reasons };
}

function classifyCode(parser: Parser, code: string, depth: number, reasons: ClassificationReason[]): void {
  if (depth > MAX_DEPTH) {
    reasons.push({
      part: shorten(code),
      class: "destructive",
      rule: "nesting",
      reason: "shell code nested too deep to inspect",
    });
    return;
  }
  if (code.includes("\0")) {
    reasons.push({ part: shorten(code), class: "destructive", rule: "parse", reason: "contains a NUL byte" });
    return;
  }
  const tree = parser.parse(code);
  if (tree === null || tree.rootNode.hasError) {
    reasons.push({ part: shorten(code), class: "destructive", rule: "parse", reason: "does not parse as shell" });
    tree?.delete();
    return;
  }
  try {
    new Walker(parser, code, depth, reasons).walk(tree.rootNode, { kind: "none" });
  } finally {
    tree.delete();
  }
}

class Walker {
  private readonly parser: Parser;
  private readonly source: string;
  private readonly depth: number;
  private readonly reasons: ClassificationReason[];
  constructor(parser: Parser, source: string, depth: number, reasons: ClassificationReason[]) {
    this.parser = parser;
    this.source = source;
    this.depth = depth;
    this.reasons = reasons;
  }

  /**
   * A defence against the parser disagreeing with bash: bash ends a simple command at an unescaped newline, so one
   * command's words are never separated by one (a backslash-newline is a continuation). Seen: tree-sitter-bash reads
   * `ls` NEWLINE `\rm -rf ~` as `ls` with three arguments. Such a parse is not trusted: Destructive.
   */
  private splitAcrossLines(node: ShellNode): boolean {
    const children = node.namedChildren.filter((child) => child !== null);
    // A here-document's body follows on the next lines by design: look only at what comes before it.
    const heredoc = children.findIndex((child) => child.type === "heredoc_redirect");
    const parts = heredoc < 0 ? children : children.slice(0, heredoc);
    for (let index = 1; index < parts.length; index++) {
      const gap = this.source.slice(parts[index - 1]!.endIndex, parts[index]!.startIndex).replace(/\\\n/g, "");
      if (gap.includes("\n")) return true;
    }
    return parts.some((part) => part.type === "word" && /(^|[^\\])\n/.test(part.text));
  }

  private add(part: string, value: CommandClass, rule: string, reason: string): void {
    this.reasons.push({ part: shorten(part), class: value, rule, reason });
  }

  private nested(code: string): void {
    classifyCode(this.parser, code, this.depth + 1, this.reasons);
  }

  walk(node: ShellNode, stdin: Stdin): void {
    if (SINGLE_LINE.has(node.type) && this.splitAcrossLines(node)) {
      this.add(node.text, "destructive", "parse", "is read as one command across lines, which the shell would not do");
      return;
    }
    switch (node.type) {
      case "command":
        this.command(node, stdin);
        break;
      case "pipeline":
        this.pipeline(node, stdin, null);
        return;
      case "redirected_statement": {
        const body = node.childForFieldName("body");
        const redirects = node.childrenForFieldName("redirect");
        const input = this.stdinOf(redirects);
        // Redirections bind to a simple command: after a pipeline (`a | b <<EOF`) they are the last command's.
        if (body !== null && body.type === "pipeline") this.pipeline(body, stdin, input);
        else if (body !== null) this.walk(body, input ?? stdin);
        for (const redirect of redirects) this.walk(redirect, { kind: "none" });
        // Children not in either field (a pipeline after a here-document's start: `cat <<EOF | sh`).
        for (const child of node.namedChildren) {
          if (child !== null && child.id !== body?.id && !redirects.some((r) => r.id === child.id)) {
            this.walk(child, { kind: "pipe" });
          }
        }
        return;
      }
      case "file_redirect":
        this.redirect(node);
        break;
      case "function_definition": {
        const name = node.childForFieldName("name")?.text ?? "?";
        this.add(
          node.text,
          "dangerous",
          "define-function",
          `defines the function ${name}, which changes what later commands named ${name} do`,
        );
        break;
      }
      case "variable_assignment": {
        const name = node.childForFieldName("name")?.text ?? "";
        if (SEARCH_PATH_VARIABLES.test(name)) {
          this.add(
            node.text,
            "dangerous",
            "assign-search-path",
            `sets ${name}, which changes where commands and libraries are found`,
          );
        }
        break;
      }
      case "declaration_command":
      case "unset_command": {
        const keyword = node.child(0)?.text ?? "";
        const args = node.namedChildren
          .filter((child) => child !== null)
          .map((child) => staticValue(child) ?? assignmentText(child));
        this.invoke([keyword, ...args], node.text, { kind: "none" });
        break;
      }
      case "test_command":
        this.add(node.text, "safe", "test", "tests a condition");
        break;
      case "heredoc_redirect":
      case "heredoc_body":
      case "herestring_redirect":
        break;
      default:
        break;
    }
    // Whatever the node is, commands inside it (substitutions in arguments, strings, here-documents, bodies) run too.
    for (const child of node.namedChildren) {
      if (child === null) continue;
      if (node.type === "command" && child.type === "file_redirect") continue; // judged in command()
      this.walk(child, { kind: "none" });
    }
  }

  /** Walks a pipeline's commands: the first reads `first`, the others a pipe, the last `last` when given. */
  private pipeline(node: ShellNode, first: Stdin, last: Stdin | null): void {
    const stages = node.namedChildren.filter((child) => child !== null);
    stages.forEach((stage, index) => {
      const input =
        index === stages.length - 1 && last !== null ? last : index === 0 ? first : ({ kind: "pipe" } as const);
      this.walk(stage, input);
    });
  }

  /** A here-document's or here-string's text when it can be known; a file for `<`; null when stdin is untouched. */
  private stdinOf(redirects: readonly ShellNode[]): Stdin | null {
    let result: Stdin | null = null;
    for (const redirect of redirects) {
      if (redirect.type === "herestring_redirect") {
        const word = redirect.namedChildren.find((child) => child !== null && child.type !== "file_descriptor") ?? null;
        const value = word === null ? null : staticValue(word);
        result = value === null ? { kind: "file" } : { kind: "code", code: value };
      } else if (redirect.type === "heredoc_redirect") {
        const body = redirect.namedChildren.find((child) => child?.type === "heredoc_body") ?? null;
        const dynamic = body?.namedChildren.some((child) => child !== null && child.type !== "heredoc_content");
        result = body === null || dynamic === true ? { kind: "file" } : { kind: "code", code: body.text };
      } else if (redirect.type === "file_redirect" && operatorOf(redirect) === "<") {
        result = { kind: "file" };
      }
    }
    return result;
  }

  private redirect(node: ShellNode): void {
    const operator = operatorOf(node);
    if (!OUTPUT_OPERATORS.has(operator)) return;
    const destinationNode = node.childForFieldName("destination");
    const destination = destinationNode === null ? null : staticValue(destinationNode);
    if ((operator === ">&" || operator === "<&") && destination !== null && /^(\d+|-)$/.test(destination)) return;
    if (destination === null) {
      this.add(node.text, "dangerous", "redirect-unknown", "writes to a file named by an expansion");
    } else if (
      ["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"].includes(destination) ||
      /^\/dev\/fd\/\d+$/.test(destination)
    ) {
      return;
    } else if (isDevicePath(destination) || isSystemWritePath(destination) || isSweepingPath(destination)) {
      this.add(node.text, "destructive", "redirect-system", `writes over ${destination}, a device or system file`);
    } else if (STARTUP_FILE.test(destination)) {
      this.add(
        node.text,
        "destructive",
        "redirect-startup",
        `writes ${destination}, which runs or authorises things later`,
      );
    } else {
      this.add(node.text, "dangerous", "redirect-write", `writes the file ${destination}`);
    }
  }

  private command(node: ShellNode, stdin: Stdin): void {
    const nameNode = node.childForFieldName("name");
    if (nameNode === null) return; // only assignments: judged as children
    const argNodes = node.childrenForFieldName("argument");
    const ownRedirects = node.childrenForFieldName("redirect");
    const input = this.stdinOf(ownRedirects) ?? stdin;
    for (const redirect of ownRedirects) if (redirect.type === "file_redirect") this.redirect(redirect);
    this.invoke([staticValue(nameNode), ...argNodes.map(staticValue)], node.text, input);
  }

  /** Judges one command line given as words (null: a word from an expansion), unwrapping commands that run others. */
  private invoke(argv: readonly (string | null)[], text: string, stdin: Stdin): void {
    const [rawName, ...args] = argv;
    if (rawName === undefined) return;
    if (rawName === null) {
      this.add(
        text,
        "dangerous",
        "dynamic-command",
        "the command's name comes from an expansion, so what runs is unknown",
      );
      return;
    }
    const name = rawName.includes("/") ? rawName.slice(rawName.lastIndexOf("/") + 1) : rawName;
    if (name === "") {
      this.add(text, "dangerous", "unknown-command", `runs ${rawName}, which is not a known command`);
      return;
    }
    if (this.unwrap(name, args, text, stdin)) return;
    const matched = matchingRules({ name, args, text });
    if (matched.length === 0) {
      this.add(text, "dangerous", "unknown-command", `${name} is not a known command`);
      return;
    }
    for (const rule of matched) this.add(text, rule.class, rule.id, `${name}: ${rule.reason}`);
  }

  /** Handles the commands that run other commands; answers false for an ordinary command. */
  private unwrap(name: string, args: readonly (string | null)[], text: string, stdin: Stdin): boolean {
    const rest = (from: number) => this.invoke(args.slice(from), text, stdin);
    switch (name) {
      case "command": {
        if (args[0] === "-v" || args[0] === "-V") {
          this.add(text, "safe", "command-lookup", "looks up a command");
          return true;
        }
        rest(args[0] === "-p" ? 1 : 0);
        return true;
      }
      case "builtin":
      case "nohup":
      case "time":
      case "setsid":
      case "unbuffer":
      case "exec": {
        let index = 0;
        while (index < args.length && args[index] !== null && args[index]!.startsWith("-")) {
          index += name === "exec" && args[index] === "-a" ? 2 : 1;
        }
        if (index >= args.length) this.add(text, "safe", `${name}-alone`, `${name} without a command`);
        else rest(index);
        return true;
      }
      case "nice":
      case "ionice":
      case "stdbuf":
      case "timeout":
      case "chronic": {
        const withValue = new Set(["-n", "-c", "-t", "-s", "-k", "-i", "-o", "-e", "--signal", "--kill-after"]);
        let index = 0;
        while (index < args.length && args[index] !== null && args[index]!.startsWith("-")) {
          index += withValue.has(args[index]!) ? 2 : 1;
        }
        if (name === "timeout") index += 1; // the duration
        if (index >= args.length) this.add(text, "safe", `${name}-alone`, `${name} without a command`);
        else rest(index);
        return true;
      }
      case "env":
        return this.env(args, text, stdin);
      case "sudo":
      case "doas":
      case "su":
      case "runuser":
        return this.privileged(name, args, text, stdin);
      case "xargs":
        return this.xargs(args, text);
      case "find":
        return this.find(args, text);
      case "eval": {
        if (args.some((arg) => arg === null)) {
          this.add(text, "destructive", "eval-dynamic", "evaluates code that comes from an expansion");
        } else if (args.length > 0) {
          this.nested(args.join(" "));
        }
        return true;
      }
      case "watch": {
        let index = 0;
        let exact = false;
        while (index < args.length && args[index] !== null && args[index]!.startsWith("-")) {
          if (args[index] === "-x" || args[index] === "--exec") exact = true;
          index += ["-n", "--interval", "-g", "-q"].includes(args[index]!) ? 2 : 1;
        }
        const command = args.slice(index);
        if (exact) this.invoke(command, text, stdin);
        else if (command.some((arg) => arg === null))
          this.add(text, "destructive", "watch-dynamic", "repeats shell code that comes from an expansion");
        else if (command.length > 0) this.nested(command.join(" "));
        return true;
      }
      case "alias": {
        for (const arg of args) {
          if (arg === null) continue;
          const eq = arg.indexOf("=");
          if (eq > 0) this.nested(arg.slice(eq + 1));
        }
        return false; // the alias rule applies as well
      }
      case "busybox":
        if (args[0] !== undefined && args[0] !== null && SHELLS.has(args[0]))
          return this.shell(args[0], args.slice(1), text, stdin);
        rest(0);
        return true;
      default:
        if (SHELLS.has(name)) return this.shell(name, args, text, stdin);
        return false;
    }
  }

  private env(args: readonly (string | null)[], text: string, stdin: Stdin): boolean {
    let index = 0;
    while (index < args.length) {
      const arg = args[index] ?? null;
      if (arg === null) {
        this.add(text, "dangerous", "env-dynamic", "env is given a word from an expansion");
        return true;
      }
      if (arg === "-u" || arg === "--unset" || arg === "-C" || arg === "--chdir") index += 2;
      else if (
        arg === "-S" ||
        arg === "--split-string" ||
        arg.startsWith("--split-string=") ||
        (arg.startsWith("-S") && arg.length > 2)
      ) {
        const value =
          arg === "-S" || arg === "--split-string" ? args[index + 1] : arg.replace(/^(-S|--split-string=)/, "");
        if (value === null || value === undefined)
          this.add(text, "destructive", "env-split-dynamic", "env -S runs a command line from an expansion");
        else
          this.nested(
            [value, ...args.slice(index + (arg === "-S" || arg === "--split-string" ? 2 : 1))]
              .map((word) => word ?? "$unknown")
              .join(" "),
          );
        return true;
      } else if (arg.startsWith("-")) index += 1;
      else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) {
        const variable = arg.slice(0, arg.indexOf("="));
        if (SEARCH_PATH_VARIABLES.test(variable)) {
          this.add(
            text,
            "dangerous",
            "assign-search-path",
            `sets ${variable}, which changes where commands and libraries are found`,
          );
        }
        index += 1;
      } else break;
    }
    if (index >= args.length) this.add(text, "safe", "env-print", "env: prints the environment");
    else this.invoke(args.slice(index), text, stdin);
    return true;
  }

  private privileged(name: string, args: readonly (string | null)[], text: string, stdin: Stdin): boolean {
    this.add(text, "destructive", "privilege", `${name}: runs as another user (usually root)`);
    if (name === "su" || name === "runuser") {
      const flag = args.findIndex((arg) => arg === "-c" || arg === "--command");
      if (flag >= 0) {
        const code = args[flag + 1];
        if (code === null || code === undefined)
          this.add(text, "destructive", "shell-dynamic", "runs shell code that comes from an expansion");
        else this.nested(code);
      }
      return true;
    }
    const withValue = new Set([
      "-u",
      "-g",
      "-h",
      "-p",
      "-C",
      "-D",
      "-r",
      "-t",
      "-U",
      "-T",
      "--user",
      "--group",
      "--prompt",
    ]);
    let index = 0;
    while (index < args.length && args[index] !== null && args[index]!.startsWith("-") && args[index] !== "--") {
      index += withValue.has(args[index]!) ? 2 : 1;
    }
    if (args[index] === "--") index += 1;
    if (index < args.length) this.invoke(args.slice(index), text, stdin);
    return true;
  }

  private xargs(args: readonly (string | null)[], text: string): boolean {
    const withValue = new Set([
      "-I",
      "-n",
      "-P",
      "-L",
      "-s",
      "-d",
      "-E",
      "-a",
      "-e",
      "--max-args",
      "--max-procs",
      "--delimiter",
      "--arg-file",
      "--replace",
    ]);
    let index = 0;
    while (index < args.length && args[index] !== null && args[index]!.startsWith("-")) {
      index += withValue.has(args[index]!) ? 2 : 1;
    }
    const command = args.slice(index);
    if (command.length === 0) {
      this.add(text, "safe", "xargs-echo", "xargs without a command prints its input");
      return true;
    }
    // The arguments xargs adds come from its input: unknown.
    this.invoke([...command, null], text, { kind: "pipe" });
    return true;
  }

  private find(args: readonly (string | null)[], text: string): boolean {
    const own: (string | null)[] = [];
    for (let index = 0; index < args.length; index++) {
      const arg = args[index] ?? null;
      if (arg === "-exec" || arg === "-execdir" || arg === "-ok" || arg === "-okdir") {
        const inner: (string | null)[] = [];
        index += 1;
        while (index < args.length && args[index] !== ";" && args[index] !== "+") {
          const word = args[index]!;
          inner.push(word === "{}" ? null : word);
          index += 1;
        }
        if (inner.length === 0) inner.push(null);
        this.invoke(inner.includes(null) ? inner : [...inner, null], text, { kind: "none" });
      } else {
        own.push(arg ?? null);
      }
    }
    for (const rule of matchingRules({ name: "find", args: own, text }))
      this.add(text, rule.class, rule.id, `find: ${rule.reason}`);
    const runsCommands = args.some((arg) => arg === "-exec" || arg === "-execdir" || arg === "-ok" || arg === "-okdir");
    const start = own.filter((arg) => arg !== null && !arg.startsWith("-") && !arg.startsWith("(") && arg !== "!");
    if (runsCommands && start.some((path) => path !== null && path !== "." && path !== "./" && isSweepingPath(path))) {
      this.add(
        text,
        "destructive",
        "find-exec-sweeping",
        "find runs a command on every file under a system directory, the home directory or /",
      );
    }
    return true;
  }

  private shell(name: string, args: readonly (string | null)[], text: string, stdin: Stdin): boolean {
    let index = 0;
    let readsStdin = false;
    while (index < args.length) {
      const arg = args[index] ?? null;
      if (arg === null) {
        this.add(text, "destructive", "shell-dynamic", `${name} is given a word from an expansion`);
        return true;
      }
      if (arg === "-c" || (/^-[a-z]*c[a-z]*$/.test(arg) && !arg.startsWith("--"))) {
        const code = args[index + 1];
        if (code === null || code === undefined) {
          this.add(text, "destructive", "shell-dynamic", `${name} -c runs shell code that comes from an expansion`);
        } else {
          this.nested(code);
        }
        return true;
      }
      if (arg === "-o" || arg === "+o" || arg === "-O" || arg === "+O" || arg === "--rcfile" || arg === "--init-file")
        index += 2;
      else if (arg === "-s") {
        readsStdin = true;
        index += 1;
      } else if (arg === "--") {
        index += 1;
        break;
      } else if (arg.startsWith("-") || arg.startsWith("+")) index += 1;
      else break;
    }
    if (index < args.length && !readsStdin) {
      this.add(
        text,
        "dangerous",
        "shell-script",
        `${name} runs the script ${args[index] ?? "?"}, which is not inspected here`,
      );
      return true;
    }
    if (stdin.kind === "code") {
      this.nested(stdin.code);
    } else {
      this.add(text, "destructive", "shell-stdin", `${name} runs commands from its input, which cannot be inspected`);
    }
    return true;
  }
}

function operatorOf(redirect: ShellNode): string {
  for (const child of redirect.children) {
    if (child !== null && !child.isNamed) return child.type;
  }
  return "";
}

function assignmentText(node: ShellNode): string | null {
  if (node.type !== "variable_assignment") return null;
  const name = node.childForFieldName("name")?.text ?? "";
  const value = node.childForFieldName("value");
  if (value === null) return `${name}=`;
  const text = staticValue(value);
  return text === null ? `${name}=` : `${name}=${text}`;
}
