import { readFile } from "node:fs/promises";
import { z } from "zod";
import { EngineError } from "../engine-driver.ts";
import { writePrivateFile } from "./private-files.ts";

/**
 * `<rootDir>/<agentId>/workload.json`: what the local driver knows about a workload, so that a new driver instance
 * (after a backend restart) can find, verify and manage processes it did not start. No secrets in it.
 */
const WorkloadRecordSchema = z.object({
  version: z.literal(1),
  agentId: z.string(),
  name: z.string(),
  runtimeVersion: z.string(),
  port: z.number().int().positive(),
  /** The runtime's pid (also its process group id); null before the first spawn. */
  pid: z.number().int().positive().nullable(),
  /** Linux: the process's start time in clock ticks (/proc/<pid>/stat field 22), a guard against pid reuse. */
  processStartTicks: z.string().nullable(),
  /** What the backend last asked for: a dead process is `crashed` only when it should be running. */
  desiredState: z.enum(["running", "stopped"]),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  /** How the process `pid` ended, when a driver instance saw it end. */
  lastExit: z
    .object({
      pid: z.number().int(),
      code: z.number().int().nullable(),
      signal: z.string().nullable(),
      at: z.iso.datetime(),
    })
    .nullable(),
});

export type WorkloadRecord = z.infer<typeof WorkloadRecordSchema>;

/** The record, or null when there is none. A record that is not ours to read is an engine error naming the file. */
export async function readWorkloadRecord(path: string): Promise<WorkloadRecord | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new EngineError("engine_error", `cannot read the workload record ${path}`, { cause: error });
  }
  return parseWorkloadRecord(text, path);
}

export function parseWorkloadRecord(text: string, path: string): WorkloadRecord {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EngineError("engine_error", `the workload record ${path} is not valid JSON`, { cause: error });
  }
  const parsed = WorkloadRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EngineError(
      "engine_error",
      `the workload record ${path} is malformed: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}

export async function writeWorkloadRecord(path: string, record: WorkloadRecord): Promise<void> {
  await writePrivateFile(path, `${JSON.stringify(record, null, 2)}\n`);
}

/** `<rootDir>/<agentId>/launch.json`: the spec parts a later start/restart needs again (env holds secrets). */
const LaunchFileSchema = z.object({
  resources: z.object({ cpuMillicores: z.number(), memoryMb: z.number() }),
  env: z.record(z.string(), z.string()),
});

export type LaunchFile = z.infer<typeof LaunchFileSchema>;

export async function readLaunchFile(path: string): Promise<LaunchFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new EngineError("engine_error", `cannot read the launch file ${path}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // No cause: V8's message quotes the text around the error, and this file holds secrets.
    throw new EngineError("engine_error", `the launch file ${path} is not valid JSON`);
  }
  const parsed = LaunchFileSchema.safeParse(json);
  if (!parsed.success) throw new EngineError("engine_error", `the launch file ${path} is malformed`);
  return parsed.data;
}

export async function writeLaunchFile(path: string, launch: LaunchFile): Promise<void> {
  await writePrivateFile(path, `${JSON.stringify(launch)}\n`);
}
