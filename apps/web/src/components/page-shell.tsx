import { cn } from "@agentbot/ui";
import type { ReactNode } from "react";
import { SiteHeader } from "./site-header.tsx";

/** Header plus a main column: the frame of every page except the home page. */
export function PageShell({
  title,
  description,
  actions,
  width = "default",
  children,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  width?: "narrow" | "default";
  children: ReactNode;
}) {
  return (
    <>
      <SiteHeader />
      <main
        id="main"
        className={cn("mx-auto w-full px-4 py-10 sm:px-6", width === "narrow" ? "max-w-md" : "max-w-5xl")}
      >
        <div className="mb-8 flex flex-wrap items-end justify-between gap-4">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
            {description === undefined ? null : <p className="mt-1 text-sm text-muted-foreground">{description}</p>}
          </div>
          {actions}
        </div>
        {children}
      </main>
    </>
  );
}
