import { processesWithEnvironment, processStartTime, stopProcesses } from "@agentbot/local-infra";
import type { ProcessExit } from "@agentbot/local-infra";
import { setInheritedVariable } from "../env.ts";
import { log, seconds } from "./log.ts";

export interface Resource {
  readonly name: string;
  readonly stop: () => Promise<void>;
}

/** Thrown into the start-up flow once a shutdown has begun, so it stops starting things. */
export class ShuttingDown extends Error {
  constructor() {
    super("shutting down");
    this.name = "ShuttingDown";
  }
}

export function describeExit(exit: ProcessExit): string {
  return exit.signal === null ? `exit code ${String(exit.code)}` : `signal ${exit.signal}`;
}

/**
 * The environment variable every process started by the run `pid` (started at `startTime`) inherits. Its name holds
 * the pid, so nested runs (a test that runs `start`) each keep their own.
 */
export function runMarker(pid: number, startTime: string): { readonly name: string; readonly value: string } {
  return { name: `AGENTBOT_RUN_${pid}`, value: startTime };
}

/** Stops every live process that carries the marker of run `pid`; returns how many there were. */
export async function stopMarkedProcesses(pid: number, startTime: string): Promise<number> {
  const marker = runMarker(pid, startTime);
  const leftovers = processesWithEnvironment(marker.name, marker.value);
  await stopProcesses(leftovers);
  return leftovers.length;
}

/**
 * Owns everything a platform command started. Resources stop in reverse start order (web, backend, PostgreSQL)
 * on Ctrl-C, SIGTERM, SIGHUP, an unexpected child exit or an error; each stop escalates to SIGKILL after its grace
 * period, so shutdown always ends. A resource still starting when the shutdown begins is stopped once it has started.
 * Last, any process that still carries this run's marker (see runMarker) is stopped too: servers whose parent died
 * before it could stop them, such as a PostgreSQL started by a test worker that Ctrl-C killed.
 */
export class Supervisor {
  readonly #startTime: string;
  readonly #resources: Resource[] = [];
  readonly #pending = new Set<Promise<unknown>>();
  readonly #beforeExit: (() => Promise<void>)[] = [];
  #shutdown: Promise<never> | null = null;

  constructor() {
    const startTime = processStartTime(process.pid);
    if (startTime === null) throw new Error("cannot read this process's start time from /proc");
    this.#startTime = startTime;
    const marker = runMarker(process.pid, startTime);
    setInheritedVariable(marker.name, marker.value);
  }

  get shuttingDown(): boolean {
    return this.#shutdown !== null;
  }

  /** Runs `begin` and owns what it returns; throws ShuttingDown if a shutdown began first. */
  async start<T extends Resource>(begin: () => Promise<T>): Promise<T> {
    if (this.shuttingDown) throw new ShuttingDown();
    const starting = begin();
    this.#pending.add(starting);
    try {
      const resource = await starting;
      this.#resources.push(resource);
      if (this.shuttingDown) throw new ShuttingDown();
      return resource;
    } finally {
      this.#pending.delete(starting);
    }
  }

  /** Owns a resource only for the duration of `during` (e.g. a build that must die with us on Ctrl-C). */
  async while<T>(resource: Resource, during: () => Promise<T>): Promise<T> {
    this.#resources.push(resource);
    try {
      const result = await during();
      if (this.shuttingDown) throw new ShuttingDown();
      return result;
    } finally {
      const index = this.#resources.indexOf(resource);
      if (index >= 0 && !this.shuttingDown) this.#resources.splice(index, 1);
    }
  }

  /** A child that must not exit on its own: if it does, everything stops and the command fails. */
  watch(name: string, exited: Promise<ProcessExit>): void {
    void exited.then((exit) => {
      if (this.shuttingDown) return;
      log.error(`${name} exited unexpectedly (${describeExit(exit)}): stopping everything`);
      void this.shutdown(1);
    });
  }

  onBeforeExit(task: () => Promise<void>): void {
    this.#beforeExit.push(task);
  }

  /** Ctrl-C, SIGTERM and SIGHUP stop everything and exit with `exitCode`. */
  installSignalHandlers(exitCode: number): void {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (this.shuttingDown) {
        log.warn(`${signal} again: still stopping (each process gets SIGKILL after its grace period)…`);
        return;
      }
      process.stdout.write("\n");
      log.info(`${signal} received: stopping…`);
      void this.shutdown(exitCode);
    };
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
  }

  /** Stops everything (once; later calls share the first) and exits with `code`. */
  shutdown(code: number): Promise<never> {
    this.#shutdown ??= this.#run(code);
    return this.#shutdown;
  }

  async #run(code: number): Promise<never> {
    await Promise.allSettled([...this.#pending]);
    for (const resource of [...this.#resources].reverse()) {
      const started = performance.now();
      log.info(`stopping ${resource.name}…`);
      try {
        await resource.stop();
        log.ok(`stopped ${resource.name} (${seconds(performance.now() - started)})`);
      } catch (error) {
        log.error(`could not stop ${resource.name}: ${String(error)}`);
        code = code === 0 ? 1 : code;
      }
    }
    const leftovers = await stopMarkedProcesses(process.pid, this.#startTime);
    if (leftovers > 0) log.warn(`stopped ${leftovers} leftover process(es) that outlived their parents`);
    for (const task of this.#beforeExit) await task().catch(() => undefined);
    process.exit(code);
  }
}
