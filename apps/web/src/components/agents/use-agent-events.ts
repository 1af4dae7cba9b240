"use client";

import type { AgentStreamEvent } from "@agentbot/contracts";
import { useEffect, useRef } from "react";

/**
 * Listens to one of the agents event streams (`/api/v1/agents/events`, `/api/v1/agents/{id}/events`) with
 * `EventSource`, which reconnects by itself after a network blip; the first message of each connection is the
 * current state, so nothing is missed across reconnects. The data was validated against the contract by the server.
 */
export function useAgentEvents(url: string, onUpdate: (update: AgentStreamEvent) => void): void {
  const handler = useRef(onUpdate);
  useEffect(() => {
    handler.current = onUpdate;
  });
  useEffect(() => {
    const source = new EventSource(url);
    source.onmessage = (message: MessageEvent<string>) => {
      try {
        handler.current(JSON.parse(message.data) as AgentStreamEvent);
      } catch {
        // A message that is not JSON is not ours; skip it.
      }
    };
    return () => source.close();
  }, [url]);
}
