// The one place in this package that reads process.env: child processes inherit the caller's environment plus overrides.

/** The environment for a child process: everything this process has, with `overrides` applied (undefined removes). */
export function childProcessEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** The PATH entries of this process, for finding system binaries without a shell. */
export function pathEntries(): string[] {
  return (process.env["PATH"] ?? "").split(":").filter((entry) => entry !== "");
}
