/**
 * Flags for Debian's Chromium in tests and benchmarks. `--no-sandbox`: the tests run as root. The rest keep Chromium
 * off the network it cannot reach here (background updates, sync, QUIC), which would otherwise fail noisily at start.
 */
export const chromiumLaunchArgs: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
