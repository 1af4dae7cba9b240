"use client";

import { readServerSentEvents } from "@agentbot/client/sse";
import type { ChatStreamEvent } from "@agentbot/contracts";
import { Button, FieldError, Label } from "@agentbot/ui";
import { useEffect, useRef, useState } from "react";
import type { FormEvent } from "react";
import { formErrorsFrom, networkError } from "../../lib/form-errors.ts";

interface ChatMessage {
  readonly id: number;
  readonly from: "you" | "agent";
  readonly text: string;
  readonly state: "streaming" | "done" | "failed";
}

/**
 * Talks to the agent: the message goes to `POST /api/v1/agents/{id}/chat`, and the reply is shown as it streams
 * (`delta` events), then replaced by the final `done` reply. `EventSource` cannot POST, so the body is read with the
 * same SSE parser the server side uses. Leaving the page aborts a reply in progress.
 */
export function AgentChat({ agentId, enabled }: { agentId: string; enabled: boolean }) {
  const [messages, setMessages] = useState<readonly ChatMessage[]>([]);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef<AbortController | null>(null);
  const nextId = useRef(0);

  useEffect(() => () => inFlight.current?.abort(), []);

  const updateReply = (id: number, change: (message: ChatMessage) => ChatMessage) =>
    setMessages((current) => current.map((message) => (message.id === id ? change(message) : message)));

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = draft.trim();
    if (text === "" || busy) return;
    setError(undefined);
    setBusy(true);
    setDraft("");
    const replyId = nextId.current + 1;
    nextId.current += 2;
    setMessages((current) => [
      ...current,
      { id: replyId - 1, from: "you", text, state: "done" },
      { id: replyId, from: "agent", text: "", state: "streaming" },
    ]);
    const controller = new AbortController();
    inFlight.current = controller;
    try {
      const response = await fetch(`/api/v1/agents/${encodeURIComponent(agentId)}/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify({ message: text }),
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (!response.ok || response.body === null) {
        const body = (await response.json().catch(() => undefined)) as unknown;
        const errors = formErrorsFrom(response.status, body, response.headers);
        throw new Error(errors.form ?? Object.values(errors.fields).join(" "));
      }
      for await (const message of readServerSentEvents(response.body)) {
        const chat = JSON.parse(message.data) as ChatStreamEvent;
        if (chat.type === "delta") updateReply(replyId, (reply) => ({ ...reply, text: reply.text + chat.text }));
        else if (chat.type === "done") updateReply(replyId, (reply) => ({ ...reply, text: chat.reply, state: "done" }));
        else throw new Error(chat.message);
      }
      updateReply(replyId, (reply) => (reply.state === "streaming" ? { ...reply, state: "done" } : reply));
    } catch (failure) {
      if (controller.signal.aborted) return;
      updateReply(replyId, (reply) => ({ ...reply, state: "failed" }));
      setError(failure instanceof TypeError ? networkError.form : (failure as Error).message);
    } finally {
      if (inFlight.current === controller) inFlight.current = null;
      setBusy(false);
    }
  }

  return (
    <div className="grid gap-4">
      <ol
        className="grid max-h-96 gap-3 overflow-auto"
        role="log"
        aria-live="polite"
        aria-busy={busy}
        aria-label="Conversation"
        data-testid="chat-log"
      >
        {messages.length === 0 ? (
          <li className="text-sm text-muted-foreground">
            {enabled ? "Say hello to your agent." : "Chat is available while the agent is running."}
          </li>
        ) : (
          messages.map((message) => (
            <li
              key={message.id}
              className={
                message.from === "you"
                  ? "ml-8 justify-self-end rounded-lg bg-primary px-3 py-2 text-sm text-primary-foreground"
                  : "mr-8 justify-self-start rounded-lg border bg-card px-3 py-2 text-sm whitespace-pre-wrap"
              }
              data-testid={message.from === "you" ? "chat-you" : "chat-reply"}
              data-state={message.state}
            >
              <span className="sr-only">{message.from === "you" ? "You: " : "Agent: "}</span>
              {message.text === "" && message.state === "streaming" ? "…" : message.text}
            </li>
          ))
        )}
      </ol>
      <form className="grid gap-2" onSubmit={(event) => void send(event)}>
        <Label htmlFor="chat-message">Message</Label>
        <div className="flex gap-2">
          <textarea
            id="chat-message"
            name="message"
            rows={2}
            value={draft}
            maxLength={20_000}
            disabled={!enabled}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && !event.shiftKey) {
                event.preventDefault();
                event.currentTarget.form?.requestSubmit();
              }
            }}
            aria-invalid={error !== undefined}
            aria-describedby={error === undefined ? undefined : "chat-message-error"}
            className="min-h-16 w-full flex-1 rounded-md border border-input bg-transparent px-3 py-2 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 disabled:cursor-not-allowed disabled:opacity-50"
            data-testid="chat-input"
          />
          <Button type="submit" disabled={!enabled || busy || draft.trim() === ""} data-testid="chat-send">
            {busy ? "Replying…" : "Send"}
          </Button>
        </div>
        <FieldError id="chat-message-error" data-testid="chat-error">
          {error}
        </FieldError>
      </form>
    </div>
  );
}
