import { Button } from "@agentbot/ui";
import Link from "next/link";
import { LogoMark } from "../components/logo.tsx";

/** Every 404, including the admin pages for people who are not admins (they do not announce themselves). */
export default function NotFound() {
  return (
    <main
      id="main"
      className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-6 px-4 text-center"
    >
      <LogoMark className="size-10" />
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Page not found</h1>
        <p className="mt-2 text-sm text-muted-foreground">There is nothing at this address.</p>
      </div>
      <Button asChild variant="outline">
        <Link href="/">Back to the home page</Link>
      </Button>
    </main>
  );
}
