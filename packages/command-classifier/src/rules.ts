import type { CommandClass } from "./classes.ts";
import { hasFlag, isDevicePath, isSweepingPath, isSystemWritePath, operands, subcommand } from "./invocation.ts";
import type { CommandInvocation } from "./invocation.ts";

/**
 * The rules, one row per (command, condition): every row whose command matches and whose condition holds applies,
 * and the command's class is the highest among them. A command no row names is Dangerous (unknown). Commands that run
 * other commands (shells, `eval`, `env`, `sudo`, `xargs`, `find -exec`, …) are unwrapped by the classifier first
 * (classify.ts), so their inner command meets these rules too; redirections are judged there as well.
 *
 * To extend: add a row. `when` reads the invocation (options via `hasFlag`, operands via `operands`); keep the
 * reason short and in the words a person approving the command needs.
 */
export interface CommandRule {
  readonly id: string;
  readonly commands: readonly string[];
  readonly when?: (call: CommandInvocation) => boolean;
  readonly class: CommandClass;
  readonly reason: string;
  /**
   * An exception to the command's base rows (those without `when`): when it matches, it replaces them (`git status`
   * is safe although `git` is dangerous). Rows without it only ever raise the class.
   */
  readonly instead?: true;
}

const anyOperand = (test: (value: string) => boolean) => (call: CommandInvocation) =>
  operands(call).some((value) => value !== null && test(value));
/** Any argument at all, options included (find's `-delete` is an expression, not an option). */
const anyArg =
  (...values: string[]) =>
  (call: CommandInvocation) =>
    call.args.some((arg) => arg !== null && values.includes(arg));
const dynamicOperand = (call: CommandInvocation) => operands(call).some((value) => value === null);
const sub =
  (...names: string[]) =>
  (call: CommandInvocation) => {
    const first = subcommand(call);
    return first !== null && first !== undefined && names.includes(first);
  };
const both =
  (...tests: ((call: CommandInvocation) => boolean)[]) =>
  (call: CommandInvocation) =>
    tests.every((test) => test(call));
const flags =
  (...names: string[]) =>
  (call: CommandInvocation) =>
    hasFlag(call, ...names);
const noOperands = (call: CommandInvocation) => operands(call).length === 0;

/**
 * GNU sed runs shell commands with the `e` command or the `s///e` flag and writes files with `w`: this reads the sed
 * script (its language, not shell) for those. It errs towards "yes" on odd scripts.
 */
function sedRunsOrWrites(script: string): boolean {
  const substitution = /s([^\\\n])(?:\\.|(?!\1).)*\1(?:\\.|(?!\1).)*\1([a-zA-Z0-9]*)/g;
  for (const match of script.matchAll(substitution)) if (/[ew]/.test(match[2] ?? "")) return true;
  const withoutSubstitutions = script.replace(substitution, "");
  return /(^|[;\n{}0-9$/])\s*[ew](\s|$|;)/.test(withoutSubstitutions);
}

const READ_ONLY = [
  "ls",
  "cat",
  "head",
  "tail",
  "wc",
  "grep",
  "egrep",
  "fgrep",
  "rg",
  "ag",
  "echo",
  "printf",
  "pwd",
  "whoami",
  "id",
  "date",
  "uname",
  "hostname",
  "uptime",
  "which",
  "type",
  "file",
  "stat",
  "du",
  "df",
  "free",
  "ps",
  "sort",
  "uniq",
  "cut",
  "tr",
  "jq",
  "diff",
  "cmp",
  "comm",
  "basename",
  "dirname",
  "realpath",
  "readlink",
  "test",
  "[",
  "true",
  "false",
  ":",
  "sleep",
  "seq",
  "tree",
  "cd",
  "printenv",
  "less",
  "more",
  "column",
  "nl",
  "fold",
  "expand",
  "rev",
  "tac",
  "od",
  "xxd",
  "hexdump",
  "base64",
  "md5sum",
  "sha1sum",
  "sha256sum",
  "sha512sum",
  "cksum",
  "locale",
  "nproc",
  "lscpu",
  "lsblk",
  "man",
  "help",
  "clear",
  "set",
  "shopt",
  "read",
  "wait",
  "jobs",
  "exit",
  "return",
  "break",
  "continue",
  "history",
  "tput",
  "getconf",
  "arch",
  "groups",
  "users",
  "who",
  "w",
  "env",
  "pgrep",
  "lsof",
  "netstat",
  "ss",
  "printf",
  "yes",
  "time",
  "zcat",
  "zgrep",
  "strings",
  "look",
  "join",
  "paste",
  "split",
  "csplit",
  "numfmt",
] as const;

export const rules: readonly CommandRule[] = [
  // --- Reading and inspecting -----------------------------------------------------------------------------------
  { id: "read-only", commands: READ_ONLY, class: "safe", reason: "reads or prints, changes nothing" },
  { id: "find", commands: ["find"], class: "safe", reason: "lists files" },
  {
    id: "find-delete",
    commands: ["find"],
    when: anyArg("-delete"),
    class: "destructive",
    reason: "deletes every file it finds",
  },
  {
    id: "find-writes",
    commands: ["find"],
    when: anyArg("-fprint", "-fprint0", "-fprintf", "-fls"),
    class: "dangerous",
    reason: "writes a file",
  },
  { id: "sed", commands: ["sed"], class: "safe", reason: "edits text on its way to the output" },
  {
    id: "sed-in-place",
    commands: ["sed"],
    when: flags("i", "--in-place"),
    class: "dangerous",
    reason: "edits files in place",
  },
  // GNU sed's `e` command and `e` flag run shell commands, `w` writes files: the script itself is sed, not shell.
  {
    id: "sed-exec",
    commands: ["sed"],
    when: anyOperand(sedRunsOrWrites),
    class: "dangerous",
    reason: "its script runs commands or writes files (e / w)",
  },
  { id: "awk", commands: ["awk", "gawk", "mawk", "nawk"], class: "safe", reason: "processes text" },
  {
    id: "awk-system",
    commands: ["awk", "gawk", "mawk", "nawk"],
    when: anyOperand((v) => /system\s*\(|\|\s*"|print[^;]*>|getline/.test(v)),
    class: "dangerous",
    reason: "its program runs commands or writes files",
  },
  {
    id: "version",
    commands: [
      "node",
      "python",
      "python3",
      "npm",
      "pnpm",
      "yarn",
      "git",
      "go",
      "cargo",
      "rustc",
      "java",
      "ruby",
      "perl",
      "deno",
      "bun",
      "pip",
      "pip3",
      "docker",
    ],
    when: (call) => call.args.length === 1 && ["--version", "-v", "-V", "version"].includes(call.args[0] ?? ""),
    class: "safe",
    reason: "prints a version",
    instead: true,
  },

  // --- Writing files ----------------------------------------------------------------------------------------------
  {
    id: "write-files",
    commands: [
      "touch",
      "mkdir",
      "cp",
      "mv",
      "ln",
      "tee",
      "install",
      "rsync",
      "tar",
      "unzip",
      "zip",
      "gzip",
      "gunzip",
      "bzip2",
      "xz",
      "patch",
      "truncate",
      "mktemp",
    ],
    class: "dangerous",
    reason: "creates, changes or moves files",
  },
  {
    id: "write-system",
    commands: ["touch", "mkdir", "cp", "mv", "ln", "tee", "install", "rsync", "tar", "unzip", "patch", "truncate"],
    when: anyOperand((v) => isSweepingPath(v) || isSystemWritePath(v)),
    class: "destructive",
    reason: "writes into system directories, the home directory or everything in one go",
  },
  { id: "rm", commands: ["rm", "unlink", "rmdir"], class: "dangerous", reason: "deletes files" },
  {
    id: "rm-recursive",
    commands: ["rm"],
    when: flags("r", "R", "--recursive"),
    class: "destructive",
    reason: "deletes directories recursively",
  },
  {
    id: "rm-sweeping",
    commands: ["rm", "rmdir", "unlink"],
    when: anyOperand(isSweepingPath),
    class: "destructive",
    reason: "deletes system files, the home directory or everything a glob matches",
  },
  {
    id: "rm-unknown",
    commands: ["rm"],
    when: both(flags("f", "--force"), dynamicOperand),
    class: "destructive",
    reason: "force-deletes paths that come from an expansion",
  },
  {
    id: "shred",
    commands: [
      "shred",
      "wipefs",
      "mkfs",
      "mkfs.ext4",
      "mkfs.ext3",
      "mkfs.xfs",
      "mkfs.vfat",
      "mkfs.btrfs",
      "mkswap",
      "fdisk",
      "sfdisk",
      "parted",
      "gdisk",
      "blkdiscard",
    ],
    class: "destructive",
    reason: "destroys data or disks",
  },
  { id: "dd", commands: ["dd"], class: "dangerous", reason: "copies raw data" },
  {
    id: "dd-device",
    commands: ["dd"],
    when: anyOperand((v) => v.startsWith("of=") && (isDevicePath(v.slice(3)) || isSystemWritePath(v.slice(3)))),
    class: "destructive",
    reason: "writes raw data over a device or system file",
  },
  {
    id: "chmod",
    commands: ["chmod", "chown", "chgrp", "setfacl", "chattr"],
    class: "dangerous",
    reason: "changes permissions or ownership",
  },
  {
    id: "chmod-sweeping",
    commands: ["chmod", "chown", "chgrp", "setfacl", "chattr"],
    when: (call) => hasFlag(call, "R", "--recursive") || operands(call).some((v) => v !== null && isSweepingPath(v)),
    class: "destructive",
    reason: "changes permissions of a whole tree or of system files",
  },

  // --- Processes and the machine ----------------------------------------------------------------------------------
  {
    id: "kill",
    commands: ["kill", "pkill", "killall", "renice"],
    class: "dangerous",
    reason: "signals or stops processes",
  },
  {
    id: "kill-all",
    commands: ["kill"],
    when: (call) => anyArg("-1")(call) || operands(call).includes("1"),
    class: "destructive",
    reason: "signals every process, or init",
  },
  {
    id: "shutdown",
    commands: ["shutdown", "reboot", "halt", "poweroff", "init", "telinit"],
    class: "destructive",
    reason: "stops or restarts the machine",
  },
  {
    id: "services",
    commands: ["systemctl", "service", "crontab", "at", "launchctl"],
    class: "dangerous",
    reason: "changes services or scheduled jobs",
  },
  {
    id: "crontab-remove",
    commands: ["crontab"],
    when: flags("r"),
    class: "destructive",
    reason: "removes every scheduled job",
  },
  {
    id: "users",
    commands: ["useradd", "userdel", "usermod", "groupadd", "groupdel", "passwd", "chpasswd", "visudo"],
    class: "destructive",
    reason: "changes accounts or credentials",
  },
  {
    id: "firewall",
    commands: [
      "iptables",
      "ip6tables",
      "nft",
      "ufw",
      "mount",
      "umount",
      "swapoff",
      "sysctl",
      "modprobe",
      "insmod",
      "rmmod",
    ],
    class: "destructive",
    reason: "changes the system's network, mounts or kernel",
  },
  {
    id: "mount-list",
    commands: ["mount"],
    when: (call) => call.args.length === 0,
    class: "safe",
    reason: "lists mounts",
    instead: true,
  },

  // --- Network ----------------------------------------------------------------------------------------------------
  {
    id: "network",
    commands: [
      "curl",
      "wget",
      "ssh",
      "scp",
      "sftp",
      "nc",
      "ncat",
      "netcat",
      "telnet",
      "ftp",
      "ping",
      "dig",
      "nslookup",
      "host",
      "traceroute",
      "socat",
    ],
    class: "dangerous",
    reason: "talks to the network",
  },

  // --- Running code ------------------------------------------------------------------------------------------------
  {
    id: "interpreter",
    commands: [
      "python",
      "python3",
      "node",
      "deno",
      "bun",
      "perl",
      "ruby",
      "php",
      "lua",
      "Rscript",
      "java",
      "go",
      "cargo",
      "make",
      "npx",
      "pnpx",
      "bunx",
      "tsx",
      "ts-node",
    ],
    class: "dangerous",
    reason: "runs a program or code that is not inspected here",
  },
  { id: "source", commands: ["source", "."], class: "dangerous", reason: "runs the commands of a file in this shell" },
  {
    id: "redefine",
    commands: ["alias", "unalias", "hash", "enable", "trap"],
    class: "dangerous",
    reason: "changes what later commands mean",
  },
  {
    id: "declare",
    commands: ["export", "declare", "typeset", "local", "readonly", "unset"],
    class: "safe",
    reason: "sets shell variables",
  },
  {
    id: "declare-search-path",
    commands: ["export", "declare", "typeset", "local", "readonly"],
    when: anyOperand((v) =>
      /^(PATH|LD_PRELOAD|LD_LIBRARY_PATH|BASH_ENV|ENV|IFS|PROMPT_COMMAND|SHELLOPTS|BASHOPTS|NODE_OPTIONS|PYTHONPATH)=/.test(
        v,
      ),
    ),
    class: "dangerous",
    reason: "changes where commands and libraries are found, or what the shell runs",
  },

  // --- Package managers -------------------------------------------------------------------------------------------
  {
    id: "packages",
    commands: [
      "npm",
      "pnpm",
      "yarn",
      "pip",
      "pip3",
      "pipx",
      "uv",
      "gem",
      "apt",
      "apt-get",
      "dpkg",
      "apk",
      "yum",
      "dnf",
      "brew",
      "conda",
    ],
    class: "dangerous",
    reason: "installs or changes packages (and may run their scripts)",
  },
  {
    id: "packages-read",
    commands: ["npm", "pnpm", "yarn", "pip", "pip3"],
    when: sub("ls", "list", "view", "info", "show", "outdated", "why", "search", "freeze", "config"),
    class: "safe",
    reason: "lists packages",
    instead: true,
  },
  {
    id: "packages-remove-system",
    commands: ["apt", "apt-get", "dpkg", "apk", "yum", "dnf"],
    when: sub("remove", "purge", "autoremove", "del", "erase"),
    class: "destructive",
    reason: "removes system packages",
  },

  // --- Git ----------------------------------------------------------------------------------------------------------
  { id: "git", commands: ["git"], class: "dangerous", reason: "changes the repository or talks to a remote" },
  {
    id: "git-read",
    commands: ["git"],
    when: sub(
      "status",
      "log",
      "diff",
      "show",
      "blame",
      "rev-parse",
      "ls-files",
      "ls-tree",
      "describe",
      "shortlog",
      "grep",
      "reflog",
      "cat-file",
      "whatchanged",
    ),
    class: "safe",
    reason: "reads the repository",
    instead: true,
  },
  {
    id: "git-list",
    commands: ["git"],
    when: (call) =>
      ((sub("branch", "tag", "remote")(call) && operands(call).length === 1) ||
        (sub("stash")(call) && ["list", "show"].includes(operands(call)[1] ?? ""))) &&
      !hasFlag(call, "d", "D", "m", "M", "--delete", "--force"),
    class: "safe",
    reason: "lists branches, tags, remotes or stashes",
    instead: true,
  },
  {
    id: "git-force-push",
    commands: ["git"],
    when: both(sub("push"), flags("f", "--force", "--force-with-lease", "--mirror", "--delete", "d")),
    class: "destructive",
    reason: "rewrites or deletes history on the remote",
  },
  {
    id: "git-discard",
    commands: ["git"],
    when: (call) =>
      (sub("reset")(call) && hasFlag(call, "--hard")) ||
      (sub("clean")(call) && hasFlag(call, "f", "--force")) ||
      (sub("branch")(call) && hasFlag(call, "D")) ||
      (sub("checkout", "restore")(call) && operands(call).includes(".")) ||
      (sub("stash")(call) && operands(call).some((v) => v === "clear" || v === "drop")),
    class: "destructive",
    reason: "throws away uncommitted work or branches",
  },

  // --- Containers ---------------------------------------------------------------------------------------------------
  {
    id: "containers",
    commands: ["docker", "podman", "kubectl", "helm"],
    class: "dangerous",
    reason: "changes containers or clusters",
  },
  {
    id: "containers-destroy",
    commands: ["docker", "podman", "kubectl", "helm"],
    when: (call) =>
      operands(call).some((v) => v === "prune" || v === "rm" || v === "rmi" || v === "delete" || v === "uninstall") ||
      hasFlag(call, "--volumes"),
    class: "destructive",
    reason: "deletes containers, images, volumes or cluster objects",
  },

  // --- Privilege -----------------------------------------------------------------------------------------------------
  {
    id: "privilege",
    commands: ["sudo", "doas", "su", "pkexec", "runuser", "chroot", "nsenter", "unshare", "setpriv", "capsh"],
    class: "destructive",
    reason: "runs as another user or outside this environment",
  },
  {
    id: "alias-list",
    commands: ["alias", "trap", "hash"],
    when: noOperands,
    class: "safe",
    reason: "lists settings",
    instead: true,
  },
];

/**
 * The rules that decide the command's class: the exceptions that match (or else its base rows), and every other
 * conditional row that matches. Empty: no row names the command, which is then unknown.
 */
export function matchingRules(call: CommandInvocation): CommandRule[] {
  const named = rules.filter((rule) => rule.commands.includes(call.name));
  const matched = named.filter((rule) => rule.when !== undefined && rule.when(call));
  const exceptions = matched.filter((rule) => rule.instead === true);
  const base = exceptions.length > 0 ? exceptions : named.filter((rule) => rule.when === undefined);
  return [...base, ...matched.filter((rule) => rule.instead !== true)];
}
