import { invalidRequest } from "./errors.ts";
import type { FormValue } from "./form.ts";

/**
 * The parameters an endpoint accepts, checked the way Stripe checks them: an unknown parameter is refused
 * ("Received unknown parameter"), booleans and integers must parse, URLs must be URLs, metadata keeps Stripe's limits.
 * An empty string means "unset", as on Stripe, and reads as `undefined`. Required parameters are checked by the
 * endpoint (with `required`), since Stripe's rules for them depend on other parameters.
 *
 * The specs list only what our billing code sends: a parameter Stripe does accept but the stand-in does not model is
 * refused too, with a message saying so, rather than silently ignored.
 */
export interface Spec<T> {
  read(value: FormValue | undefined, param: string): T;
}

type Out<S> = S extends Spec<infer T> ? T : never;

function child(param: string, key: string | number): string {
  return param === "" ? String(key) : `${param}[${key}]`;
}

function scalar(value: FormValue | undefined, param: string, what: string): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string") throw invalidRequest(`Invalid ${what}: ${param} must be a ${what}`, { param });
  return value;
}

export function text(options: { max?: number } = {}): Spec<string | undefined> {
  return {
    read(value, param) {
      const string = scalar(value, param, "string");
      if (string !== undefined && options.max !== undefined && string.length > options.max) {
        throw invalidRequest(`Invalid ${param}: must be at most ${options.max} characters`, { param });
      }
      return string;
    },
  };
}

export function oneOf<const T extends string>(choices: readonly T[]): Spec<T | undefined> {
  return {
    read(value, param) {
      const string = scalar(value, param, "string");
      if (string === undefined) return undefined;
      if (!(choices as readonly string[]).includes(string)) {
        const listed = choices.length > 1 ? `${choices.slice(0, -1).join(", ")}, or ${choices.at(-1)}` : choices[0];
        throw invalidRequest(`Invalid ${param}: must be one of ${listed}`, { param });
      }
      return string as T;
    },
  };
}

export function bool(): Spec<boolean | undefined> {
  return {
    read(value, param) {
      const string = scalar(value, param, "boolean");
      if (string === undefined) return undefined;
      if (string !== "true" && string !== "false") throw invalidRequest(`Invalid boolean: ${string}`, { param });
      return string === "true";
    },
  };
}

export function int(options: { min?: number; max?: number } = {}): Spec<number | undefined> {
  return {
    read(value, param) {
      const string = scalar(value, param, "integer");
      if (string === undefined) return undefined;
      if (!/^-?\d+$/.test(string)) {
        throw invalidRequest(`Invalid integer: ${string}`, { param, code: "parameter_invalid_integer" });
      }
      const number = Number(string);
      if (options.min !== undefined && number < options.min) {
        throw invalidRequest(`Invalid ${param}: must be greater than or equal to ${options.min}`, { param });
      }
      if (options.max !== undefined && number > options.max) {
        throw invalidRequest(`Invalid ${param}: must be less than or equal to ${options.max}`, { param });
      }
      return number;
    },
  };
}

/** An absolute http(s) URL; Stripe refuses anything else with "Not a valid URL". */
export function url(): Spec<string | undefined> {
  return {
    read(value, param) {
      if (value === "") {
        throw invalidRequest(
          `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; ` +
            `however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
          { param, code: "parameter_invalid_empty" },
        );
      }
      const string = scalar(value, param, "string");
      if (string === undefined) return undefined;
      let parsed: URL | undefined;
      try {
        parsed = new URL(string);
      } catch {
        parsed = undefined;
      }
      if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:") || string.length > 5000) {
        throw invalidRequest("Not a valid URL", { param, code: "url_invalid" });
      }
      return string;
    },
  };
}

export function email(): Spec<string | undefined> {
  return {
    read(value, param) {
      const string = scalar(value, param, "string");
      if (string !== undefined && (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(string) || string.length > 512)) {
        throw invalidRequest(`Invalid email address: ${string}`, { param, code: "email_invalid" });
      }
      return string;
    },
  };
}

/**
 * Stripe's metadata rules: at most 50 keys, keys up to 40 characters without square brackets, string values up to
 * 500 characters; an empty value leaves the key out (on create, "unset" means absent).
 */
export function metadata(): Spec<Record<string, string> | undefined> {
  return {
    read(value, param) {
      if (value === undefined || value === "") return value === "" ? {} : undefined;
      if (typeof value === "string") throw invalidRequest(`Invalid hash: ${param} must be a hash`, { param });
      const entries = Array.isArray(value)
        ? value.map((item, index) => [String(index), item] as const)
        : Object.entries(value);
      if (entries.length > 50) {
        throw invalidRequest("Invalid metadata: metadata can have at most 50 keys", { param });
      }
      const result: Record<string, string> = {};
      for (const [key, item] of entries) {
        const itemParam = child(param, key);
        if (key.length > 40) {
          throw invalidRequest(`Invalid metadata: keys can be at most 40 characters (${key})`, { param: itemParam });
        }
        if (typeof item !== "string")
          throw invalidRequest(`Invalid string: ${itemParam} must be a string`, { param: itemParam });
        if (item.length > 500) {
          throw invalidRequest(`Invalid metadata: values can be at most 500 characters (${key})`, { param: itemParam });
        }
        if (item !== "") result[key] = item;
      }
      return result;
    },
  };
}

export function list<T>(item: Spec<T>, options: { max?: number } = {}): Spec<T[] | undefined> {
  return {
    read(value, param) {
      if (value === undefined || value === "") return undefined;
      if (!Array.isArray(value)) throw invalidRequest(`Invalid array: ${param} must be an array`, { param });
      if (options.max !== undefined && value.length > options.max) {
        throw invalidRequest(`Invalid array: ${param} can have at most ${options.max} elements`, { param });
      }
      return value.map((element, index) => item.read(element, child(param, index)));
    },
  };
}

type Shape = Record<string, Spec<unknown>>;
type Fields<S extends Shape> = { [K in keyof S]: Out<S[K]> };

function readFields<S extends Shape>(shape: S, value: Record<string, FormValue>, param: string): Fields<S> {
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(shape, key)) {
      throw invalidRequest(
        `Received unknown parameter: ${child(param, key)} (the Stripe stand-in accepts only the parameters our ` +
          "billing code uses; if Stripe accepts this one, teach the stand-in)",
        { param: child(param, key), code: "parameter_unknown" },
      );
    }
  }
  const result: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(shape)) result[key] = spec.read(value[key], child(param, key));
  return result as Fields<S>;
}

export function hash<S extends Shape>(shape: S): Spec<Fields<S> | undefined> {
  return {
    read(value, param) {
      if (value === undefined || value === "") return undefined;
      if (typeof value === "string" || Array.isArray(value)) {
        throw invalidRequest(`Invalid hash: ${param} must be a hash`, { param });
      }
      return readFields(shape, value, param);
    },
  };
}

/** Reads an endpoint's top-level parameters. */
export function readParams<S extends Shape>(shape: S, params: Record<string, FormValue>): Fields<S> {
  return readFields(shape, params, "");
}

export function required<T>(value: T | undefined, param: string): T {
  if (value === undefined) {
    throw invalidRequest(`Missing required param: ${param}.`, { param, code: "parameter_missing" });
  }
  return value;
}

/**
 * A list element that must be given: an empty string inside a list is not "unset" but a hole, which Stripe refuses
 * (`expand[0]=` names no field).
 */
export function present<T>(spec: Spec<T | undefined>): Spec<T> {
  return {
    read(value, param) {
      const result = spec.read(value, param);
      if (result === undefined) {
        throw invalidRequest(`Invalid ${param}: must not be empty`, { param, code: "parameter_invalid_empty" });
      }
      return result;
    },
  };
}

/** `expand[]` on a retrieve, the only parameter our GETs send. */
export const expandParams = { expand: list(present(text())) };
