#!/usr/bin/env node
// Entrypoint of the Agentbot runtime image (docker/runtime.Dockerfile; tini is PID 1 and runs this).
//
// 1. Writes the agent's OpenClaw config, passed by the engine driver as the variable AGENTBOT_OPENCLAW_CONFIG (JSON),
//    to $OPENCLAW_STATE_DIR/openclaw.json with mode 0600 (written to a temporary file, then renamed: a crash never
//    leaves half a config). The platform is the source of truth: the file is replaced on every start. When the
//    variable is absent, an existing file is kept; with neither, it exits 78 (EX_CONFIG, what OpenClaw itself uses
//    for configuration problems, so supervisors do not restart-loop on it).
// 2. When started as root with AGENTBOT_RUNTIME_USER set (the image sets `node`), it makes the volume and the state
//    dir writable for that user (hosts such as Railway mount volumes root-owned) and drops to it: the gateway never
//    runs as root.
// 3. Runs `node <openclaw.mjs> gateway --bind lan --port 18789` as its child, forwarding SIGTERM/SIGINT/SIGHUP to
//    it, and when it ends prints `openclaw gateway exited with code <n>` and exits with the same code. (Not execve:
//    Railway reports a crash without an exit code, and the Railway driver reads that line from the deployment's
//    logs to tell a refused configuration, code 78, from any other crash.) AGENTBOT_RUNTIME_EXEC names another script to run instead
//    of openclaw.mjs (tests substitute a fake gateway). The AGENTBOT_* variables are not passed on.
//
// Plain JavaScript on purpose: it runs before anything else in the image and a test runs it directly.
import { spawn } from "node:child_process";
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";

const EX_CONFIG = 78;
const GATEWAY_PORT = "18789";
const DEFAULT_ENTRY = "/usr/local/lib/node_modules/openclaw/openclaw.mjs";

const env = process.env;
const stateDir = env.OPENCLAW_STATE_DIR || "/data/.openclaw";
const configPath = join(stateDir, "openclaw.json");
const entry = env.AGENTBOT_RUNTIME_EXEC || DEFAULT_ENTRY;

function log(message) {
  console.error(`[agentbot-runtime] ${message}`);
}

function fail(message, code = EX_CONFIG) {
  log(message);
  process.exit(code);
}

/** The config document from AGENTBOT_OPENCLAW_CONFIG, checked to be a JSON object (its content is never printed). */
function readConfigVariable() {
  const raw = env.AGENTBOT_OPENCLAW_CONFIG;
  if (raw === undefined || raw.trim() === "") return undefined;
  let parsed;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    fail(
      `AGENTBOT_OPENCLAW_CONFIG is not valid JSON (${error instanceof SyntaxError ? error.message : "parse error"})`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    fail("AGENTBOT_OPENCLAW_CONFIG must be a JSON object");
  }
  return raw.endsWith("\n") ? raw : `${raw}\n`;
}

/** uid, gid and home of a local user, from /etc/passwd (Node has no getpwnam). */
function lookUpUser(name) {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((candidate) => candidate.split(":")[0] === name);
  if (line === undefined) fail(`AGENTBOT_RUNTIME_USER: no user "${name}" in /etc/passwd`);
  const [, , uid, gid, , home] = line.split(":");
  return { name, uid: Number(uid), gid: Number(gid), home: home || "/" };
}

function chownTree(path, user) {
  chownSync(path, user.uid, user.gid);
  if (!statSync(path).isDirectory()) return;
  for (const child of readdirSync(path, { withFileTypes: true })) {
    const childPath = join(path, child.name);
    if (child.isSymbolicLink()) continue;
    if (child.isDirectory()) chownTree(childPath, user);
    else chownSync(childPath, user.uid, user.gid);
  }
}

/** Writes `content` to `path` with mode 0600 via a temporary file in the same directory and a rename. */
function writeConfigFile(path, content, owner) {
  const temporary = `${path}.agentbot-${process.pid}.tmp`;
  const fd = openSync(temporary, "w", 0o600);
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // The umask cannot widen the mode, but a pre-existing temporary file could have another one.
  chmodSync(temporary, 0o600);
  if (owner) chownSync(temporary, owner.uid, owner.gid);
  renameSync(temporary, path);
}

const config = readConfigVariable();
const runAs = env.AGENTBOT_RUNTIME_USER && process.getuid?.() === 0 ? lookUpUser(env.AGENTBOT_RUNTIME_USER) : undefined;

try {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  if (runAs) {
    // The state dir (all of it only when it is not the user's yet: a first start, or state written by a root-run
    // image), and its parent when that is a mounted volume's root (e.g. /data), so the runtime can use the volume.
    const parent = dirname(stateDir);
    const parentIsMountRoot = statSync(parent).dev !== statSync(dirname(parent)).dev;
    if (parentIsMountRoot && statSync(parent).uid !== runAs.uid) chownSync(parent, runAs.uid, runAs.gid);
    if (statSync(stateDir).uid !== runAs.uid) chownTree(stateDir, runAs);
  }
  chmodSync(stateDir, 0o700);
  if (config !== undefined) {
    writeConfigFile(configPath, config, runAs);
    log(`wrote ${configPath}`);
  } else if (existsSync(configPath)) {
    log(`AGENTBOT_OPENCLAW_CONFIG is not set: keeping ${configPath}`);
  } else {
    fail(`AGENTBOT_OPENCLAW_CONFIG is not set and ${configPath} does not exist`);
  }
} catch (error) {
  fail(`could not prepare ${stateDir}: ${error instanceof Error ? error.message : String(error)}`, 1);
}

const gatewayEnv = { ...env, OPENCLAW_STATE_DIR: stateDir };
delete gatewayEnv.AGENTBOT_OPENCLAW_CONFIG;
delete gatewayEnv.AGENTBOT_RUNTIME_EXEC;
delete gatewayEnv.AGENTBOT_RUNTIME_USER;
if (runAs) {
  gatewayEnv.HOME = runAs.home;
  gatewayEnv.USER = runAs.name;
  process.initgroups(runAs.name, runAs.gid);
  process.setgid(runAs.gid);
  process.setuid(runAs.uid);
}

const argv = [process.execPath, entry, "gateway", "--bind", "lan", "--port", GATEWAY_PORT, ...process.argv.slice(2)];
log(`starting ${entry} gateway on port ${GATEWAY_PORT}${runAs ? ` as ${runAs.name}` : ""}`);
process.chdir(stateDir);
const gateway = spawn(argv[0], argv.slice(1), { env: gatewayEnv, stdio: "inherit" });
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
  process.on(signal, () => gateway.kill(signal));
}
gateway.on("error", (error) => fail(`could not start the gateway: ${error.message}`, 1));
gateway.on("exit", (code, signal) => {
  const exitCode = code ?? (signal === "SIGTERM" || signal === "SIGINT" ? 0 : 1);
  log(`openclaw gateway exited with code ${code ?? `null (signal ${signal})`}`);
  process.exit(exitCode);
});
