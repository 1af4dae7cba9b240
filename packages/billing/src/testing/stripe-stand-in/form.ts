import { invalidRequest } from "./errors.ts";

/**
 * Stripe's v1 parameters: `application/x-www-form-urlencoded` with bracketed keys, as the stripe SDK (and `qs`)
 * encode them: `metadata[userId]=u1`, `line_items[0][price]=price_x`, `expand[]=items`. Answers nested plain objects
 * of strings; a level whose keys are all indexes becomes an array (in index order). A key used both as a value and as
 * a hash (`a=1&a[b]=2`) is refused, as Stripe refuses it. Values stay strings: the endpoint's parameter spec decides
 * what is a boolean or an integer (see params.ts).
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

type Tree = Map<string, Tree | string>;

const KEY = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;

function segmentsOf(key: string): string[] {
  const match = KEY.exec(key);
  if (!match) throw invalidRequest(`Invalid parameter name: ${key}`, { param: key });
  const [, head = "", rest = ""] = match;
  return [head, ...[...rest.matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1] ?? "")];
}

/** `line_items[0][price]` as Stripe names a parameter in its errors. */
export function bracketPath(segments: readonly string[]): string {
  const [head = "", ...rest] = segments;
  return head + rest.map((segment) => `[${segment}]`).join("");
}

function entriesOf(tree: Tree): [string, FormValue][] {
  return [...tree].map(([key, child]) => [key, typeof child === "string" ? child : toValue(child)]);
}

function toValue(tree: Tree): FormValue {
  const entries = entriesOf(tree);
  if (entries.every(([key]) => /^(0|[1-9]\d*)$/.test(key))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, value]) => value);
  }
  return Object.fromEntries(entries);
}

export function parseForm(raw: string): Record<string, FormValue> {
  const root: Tree = new Map();
  for (const [key, value] of new URLSearchParams(raw)) {
    const segments = segmentsOf(key);
    let node = root;
    segments.forEach((segment, index) => {
      // `expand[]=a&expand[]=b`: an empty segment appends.
      const name = segment === "" ? String(node.size) : segment;
      const path = bracketPath(segments.slice(0, index + 1));
      const last = index === segments.length - 1;
      const existing = node.get(name);
      if (last) {
        if (existing instanceof Map) {
          throw invalidRequest(`Invalid hash: ${path} was given both a value and nested keys`, { param: path });
        }
        node.set(name, value);
        return;
      }
      if (typeof existing === "string") {
        throw invalidRequest(`Invalid hash: ${path} was given both a value and nested keys`, { param: path });
      }
      const child: Tree = existing ?? new Map<string, Tree | string>();
      node.set(name, child);
      node = child;
    });
  }
  return Object.fromEntries(entriesOf(root));
}
