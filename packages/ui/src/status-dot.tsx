import { cva } from "class-variance-authority";
import type { VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "./cn.ts";

export const statusDotVariants = cva("relative inline-flex size-2.5 shrink-0 rounded-full", {
  variants: {
    tone: {
      ok: "bg-success",
      warning: "bg-warning",
      error: "bg-destructive",
      neutral: "bg-muted-foreground",
    },
  },
  defaultVariants: { tone: "neutral" },
});

export interface StatusDotProps
  extends Omit<ComponentProps<"span">, "children">, VariantProps<typeof statusDotVariants> {
  /** Pulse to draw attention (off for users who prefer reduced motion). */
  pulse?: boolean;
  /**
   * What the colour means, for assistive technology. Colour alone never carries the status: without a label the dot
   * is hidden from screen readers, so put the status in visible text next to it.
   */
  label?: string;
}

export function StatusDot({ className, tone, pulse = false, label, ...props }: StatusDotProps) {
  return (
    <span
      data-slot="status-dot"
      data-tone={tone ?? "neutral"}
      className={cn(statusDotVariants({ tone }), className)}
      {...(label ? { role: "img", "aria-label": label } : { "aria-hidden": true })}
      {...props}
    >
      {pulse ? (
        <span
          className={cn(
            "absolute inset-0 rounded-full opacity-60 motion-safe:animate-ping",
            statusDotVariants({ tone }),
          )}
        />
      ) : null}
    </span>
  );
}
