"use client";

import type {} from "altcha/types/react";
import { useEffect, useImperativeHandle, useRef, useState } from "react";
import type { Ref } from "react";

export interface BotCheckHandle {
  /**
   * The solved proof-of-work payload: the one already solved, or solved now (the browser works for a moment).
   * `null` when the challenge could not be fetched or solved.
   */
  solve(): Promise<string | null>;
  /** Forget the payload (each one is accepted once) so the next submit solves a fresh challenge. */
  reset(): void;
}

/** Longer than any honest solve takes (about a second at the server's default difficulty). */
const solveTimeoutMs = 60_000;

interface AltchaElement extends HTMLElement {
  verify(): Promise<{ payload: string } | null>;
  reset(): void;
  getState(): string;
}

/**
 * The ALTCHA proof-of-work widget (the `altcha` web component): it fetches a signed challenge from `challengeUrl`,
 * solves it in Web Workers when the form gets focus, and puts the payload in a hidden `altcha` field. The server
 * verifies it (signature, expiry, single use). Not rendered with BotID, whose browser part needs no widget.
 */
export function BotCheckWidget({ challengeUrl, ref }: { challengeUrl: string; ref: Ref<BotCheckHandle> }) {
  const element = useRef<AltchaElement>(null);
  const payload = useRef<string | null>(null);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    let active = true;
    // The package registers <altcha-widget> as a side effect; it touches `window`, so it is loaded in the browser only.
    void import("altcha").then(() => {
      if (active) setLoaded(true);
    });
    return () => {
      active = false;
    };
  }, []);

  useEffect(() => {
    const widget = element.current;
    if (!loaded || widget === null) return;
    const onStateChange = (event: Event) => {
      const detail = (event as CustomEvent<{ state: string; payload?: string }>).detail;
      payload.current = detail.state === "verified" ? (detail.payload ?? null) : null;
      widget.dataset["state"] = detail.state;
    };
    widget.addEventListener("statechange", onStateChange);
    return () => widget.removeEventListener("statechange", onStateChange);
  }, [loaded]);

  useImperativeHandle(
    ref,
    () => ({
      async solve() {
        if (payload.current !== null) return payload.current;
        const widget = element.current;
        if (widget === null || typeof widget.verify !== "function") return null;
        // Wait for the widget to finish, whether it is already solving (it starts when the form gets focus) or
        // starts now; `verify()` itself answers null while a solve is in progress.
        const settled = new Promise<string | null>((resolve) => {
          const done = (value: string | null) => {
            clearTimeout(timer);
            widget.removeEventListener("statechange", onStateChange);
            resolve(value);
          };
          const onStateChange = (event: Event) => {
            const detail = (event as CustomEvent<{ state: string; payload?: string }>).detail;
            if (detail.state === "verified") done(detail.payload ?? null);
            else if (detail.state === "error" || detail.state === "expired") done(null);
          };
          const timer = setTimeout(() => done(null), solveTimeoutMs);
          widget.addEventListener("statechange", onStateChange);
        });
        if (widget.getState() !== "verifying") widget.verify().catch(() => undefined);
        payload.current = await settled;
        return payload.current;
      },
      reset() {
        payload.current = null;
        element.current?.reset();
      },
    }),
    [],
  );

  return (
    <div className="min-h-16" data-testid="bot-check">
      <altcha-widget
        ref={element}
        challenge={challengeUrl}
        name="altcha"
        auto="onfocus"
        style={{
          "--altcha-max-width": "100%",
          "--altcha-border-radius": "0.5rem",
          "--altcha-color-base": "var(--card)",
          "--altcha-color-base-content": "var(--foreground)",
          "--altcha-border-color": "var(--border)",
          "--altcha-color-primary": "var(--primary)",
          "--altcha-color-primary-content": "var(--primary-foreground)",
        }}
        suppressHydrationWarning
      />
    </div>
  );
}
