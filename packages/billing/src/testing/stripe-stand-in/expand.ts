import { invalidRequest } from "./errors.ts";
import { findObject, snapshot } from "./world.ts";
import type { World } from "./world.ts";

function cannotExpand(path: string, why: string) {
  return invalidRequest(`This property cannot be expanded (${path}): ${why}`, { param: "expand" });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function expandAt(world: World, node: Record<string, unknown>, segments: readonly string[], path: string): void {
  const [head = "", ...rest] = segments;
  if (head === "data" && node["object"] === "list" && Array.isArray(node["data"])) {
    for (const element of node["data"]) {
      if (rest.length === 0) throw cannotExpand(path, "a list's data is not an id");
      if (isRecord(element)) expandAt(world, element, rest, path);
    }
    return;
  }
  if (!Object.hasOwn(node, head)) throw cannotExpand(path, `there is no field ${head}`);
  let value = node[head];
  if (typeof value === "string") {
    const found = findObject(world, value);
    if (found === undefined) throw cannotExpand(path, `${value} is not an object the stand-in holds`);
    value = snapshot(found);
    node[head] = value;
  }
  if (rest.length === 0 || value === null) return;
  if (!isRecord(value)) throw cannotExpand(path, `${head} is not an object`);
  expandAt(world, value, rest, path);
}

/**
 * Stripe's `expand[]`: replaces ids at the given dotted paths (`latest_invoice`, `items.data.price`…) by the objects
 * they name, on a snapshot. A path that names no expandable id is refused, as Stripe refuses it, and so is an id of an
 * object the stand-in does not hold (payment methods, products): an answer never pretends to expand.
 */
export function expandObject<T>(world: World, object: T, paths: readonly string[] | undefined): T {
  for (const path of paths ?? []) {
    const segments = path.split(".");
    if (segments.length > 4) {
      throw invalidRequest(`You cannot expand more than 4 levels of a property (${path})`, { param: "expand" });
    }
    if (isRecord(object)) expandAt(world, object, segments, path);
  }
  return object;
}
