"use client";

import { PendingApprovalCount } from "@agentbot/contracts";
import { Button } from "@agentbot/ui";
import Link from "next/link";
import { useEffect, useState } from "react";
import { pendingCountEvent } from "./approval-labels.ts";

const refreshMs = 20_000;

/**
 * "Approvals" in the navigation with the number of requests waiting for the person. The figure comes with the page,
 * follows the approvals page's live queue at once (a same-window event), and is refreshed every 20 s and whenever
 * the tab becomes visible again (one small request; no stream is held open on every page).
 */
export function ApprovalsNavLink({ initialCount }: { initialCount: number | null }) {
  const [count, setCount] = useState(initialCount);
  useEffect(() => {
    let stopped = false;
    const refresh = async () => {
      if (document.visibilityState !== "visible") return;
      try {
        const response = await fetch("/api/v1/approvals/pending-count", { credentials: "same-origin" });
        if (!response.ok) return;
        const parsed = PendingApprovalCount.safeParse(await response.json());
        if (parsed.success && !stopped) setCount(parsed.data.pending);
      } catch {
        // Offline for a moment: keep the last figure.
      }
    };
    const onCount = (event: Event) => setCount((event as CustomEvent<number>).detail);
    const onVisible = () => void refresh();
    const timer = setInterval(onVisible, refreshMs);
    document.addEventListener("visibilitychange", onVisible);
    window.addEventListener(pendingCountEvent, onCount);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener(pendingCountEvent, onCount);
    };
  }, []);
  const waiting = count !== null && count > 0;
  return (
    <Button asChild variant="ghost" size="sm">
      <Link href="/approvals" data-testid="nav-approvals">
        Approvals
        {waiting ? (
          <span
            className="ml-1 inline-flex min-w-5 items-center justify-center rounded-full bg-destructive px-1.5 text-xs font-semibold text-white"
            data-testid="nav-approvals-badge"
          >
            {count > 99 ? "99+" : count}
            <span className="sr-only"> waiting for you</span>
          </span>
        ) : null}
      </Link>
    </Button>
  );
}
