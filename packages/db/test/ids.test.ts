import { describe, expect, it } from "vitest";
import { idPrefixes, idTimestamp, isId, newId } from "../src/index.ts";

describe("ids", () => {
  it("are TypeIDs with the model's prefix and a 26-character base32 suffix", () => {
    const id = newId("backendInstance");
    expect(id).toMatch(/^bki_[0-7][0-9a-hjkmnp-tv-z]{25}$/);
    expect(isId("backendInstance", id)).toBe(true);
  });

  it("sort by creation time, also within one millisecond", () => {
    const ids = Array.from({ length: 5_000 }, () => newId("backendInstance"));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("carry their creation time", () => {
    const before = Date.now();
    const id = newId("backendInstance");
    const at = idTimestamp(id).getTime();
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it("reject other kinds and malformed values", () => {
    expect(isId("backendInstance", "usr_01h2xcejqtf2nbrexx3vqjhp41")).toBe(false);
    expect(isId("backendInstance", "bki_notanid")).toBe(false);
    expect(isId("backendInstance", 42)).toBe(false);
  });

  it("use one distinct three-letter prefix per model", () => {
    const prefixes = Object.values(idPrefixes);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const prefix of prefixes) expect(prefix).toMatch(/^[a-z]{3}$/);
  });
});
