// Row ids: TypeIDs (https://github.com/jetify-com/typeid) such as `bki_01jd6z8s3ffx9v0w7y3k4q2m1n`.
// The suffix is a UUIDv7 in Crockford base32, so ids sort by creation time (monotonic within a millisecond) and
// the prefix says what kind of row an id points at, which makes logs and support tickets readable and lets an API
// reject an agent id passed where a user id belongs.
import { TypeID, typeid } from "typeid-js";

/** One prefix per model. Add the model here when adding it to prisma/schema.prisma. */
export const idPrefixes = {
  backendInstance: "bki",
  user: "usr",
  account: "acc",
  session: "ses",
  verification: "ver",
  apiKey: "key",
  auditEvent: "aud",
  emailMessage: "eml",
  agent: "agt",
  agentOperation: "aop",
  agentEvent: "aev",
  planGrant: "pgr",
  usdcInvoice: "uin",
  usdcTransfer: "utx",
  billingEvent: "bev",
  billingTask: "btk",
  approvalRequest: "apr",
  agentExecAllowlistEntry: "axl",
} as const;

export type IdKind = keyof typeof idPrefixes;
export type IdPrefix<K extends IdKind> = (typeof idPrefixes)[K];
/** A TypeID string of one kind, e.g. `Id<"backendInstance">` is `bki_…`. */
export type Id<K extends IdKind> = `${IdPrefix<K>}_${string}`;

/** A new sortable id for a row of the given kind: `newId("backendInstance")` → `bki_01jd…`. */
export function newId<K extends IdKind>(kind: K): Id<K> {
  return typeid(idPrefixes[kind]).toString() as Id<K>;
}

/** Whether `value` is a well-formed id of the given kind (prefix and a valid UUIDv7-compatible suffix). */
export function isId<K extends IdKind>(kind: K, value: unknown): value is Id<K> {
  if (typeof value !== "string") return false;
  try {
    TypeID.fromString(value, idPrefixes[kind]);
    return true;
  } catch {
    return false;
  }
}

/** The creation time encoded in an id's UUIDv7 (millisecond precision). */
export function idTimestamp(id: string): Date {
  const hex = TypeID.fromString(id).toUUID().replaceAll("-", "").slice(0, 12);
  return new Date(Number.parseInt(hex, 16));
}
