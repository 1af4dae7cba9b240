import { getAuth } from "../../../../server/auth.ts";

/**
 * better-auth's endpoints (sign-up, sign-in, sign-out, verify-email, password reset, change password, update user,
 * get-session), behind @agentbot/auth's allowlist: every other better-auth route answers 404 here.
 */
function handle(request: Request): Promise<Response> {
  return getAuth().auth.handler(request);
}

export { handle as GET, handle as POST };
