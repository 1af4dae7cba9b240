"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

const REFRESH_MS = 1_500;
const GIVE_UP_MS = 120_000;

/**
 * Re-renders the billing page (server components, `router.refresh()`) every 1.5 s while `waiting` is true: after a
 * checkout, until Stripe's events are applied (the webhook answers Stripe first, the backend applies the event right
 * after). Gives up after two minutes and says so, rather than refreshing forever.
 */
export function StripeSyncRefresh({ waiting }: { waiting: boolean }) {
  const router = useRouter();
  const [startedAt] = useState(() => Date.now());
  const [gaveUp, setGaveUp] = useState(false);
  useEffect(() => {
    if (!waiting || gaveUp) return;
    const timer = setInterval(() => {
      if (Date.now() - startedAt > GIVE_UP_MS) setGaveUp(true);
      else router.refresh();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [waiting, gaveUp, router, startedAt]);
  if (!waiting) return null;
  return gaveUp ? (
    <span data-testid="stripe-sync-slow">
      Stripe has not confirmed it yet. Nothing is lost: reload this page in a few minutes.
    </span>
  ) : (
    <span data-testid="stripe-sync-waiting">This page updates by itself as soon as Stripe confirms it.</span>
  );
}
