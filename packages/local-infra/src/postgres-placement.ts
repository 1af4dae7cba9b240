// Where an embedded PostgreSQL server's binaries and data live when it must run as another user.
//
// PostgreSQL refuses to run as root, so as root we run it as the `postgres` user. That user cannot enter a checkout
// under a folder only its owner may enter (`/root` is mode 700 on Debian, and so is every `mktemp -d` folder). Rather
// than ask anyone to loosen their home folder's permissions, the server runs from places it can reach, under the
// *system directory* (default /var/lib/agentbot, root's, mode 755):
//
//   <system dir>/postgres-binaries/<package>@<version>/   a copy of the npm package's native/ (bin, lib, share), ~60 MB,
//                                                          shared by every checkout using that version
//   <system dir>/postgres/<id>/data                       a cluster, owned by `postgres`, mode 700
//   <system dir>/postgres/<id>/link.json                  which path links to it ({ link, ephemeral })
//
// and the requested data directory (e.g. `.data/postgres`) becomes a symbolic link to `<id>/data`, so the checkout
// still shows where its data is and deleting `.data/` still starts from an empty cluster. Only what is needed moves:
// binaries the server user can already run, and data directories it can already reach, are used where they are.
//
// Reachability is tested by running a process as the server user, with the same credentials the server gets (uid,
// gid, no supplementary groups: what Node's spawn sets), so modes, ACLs and groups are all taken into account.
//
// What this does not do: remove the cluster of a checkout that was deleted or moved away as a whole (nothing says
// whether it moved or died); those stay under <system dir>/postgres/ with link.json naming where they belonged. The
// clusters of a data directory that was deleted and started again at the same path, and ephemeral clusters whose link
// is gone, are removed.
import { randomBytes } from "node:crypto";
import {
  chmod,
  chown,
  cp,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import { findExecutable, runCommand } from "./system.ts";
import type { Progress, UserIds } from "./system.ts";

export const defaultSystemDir = "/var/lib/agentbot";

export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

/** The npm package that ships the binaries: its name, version and the `native/` folder holding bin, lib and share. */
export interface BinariesPackage {
  readonly name: string;
  readonly version: string;
  readonly nativeDir: string;
}

interface LinkRecord {
  /** Absolute path of the symbolic link that points to this cluster. */
  readonly link: string;
  /** Throwaway cluster (tests): removed with its server, or by the next placement once its link is gone. */
  readonly ephemeral: boolean;
}

/** True if `user` (as the server will run: uid, gid, no supplementary groups) can run `postgres --version`. */
export async function canRunAs(postgresBinary: string, user: UserIds): Promise<boolean> {
  try {
    await runCommand(postgresBinary, ["--version"], { uid: user.uid, gid: user.gid });
    return true;
  } catch {
    return false;
  }
}

/** True if `user` can enter `dir` (search permission on it and on every folder above it). */
export async function canEnterAs(dir: string, user: UserIds): Promise<boolean> {
  const test = findExecutable("test", ["/usr/bin", "/bin"]);
  if (test === null) throw new Error("cannot check folder permissions: no `test` program (coreutils) found");
  try {
    await runCommand(test, ["-x", dir], { uid: user.uid, gid: user.gid });
    return true;
  } catch {
    return false;
  }
}

async function ensureSystemDir(systemDir: string, runAs: UserIds, sub: string): Promise<string> {
  const dir = path.join(systemDir, sub);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  await chmod(dir, 0o755);
  if (!(await canEnterAs(dir, runAs))) {
    throw new Error(
      `the 'postgres' user cannot enter ${dir}: choose a system directory it can reach (AGENTBOT_SYSTEM_DIR), ` +
        "or set DATABASE_URL.",
    );
  }
  return dir;
}

/**
 * The binaries the server user can run: `bins` where they are when it can, otherwise a copy of the package's
 * `native/` folder under `<systemDir>/postgres-binaries/`, made once per package version (atomically: a copy in
 * progress is never used, and concurrent copies agree).
 */
export async function placeBinaries(options: {
  readonly bins: PostgresBinaries;
  readonly pkg: BinariesPackage;
  readonly runAs: UserIds;
  readonly systemDir: string;
  readonly onProgress: Progress;
}): Promise<PostgresBinaries> {
  const { bins, pkg, runAs, onProgress } = options;
  if (await canRunAs(bins.postgres, runAs)) return bins;
  const home = await ensureSystemDir(options.systemDir, runAs, "postgres-binaries");
  const dest = path.join(home, `${pkg.name.replace(/^@/, "").replace(/\//g, "-")}@${pkg.version}`);
  const placed = relocated(bins, pkg.nativeDir, dest);
  if (!(await exists(path.join(dest, ".complete")))) {
    onProgress(
      `the 'postgres' user cannot reach the PostgreSQL binaries in this checkout: copying them to ${dest} (one time)…`,
    );
    const staging = `${dest}.tmp-${randomBytes(4).toString("hex")}`;
    try {
      await cp(pkg.nativeDir, staging, { recursive: true, verbatimSymlinks: true, errorOnExist: true });
      await chmodTree(staging);
      await writeFile(path.join(staging, ".complete"), `${pkg.name}@${pkg.version}\n`, { mode: 0o644 });
      await rename(staging, dest).catch(async (error: unknown) => {
        // Another run finished the same copy first: keep theirs.
        if (!(await exists(path.join(dest, ".complete")))) throw error;
      });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  if (!(await canRunAs(placed.postgres, runAs))) {
    throw new Error(`the 'postgres' user cannot run ${placed.postgres} either: check the modes under ${home}.`);
  }
  return placed;
}

function relocated(bins: PostgresBinaries, fromDir: string, toDir: string): PostgresBinaries {
  return {
    initdb: path.join(toDir, path.relative(fromDir, bins.initdb)),
    postgres: path.join(toDir, path.relative(fromDir, bins.postgres)),
  };
}

/** Folders 755 and files readable by all, whatever the umask was: the server user only reads and runs them. */
async function chmodTree(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await chmodTree(full);
    else if (entry.isFile()) {
      const { mode } = await lstat(full);
      await chmod(full, (mode & 0o111) === 0 ? 0o644 : 0o755);
    }
  }
}

export interface DataPlacement {
  /** The folder the server uses: `dataDir` itself, or the cluster folder it links to. */
  readonly dataDir: string;
  /** Where the data lives when it is not `dataDir` itself (for messages), else null. */
  readonly relocatedTo: string | null;
  /** Removes an ephemeral relocated cluster and its link; nothing otherwise. Call after the server stopped. */
  readonly dispose: () => Promise<void>;
}

const keep: DataPlacement["dispose"] = () => Promise.resolve();

/**
 * Decides where the server keeps `dataDir`'s cluster (see the comment at the top of this file). `isRunningOn(dir)`
 * says whether a postmaster is running on a cluster folder, so a cluster in use is never removed.
 */
export async function placeDataDir(options: {
  readonly dataDir: string;
  readonly runAs: UserIds;
  readonly systemDir: string;
  readonly ephemeral: boolean;
  readonly onProgress: Progress;
  readonly isRunningOn: (clusterDir: string) => Promise<boolean>;
}): Promise<DataPlacement> {
  const { runAs, ephemeral, onProgress } = options;
  const dataDir = path.resolve(options.dataDir);
  const info = await lstat(dataDir).catch(() => null);

  if (info?.isSymbolicLink()) {
    const target = path.resolve(path.dirname(dataDir), await readlink(dataDir));
    if (await exists(target)) {
      return { dataDir: target, relocatedTo: target, dispose: ephemeral ? removeCluster(dataDir, target) : keep };
    }
    onProgress(`${dataDir} links to ${target}, which no longer exists: starting an empty cluster`);
    await rm(dataDir, { force: true });
  } else if (info !== null) {
    if (await canEnterAs(dataDir, runAs)) return { dataDir, relocatedTo: null, dispose: keep };
    if ((await readdir(dataDir)).length > 0) {
      throw new Error(
        `${dataDir} holds data the 'postgres' user cannot reach (PostgreSQL refuses root and runs as that user). ` +
          `Move it under ${options.systemDir}/postgres/ (owned by postgres) and link ${dataDir} to it, ` +
          "or delete it to start from an empty cluster, or set DATABASE_URL.",
      );
    }
    await rm(dataDir, { recursive: true });
  }

  const parent = path.dirname(dataDir);
  await mkdir(parent, { recursive: true });
  if (await canEnterAs(parent, runAs)) return { dataDir, relocatedTo: null, dispose: keep };

  const clusters = await ensureSystemDir(options.systemDir, runAs, "postgres");
  const home = path.join(clusters, randomBytes(6).toString("hex"));
  const clusterDir = path.join(home, "data");
  await mkdir(home, { mode: 0o755 });
  const record: LinkRecord = { link: dataDir, ephemeral };
  await writeFile(path.join(home, "link.json"), `${JSON.stringify(record)}\n`, { mode: 0o644 });
  await mkdir(clusterDir, { mode: 0o700 });
  await chown(clusterDir, runAs.uid, runAs.gid);
  await symlink(clusterDir, dataDir);
  onProgress(`the 'postgres' user cannot reach ${parent}: the cluster lives in ${clusterDir} (${dataDir} links to it)`);
  await removeAbandonedClusters(clusters, home, options.isRunningOn, onProgress);
  return {
    dataDir: clusterDir,
    relocatedTo: clusterDir,
    dispose: ephemeral ? removeCluster(dataDir, clusterDir) : keep,
  };
}

function removeCluster(link: string, clusterDir: string): DataPlacement["dispose"] {
  return async () => {
    await rm(path.dirname(clusterDir), { recursive: true, force: true });
    await rm(link, { force: true });
  };
}

/**
 * Removes clusters nothing points to any more, except `current` and any a postmaster runs on: ephemeral ones whose
 * link is gone, and earlier clusters of the same link path (its data directory was deleted and started again).
 */
async function removeAbandonedClusters(
  clusters: string,
  current: string,
  isRunningOn: (clusterDir: string) => Promise<boolean>,
  onProgress: Progress,
): Promise<void> {
  const currentRecord = await readRecord(current);
  for (const name of await readdir(clusters)) {
    const home = path.join(clusters, name);
    if (home === current) continue;
    const record = await readRecord(home);
    if (record === null) continue;
    const clusterDir = path.join(home, "data");
    const linkTarget = await readlink(record.link).catch(() => null);
    const stillLinked = linkTarget !== null && path.resolve(path.dirname(record.link), linkTarget) === clusterDir;
    const replaced = record.link === currentRecord?.link;
    const abandoned = !stillLinked && (replaced || record.ephemeral);
    if (!abandoned || (await isRunningOn(clusterDir))) continue;
    onProgress(`removing ${home}: the cluster of an earlier ${record.link}, which was deleted`);
    await rm(home, { recursive: true, force: true });
  }
}

async function readRecord(home: string): Promise<LinkRecord | null> {
  try {
    const value = JSON.parse(await readFile(path.join(home, "link.json"), "utf8")) as Partial<LinkRecord>;
    return typeof value.link === "string" ? { link: value.link, ephemeral: value.ephemeral === true } : null;
  } catch {
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  return (await lstat(file).catch(() => null)) !== null;
}
