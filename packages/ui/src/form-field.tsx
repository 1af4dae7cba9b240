import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn.ts";
import { Label } from "./label.tsx";

/**
 * The error message for one field. Render it with the id the control names in `aria-describedby`, so screen readers
 * read it with the field; `role="alert"` announces it when it appears.
 */
export function FieldError({ className, children, ...props }: ComponentProps<"p">) {
  if (children === undefined || children === null || children === "") return null;
  return (
    <p data-slot="field-error" role="alert" className={cn("text-sm text-destructive", className)} {...props}>
      {children}
    </p>
  );
}

export function FieldHint({ className, ...props }: ComponentProps<"p">) {
  return <p data-slot="field-hint" className={cn("text-sm text-muted-foreground", className)} {...props} />;
}

export interface FormFieldProps {
  /** The control's id; the label points at it and the hint/error ids derive from it. */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  /** The server's message for this field, if any. */
  error?: string | undefined;
  className?: string;
  /**
   * The control, given the accessibility attributes it must carry (`id`, `aria-invalid`, `aria-describedby`) so the
   * label, hint and error are tied to it.
   */
  children: (control: { id: string; "aria-invalid": boolean; "aria-describedby": string | undefined }) => ReactNode;
}

/** Label, control, hint and error of one form field, wired together for assistive technology. */
export function FormField({ id, label, hint, error, className, children }: FormFieldProps) {
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div data-slot="form-field" className={cn("grid gap-2", className)}>
      <Label htmlFor={id}>{label}</Label>
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": describedBy })}
      {hint === undefined ? null : <FieldHint id={hintId}>{hint}</FieldHint>}
      <FieldError id={errorId} data-testid={`${id}-error`}>
        {error}
      </FieldError>
    </div>
  );
}
