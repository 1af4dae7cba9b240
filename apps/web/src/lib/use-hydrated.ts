"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

/**
 * False in the server's HTML and until React has hydrated the page, true after. Forms that submit through JavaScript
 * keep their submit button disabled until then: on a slow device (or a busy machine) a click that lands before
 * hydration would otherwise submit the form natively, reloading the page and dropping what was typed.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
