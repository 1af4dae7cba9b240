import type { ComponentProps } from "react";

/** The Agentbot mark: three linked nodes, the agents. Decorative; the wordmark beside it carries the name. */
export function LogoMark(props: ComponentProps<"svg">) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" focusable="false" {...props}>
      <rect width="32" height="32" rx="8" className="fill-primary" />
      <path
        d="M10 21.5 16 10l6 11.5H10Z"
        className="stroke-primary-foreground"
        strokeWidth="1.75"
        fill="none"
        strokeLinejoin="round"
      />
      <circle cx="16" cy="10" r="2.75" className="fill-primary-foreground" />
      <circle cx="10" cy="21.5" r="2.75" className="fill-primary-foreground" />
      <circle cx="22" cy="21.5" r="2.75" className="fill-primary-foreground" />
    </svg>
  );
}
