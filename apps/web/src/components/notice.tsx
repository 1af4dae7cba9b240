import { cn } from "@agentbot/ui";
import type { ReactNode } from "react";

/** An inline alert for a degraded part of the page; `role="status"` so screen readers announce it politely. */
export function Notice({
  title,
  children,
  className,
  testId,
}: {
  title: string;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <div
      role="status"
      data-testid={testId}
      className={cn("flex gap-3 rounded-xl border border-warning/40 bg-warning/10 p-4 text-sm", className)}
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="mt-0.5 size-5 shrink-0 text-warning"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      >
        <path
          d="M12 9v4m0 4h.01M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      <div>
        <p className="font-medium text-foreground">{title}</p>
        <p className="mt-1 text-muted-foreground">{children}</p>
      </div>
    </div>
  );
}
