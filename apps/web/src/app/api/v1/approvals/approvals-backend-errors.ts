import "server-only";
import { answeringBackendErrors, isBackendError } from "../../../../server/agents-errors.ts";
import { errorResponse } from "../../../../server/api-response.ts";

/**
 * `answeringBackendErrors` for the approvals routes: the backend's 404 (another user's request, or none) and its 403
 * `reauthentication_required` (a Destructive approval with an API key) are passed on with approval wording; every
 * other refusal is answered as for agents (409, 400 naming fields, 503…).
 */
export function answeringApprovalErrors<T>(what: string, work: () => Promise<T>): Promise<T | Response> {
  return answeringBackendErrors(what, async () => {
    try {
      return await work();
    } catch (error) {
      if (isBackendError(error) && error.code === "not_found") {
        return errorResponse(404, "not_found", "No approval request with this id.");
      }
      if (isBackendError(error) && error.code === "reauthentication_required") {
        return errorResponse(403, "reauthentication_required", error.message);
      }
      throw error;
    }
  });
}
