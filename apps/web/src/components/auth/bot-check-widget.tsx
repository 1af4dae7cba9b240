"use client";

import type {} from "altcha/types/react";
import { useEffect, useImperativeHandle, useRef } from "react";
import type { Ref } from "react";

export type BotCheckOutcome =
  | { readonly ok: true; readonly payload: string }
  /**
   * `unavailable`: the widget's script did not load; `failed`: fetching or solving a challenge failed (the widget says
   * why in its own box); `timeout`: no answer within the solve deadline.
   */
  | { readonly ok: false; readonly reason: "unavailable" | "failed" | "timeout" };

export interface BotCheckHandle {
  /**
   * The solved proof-of-work payload: the one already solved, or solved now (the browser works for a moment; a
   * challenge that expires meanwhile is replaced by a fresh one).
   */
  solve(): Promise<BotCheckOutcome>;
  /** Forget the payload (each one is accepted once) and start solving a fresh challenge, so it is ready sooner. */
  retry(): void;
  /** Forget the payload; the next `solve()` works on a fresh challenge. */
  reset(): void;
}

/**
 * How long a submit waits for a solution. Longer than the widget's own deadline (its workers give up after 90 s and
 * it reports an error, which ends the wait sooner): at the default cost a browser needs about a second, a slow
 * device on a busy machine a few (bench/results/pow-solve.md).
 */
const solveDeadlineMs = 120_000;

interface AltchaElement extends HTMLElement {
  verify(): Promise<{ payload: string } | null>;
  reset(): void;
  getState(): string;
}

type StateChange = CustomEvent<{ state: string; payload?: string }>;

/** `promise`, or "timeout" after `ms`; the timer does not outlive the answer. */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The element once its class is defined and it is upgraded, else null (the script loads after hydration). */
function upgraded(element: HTMLElement | null): AltchaElement | null {
  const candidate = element as Partial<AltchaElement> | null;
  return candidate !== null && typeof candidate.verify === "function" && typeof candidate.reset === "function"
    ? (candidate as AltchaElement)
    : null;
}

/**
 * The ALTCHA proof-of-work widget (the `altcha` web component): it fetches a signed challenge from `challengeUrl`,
 * solves it in Web Workers when the form gets focus, and puts the payload in a hidden `altcha` field. The server
 * verifies it (signature, expiry, single use). Not rendered with BotID, whose browser part needs no widget.
 *
 * `solve()` works whatever the widget is doing when the form is submitted: its script still loading (it waits for
 * it), a solve in progress (it waits for that one), a challenge expired or a failed attempt (it starts a fresh one).
 */
export function BotCheckWidget({ challengeUrl, ref }: { challengeUrl: string; ref: Ref<BotCheckHandle> }) {
  const element = useRef<HTMLElement>(null);
  const payload = useRef<string | null>(null);
  const loaded = useRef<Promise<boolean> | null>(null);

  useEffect(() => {
    // The package registers <altcha-widget> as a side effect; it touches `window`, so it is loaded in the browser only.
    loaded.current = import("altcha").then(
      () => customElements.whenDefined("altcha-widget").then(() => true),
      () => false,
    );
    const host = element.current;
    if (host === null) return;
    const onStateChange = (event: Event) => {
      const { state, payload: solved } = (event as StateChange).detail;
      payload.current = state === "verified" ? (solved ?? null) : null;
      host.dataset["state"] = state;
    };
    host.addEventListener("statechange", onStateChange);
    return () => host.removeEventListener("statechange", onStateChange);
  }, []);

  useImperativeHandle(ref, () => {
    async function solve(): Promise<BotCheckOutcome> {
      if (payload.current !== null) return { ok: true, payload: payload.current };
      const ready = await withDeadline(loaded.current ?? Promise.resolve(false), solveDeadlineMs);
      const widget = upgraded(element.current);
      if (ready === "timeout") return { ok: false, reason: "timeout" };
      if (!ready || widget === null) return { ok: false, reason: "unavailable" };
      let stop = () => undefined as void;
      const settled = new Promise<BotCheckOutcome>((resolve) => {
        const onStateChange = (event: Event) => {
          const { state, payload: solved } = (event as StateChange).detail;
          // Events arrive a tick late: a failure of an attempt that a newer one replaced (the widget aborts the old
          // one and reports it as an error) is not the outcome of the current attempt.
          if (widget.getState() === "verifying") return;
          if (state === "verified" && solved !== undefined) resolve({ ok: true, payload: solved });
          else if (state === "expired") void widget.verify().catch(() => undefined);
          else if (state === "error") resolve({ ok: false, reason: "failed" });
        };
        widget.addEventListener("statechange", onStateChange);
        stop = () => widget.removeEventListener("statechange", onStateChange);
      });
      // Join a solve in progress (it starts when the form gets focus), else start one; `verify()` itself answers null
      // while another solve runs, so its own answer is not the outcome.
      if (widget.getState() !== "verifying") void widget.verify().catch(() => undefined);
      const outcome = await withDeadline(settled, solveDeadlineMs);
      stop();
      if (outcome === "timeout") return { ok: false, reason: "timeout" };
      if (outcome.ok) payload.current = outcome.payload;
      return outcome;
    }

    function reset() {
      payload.current = null;
      upgraded(element.current)?.reset();
    }

    return {
      solve,
      reset,
      retry() {
        reset();
        void upgraded(element.current)
          ?.verify()
          .catch(() => undefined);
      },
    };
  }, []);

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
