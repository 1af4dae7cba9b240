import { z } from "zod";
import type { ExecApprovalDecision, ExecApprovalRequest as ExecApprovalRequestType } from "./exec-approvals.ts";
import { ExecApprovalRequest } from "./exec-approvals.ts";
import { OperatorError } from "./frames.ts";

/**
 * Typed calls for the methods the platform uses, over anything that can send a request (one connection or the
 * reconnecting client). Each answer is checked with zod; an answer of another shape is an OperatorError(`protocol`)
 * naming the method, never a silently wrong value. Shapes were read off openclaw@2026.9.6.
 */

export interface OperatorRequester {
  request(method: string, params?: unknown, options?: { readonly timeoutMs?: number }): Promise<unknown>;
}

async function call<T extends z.ZodType>(
  requester: OperatorRequester,
  method: string,
  params: unknown,
  schema: T,
): Promise<z.output<T>> {
  const answer = await requester.request(method, params);
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new OperatorError("protocol", `${method}: unexpected answer: ${parsed.error.message}`);
  return parsed.data;
}

const Ok = z.looseObject({ ok: z.boolean().optional() });

/** The host approvals document: the policy floor the runtime combines with `tools.exec.mode`. */
export const ExecApprovalsDocument = z.looseObject({
  version: z.literal(1),
  defaults: z
    .looseObject({
      security: z.enum(["deny", "allowlist", "full"]).optional(),
      ask: z.enum(["off", "on-miss", "always"]).optional(),
      askFallback: z.enum(["deny", "allowlist", "full"]).optional(),
      autoAllowSkills: z.boolean().optional(),
    })
    .default({}),
  agents: z
    .record(
      z.string(),
      z.looseObject({
        security: z.enum(["deny", "allowlist", "full"]).optional(),
        ask: z.enum(["off", "on-miss", "always"]).optional(),
        askFallback: z.enum(["deny", "allowlist", "full"]).optional(),
        autoAllowSkills: z.boolean().optional(),
        allowlist: z.array(z.looseObject({ pattern: z.string(), id: z.string().optional() })).optional(),
      }),
    )
    .default({}),
});
export type ExecApprovalsDocument = z.output<typeof ExecApprovalsDocument>;

const ExecApprovalsSnapshot = z.looseObject({
  file: ExecApprovalsDocument,
  hash: z.string(),
  resolvedDefaults: z
    .looseObject({ security: z.string(), ask: z.string(), askFallback: z.string(), autoAllowSkills: z.boolean() })
    .optional(),
});

const ConfigSnapshot = z.looseObject({ hash: z.string().optional(), config: z.unknown().optional() });

export function operatorMethods(requester: OperatorRequester) {
  return {
    /** Pending exec approvals (backfill after a connect). Entries of another shape are skipped, not fatal. */
    listExecApprovals: async (): Promise<ExecApprovalRequestType[]> => {
      const answer = await call(requester, "exec.approval.list", {}, z.array(z.unknown()));
      return answer.flatMap((entry) => {
        const parsed = ExecApprovalRequest.safeParse(entry);
        return parsed.success ? [parsed.data] : [];
      });
    },
    /** Idempotent for the same decision; a request already resolved otherwise answers an error the caller maps. */
    resolveExecApproval: (id: string, decision: ExecApprovalDecision) =>
      call(requester, "exec.approval.resolve", { id, decision }, Ok),
    getExecApprovals: () => call(requester, "exec.approvals.get", {}, ExecApprovalsSnapshot),
    setExecApprovals: (file: ExecApprovalsDocument, baseHash: string) =>
      call(requester, "exec.approvals.set", { file, baseHash }, z.unknown()),
    health: () => call(requester, "health", {}, z.unknown()),
    status: () => call(requester, "status", {}, z.unknown()),
    configGet: () => call(requester, "config.get", {}, ConfigSnapshot),
    /** `raw` is a JSON merge patch of the config; `baseHash` from configGet guards against concurrent writers. */
    configPatch: (raw: string, baseHash: string) => call(requester, "config.patch", { raw, baseHash }, z.unknown()),
    logsTail: (params: { readonly cursor?: number; readonly limit?: number }) =>
      call(requester, "logs.tail", params, z.unknown()),
    usageCost: (days: number) => call(requester, "usage.cost", { days }, z.unknown()),
    skillsStatus: () => call(requester, "skills.status", {}, z.unknown()),
    listDevicePairings: () => call(requester, "device.pair.list", {}, z.unknown()),
    approveDevicePairing: (requestId: string) => call(requester, "device.pair.approve", { requestId }, z.unknown()),
  };
}
export type OperatorMethods = ReturnType<typeof operatorMethods>;
