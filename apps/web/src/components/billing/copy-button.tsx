"use client";

import { Button } from "@agentbot/ui";
import { useState } from "react";

/** Copies a value to the clipboard and says so; the value stays visible beside it for copying by hand. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  }
  return (
    <Button type="button" size="sm" variant="outline" onClick={() => void copy()} aria-label={`Copy ${label}`}>
      {copied === "copied" ? "Copied" : copied === "failed" ? "Copy failed: select it" : "Copy"}
    </Button>
  );
}
