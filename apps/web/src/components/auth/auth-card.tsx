import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@agentbot/ui";
import type { ReactNode } from "react";
import { SiteHeader } from "../site-header.tsx";

/** The frame of the sign-up, sign-in and password pages: a single card in the middle of the page. */
export function AuthCard({
  title,
  description,
  children,
  footer,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto flex w-full max-w-md flex-col gap-6 px-4 py-12 sm:py-16">
        <Card>
          <CardHeader>
            <CardTitle as="h1" className="text-xl">
              {title}
            </CardTitle>
            {description === undefined ? null : <CardDescription>{description}</CardDescription>}
          </CardHeader>
          <CardContent>{children}</CardContent>
        </Card>
        {footer === undefined ? null : <div className="text-center text-sm text-muted-foreground">{footer}</div>}
      </main>
    </>
  );
}
