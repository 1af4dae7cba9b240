import { Button } from "@agentbot/ui";
import Link from "next/link";
import { loadPendingApprovalCount } from "../server/approvals.ts";
import { getViewer } from "../server/session.ts";
import { ApprovalsNavLink } from "./approvals/approvals-nav-link.tsx";
import { LogoMark } from "./logo.tsx";
import { SignOutButton } from "./auth/sign-out-button.tsx";

/** The top bar of every page: the product links, and who is signed in (with sign out) or the way in. */
export async function SiteHeader() {
  const viewer = await getViewer();
  const pendingApprovals = viewer === null ? null : await loadPendingApprovalCount(viewer.user.id);
  return (
    <header className="sticky top-0 z-40 border-b border-border/70 bg-background/80 backdrop-blur supports-[backdrop-filter]:bg-background/65">
      <div className="mx-auto flex h-16 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
        <Link
          href="/"
          className="flex items-center gap-2.5 rounded-md font-semibold tracking-tight outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          <LogoMark className="size-8" />
          <span className="text-lg">Agentbot</span>
        </Link>
        <nav aria-label="Main" className="flex items-center gap-1 sm:gap-2">
          <Button asChild variant="ghost" size="sm" className="hidden md:inline-flex">
            <Link href="/pricing">Pricing</Link>
          </Button>
          <Button asChild variant="ghost" size="sm" className="hidden md:inline-flex">
            <Link href="/#status">Status</Link>
          </Button>
          {viewer === null ? (
            <>
              <Button asChild variant="ghost" size="sm">
                <Link href="/sign-in">Sign in</Link>
              </Button>
              <Button asChild size="sm">
                <Link href="/sign-up">Get started</Link>
              </Button>
            </>
          ) : (
            <>
              {viewer.isAdmin ? (
                <Button asChild variant="ghost" size="sm">
                  <Link href="/admin/users">Admin</Link>
                </Button>
              ) : null}
              <Button asChild variant="ghost" size="sm">
                <Link href="/agents" data-testid="nav-agents">
                  Agents
                </Link>
              </Button>
              <ApprovalsNavLink initialCount={pendingApprovals} />
              <Button asChild variant="ghost" size="sm">
                <Link href="/settings">Settings</Link>
              </Button>
              <span
                className="hidden max-w-48 truncate text-sm text-muted-foreground sm:inline"
                data-testid="signed-in-as"
                title={viewer.user.email}
              >
                {viewer.user.email}
              </span>
              <SignOutButton />
            </>
          )}
        </nav>
      </div>
    </header>
  );
}
