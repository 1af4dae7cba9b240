/**
 * Runs `run` every `intervalMs` after the previous run ended (never overlapping), until stopped. A failing run is
 * reported to `onError` and the schedule goes on. `stop()` waits for a run in flight.
 */
export function createPeriodicTask(intervalMs: number, run: () => Promise<unknown>, onError: (error: unknown) => void) {
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> | undefined;
  let stopped = true;

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = run().catch(onError).finally(schedule);
    }, intervalMs);
    timer.unref();
  };

  return {
    get stopped() {
      return stopped;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await inFlight?.catch(() => undefined);
    },
  };
}
