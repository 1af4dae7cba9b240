import { loadControlUiUrl } from "../../../../server/agents.ts";
import { getViewer } from "../../../../server/session.ts";

/**
 * `/agents/{id}/control-ui`: the "Open Control UI" link's target (opened in a new tab). Redirects the signed-in owner
 * to the runtime's Control UI; the gateway token travels in the URL fragment, so it is never rendered into the agent
 * page and never sent to a server. Signed out: to sign-in; not available (not running, not theirs): back to the agent
 * page, which says so.
 */
export async function GET(request: Request, { params }: RouteContext<"/agents/[id]/control-ui">) {
  const { id } = await params;
  const viewer = await getViewer();
  // Same-site redirects stay relative: behind a proxy, request.url may not carry the public host.
  if (viewer === null) return redirect(`/sign-in?next=${encodeURIComponent(`/agents/${id}`)}`);
  const url = await loadControlUiUrl(viewer.user.id, id);
  if (!url.ok) return redirect(`/agents/${encodeURIComponent(id)}?notice=control-ui-unavailable`);
  return redirect(new URL(url.data, request.url).toString());
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
}
