import path from "node:path";

/** The repository root (this file is scripts/platform/lib/paths.ts). */
export const repoRoot = path.resolve(import.meta.dirname, "..", "..", "..");

export const paths = {
  backendDir: path.join(repoRoot, "apps", "backend"),
  backendMain: path.join(repoRoot, "apps", "backend", "src", "main.ts"),
  webDir: path.join(repoRoot, "apps", "web"),
  nextBin: path.join(repoRoot, "apps", "web", "node_modules", ".bin", "next"),
  playwrightBin: path.join(repoRoot, "apps", "web", "node_modules", ".bin", "playwright"),
  playwrightConfig: path.join(repoRoot, "apps", "web", "playwright.config.ts"),
  bin: (name: string): string => path.join(repoRoot, "node_modules", ".bin", name),
} as const;

/** `file` relative to the repository when inside it (shorter in messages), else absolute. */
export function displayPath(file: string): string {
  const relative = path.relative(repoRoot, file);
  return relative === "" || relative.startsWith("..") ? file : relative;
}
