import { spawnSync } from "node:child_process";

// Runs in a child process because Playwright loads its config synchronously; the ports are released before return,
// so another process could take one in between (unlikely on a test machine, and the server would then fail loudly).
const script = `
const net = require("node:net");
const count = Number(process.argv[1]);
const servers = [];
const ports = [];
function next() {
  if (ports.length === count) { for (const s of servers) s.close(); process.stdout.write(JSON.stringify(ports)); return; }
  const server = net.createServer();
  servers.push(server);
  server.listen(0, "127.0.0.1", () => { ports.push(server.address().port); next(); });
}
next();
`;

/** `count` distinct TCP ports that were free on 127.0.0.1 a moment ago. */
export function freePortsSync(count: number): number[] {
  const result = spawnSync(process.execPath, ["--input-type=commonjs", "-e", script, String(count)], {
    encoding: "utf8",
    timeout: 10_000,
  });
  if (result.status !== 0) throw new Error(`could not find free ports: ${result.stderr || String(result.error)}`);
  const ports = JSON.parse(result.stdout) as unknown;
  if (!Array.isArray(ports) || ports.length !== count || !ports.every((port) => Number.isInteger(port))) {
    throw new Error(`could not find free ports: unexpected output ${result.stdout}`);
  }
  return ports as number[];
}
