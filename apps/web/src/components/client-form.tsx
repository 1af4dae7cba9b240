"use client";

import type { ComponentProps } from "react";

/**
 * A form that submits through JavaScript (its `onSubmit` calls `preventDefault` and posts JSON). Its submit button
 * should stay disabled until hydration (`useHydrated`); should a native submit still happen, it is a POST to the page,
 * never a GET that would put the fields (a password) in the URL. Validation messages come from the server, hence
 * `noValidate`.
 */
export function ClientForm(props: Omit<ComponentProps<"form">, "method" | "action" | "noValidate">) {
  return <form method="post" noValidate {...props} />;
}
