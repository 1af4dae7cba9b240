/** One simple command as the rules see it: its name (without a path) and its arguments after quote removal. */
export interface CommandInvocation {
  readonly name: string;
  /** Each argument's value, or null when it comes from an expansion (unknown until it runs). */
  readonly args: readonly (string | null)[];
  /** The command as written, for reasons shown to people. */
  readonly text: string;
}

/** Arguments before `--` that are options. */
function optionArgs(call: CommandInvocation): string[] {
  const options: string[] = [];
  for (const arg of call.args) {
    if (arg === "--") break;
    if (arg !== null && arg.startsWith("-") && arg !== "-") options.push(arg);
  }
  return options;
}

/**
 * True when any of the flags is given: short flags as single letters (`r` matches `-r`, `-rf`, `-fr`), long flags
 * with their dashes (`--recursive`, also `--recursive=…`).
 */
export function hasFlag(call: CommandInvocation, ...flags: string[]): boolean {
  const letters = flags.filter((flag) => flag.length === 1);
  const long = flags.filter((flag) => flag.startsWith("--"));
  return optionArgs(call).some((option) => {
    if (option.startsWith("--")) return long.some((flag) => option === flag || option.startsWith(`${flag}=`));
    return [...option.slice(1)].some((letter) => letters.includes(letter));
  });
}

/** The arguments that are not options (everything after `--` counts as an operand). */
export function operands(call: CommandInvocation): (string | null)[] {
  const result: (string | null)[] = [];
  let afterDashDash = false;
  for (const arg of call.args) {
    if (!afterDashDash && arg === "--") {
      afterDashDash = true;
      continue;
    }
    if (!afterDashDash && arg !== null && arg.startsWith("-") && arg !== "-") continue;
    result.push(arg);
  }
  return result;
}

/** The first operand (a subcommand: `git push`, `docker rm`). */
export function subcommand(call: CommandInvocation): string | null | undefined {
  return operands(call)[0];
}

/** The system's own directories: anything under them is the system's. */
const SYSTEM_TREES = [
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/lib",
  "/lib32",
  "/lib64",
  "/proc",
  "/root",
  "/sbin",
  "/sys",
  "/usr",
  "/var",
];
/** Directories that hold everyone's data: the directory itself (not what is under it) is sweeping. */
const SHARED_ROOTS = ["/home", "/opt", "/srv", "/mnt", "/media", "/run", "/snap", "/tmp"];
const HARMLESS_DEVICES = [
  "/dev/null",
  "/dev/stdout",
  "/dev/stderr",
  "/dev/tty",
  "/dev/zero",
  "/dev/random",
  "/dev/urandom",
];

/** A path that is a device node (other than the harmless ones: /dev/null, the standard streams, the tty…). */
export function isDevicePath(path: string): boolean {
  if (HARMLESS_DEVICES.includes(path) || /^\/dev\/fd\/\d+$/.test(path)) return false;
  return path.startsWith("/dev/");
}

/**
 * A path whose change touches the system or everything a user has: `/` and the system directories, the home
 * directory (`~`, `~/`, `$HOME`-like values are dynamic and judged separately), the parent of the working directory,
 * and bare globs (`*`, `.*`, `/*`).
 */
export function isSweepingPath(path: string): boolean {
  const trimmed = path.replace(/\/+$/, "") || "/";
  if (trimmed === "/" || trimmed === "/*" || trimmed === "~" || trimmed.startsWith("~/*") || trimmed === "~/")
    return true;
  if (trimmed === "*" || trimmed === ".*" || trimmed === "." || trimmed === ".." || trimmed.startsWith("../"))
    return true;
  if (/^~[a-z_][a-z0-9_-]*$/i.test(trimmed)) return true;
  if (SHARED_ROOTS.includes(trimmed)) return true;
  return SYSTEM_TREES.some((root) => trimmed === root || trimmed.startsWith(`${root}/`));
}

export function isSystemWritePath(path: string): boolean {
  if (HARMLESS_DEVICES.includes(path) || /^\/dev\/fd\/\d+$/.test(path)) return false;
  return SYSTEM_TREES.some((root) => path === root || path.startsWith(`${root}/`));
}
