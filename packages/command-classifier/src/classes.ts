/** How much a command can do, in increasing order. The class of a whole command is the highest of its parts. */
export const commandClasses = ["safe", "dangerous", "destructive"] as const;
export type CommandClass = (typeof commandClasses)[number];

export function classRank(value: CommandClass): number {
  return commandClasses.indexOf(value);
}

export function highestClass(values: Iterable<CommandClass>): CommandClass {
  let highest: CommandClass = "safe";
  for (const value of values) if (classRank(value) > classRank(highest)) highest = value;
  return highest;
}
