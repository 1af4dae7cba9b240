/**
 * The test process's own environment, for the local driver's isolation test: it plants a "platform secret" here and
 * proves the workloads never see it.
 */
export function setParentEnv(name: string, value: string): void {
  process.env[name] = value;
}

export function parentEnv(name: string): string | undefined {
  return process.env[name];
}

export function deleteParentEnv(name: string): void {
  delete process.env[name];
}
