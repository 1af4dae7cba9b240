"use client";

import { Button } from "@agentbot/ui";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { postJson } from "../../lib/post-json.ts";

/** Ends this browser's session (better-auth clears the cookie and deletes the session from the store). */
export function SignOutButton() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={pending}
      data-testid="sign-out"
      onClick={() => {
        setPending(true);
        void postJson("/api/auth/sign-out", {}).then(() => {
          router.push("/sign-in");
          router.refresh();
        });
      }}
    >
      Sign out
    </Button>
  );
}
