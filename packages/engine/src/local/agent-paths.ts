import { join } from "node:path";
import { EngineError } from "../engine-driver.ts";

/** Where one agent's workload lives under the driver's root directory. */
export interface AgentPaths {
  /** `<rootDir>/<agentId>`: everything of this agent; delete removes it whole. */
  readonly agentDir: string;
  /** `OPENCLAW_STATE_DIR` (and HOME) of the runtime: config, sessions, skills, credentials. */
  readonly stateDir: string;
  readonly configFile: string;
  /** The runtime's stdout and stderr, plus the driver's own `[agentbot-engine]` lines. */
  readonly logFile: string;
  /** The driver's record of the workload (workload-record.ts). */
  readonly recordFile: string;
  /** What a restart needs again: the spec's environment and resources (secrets: mode 0600, like the state dir). */
  readonly launchFile: string;
}

// TypeIDs (`agt_01h…`) and test ids fit; anything that could leave the root directory does not.
const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

export function isValidAgentId(agentId: string): boolean {
  return AGENT_ID.test(agentId);
}

export function agentPaths(rootDir: string, agentId: string): AgentPaths {
  if (!isValidAgentId(agentId)) {
    throw new EngineError(
      "invalid_config",
      "agentId must be 1-100 letters, digits, '_' or '-' (starting alphanumeric)",
    );
  }
  const agentDir = join(rootDir, agentId);
  const stateDir = join(agentDir, "state");
  return {
    agentDir,
    stateDir,
    configFile: join(stateDir, "openclaw.json"),
    logFile: join(agentDir, "runtime.log"),
    recordFile: join(agentDir, "workload.json"),
    launchFile: join(agentDir, "launch.json"),
  };
}
