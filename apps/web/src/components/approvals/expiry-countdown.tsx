"use client";

import { useEffect, useState } from "react";
import { useHydrated } from "../../lib/use-hydrated.ts";

function remaining(expiresAt: string, now: number): string {
  const seconds = Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
  if (seconds === 0) return "expiring: it will be denied";
  const minutes = Math.floor(seconds / 60);
  return `expires in ${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

/**
 * "expires in 4:59", ticking each second: when it reaches zero the runtime denies the command on its own (fallback
 * deny). Rendered only after hydration, so the server's HTML and the browser's clock never disagree.
 */
export function ExpiryCountdown({ expiresAt }: { expiresAt: string }) {
  const hydrated = useHydrated();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!hydrated) return null;
  return (
    <span className="tabular-nums" data-testid="approval-countdown">
      {remaining(expiresAt, now)}
    </span>
  );
}
