// The only test file that reads process.env (lint allows test/env.ts): environments for child processes.

/** This process's environment without `names`. */
export function envWithout(...names: string[]): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of names) delete env[name];
  return env;
}
