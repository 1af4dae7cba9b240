import { connection } from "next/server";
import { Hero } from "../components/hero.tsx";
import { PlansSection } from "../components/plans-section.tsx";
import { SiteHeader } from "../components/site-header.tsx";
import { StatusPanel } from "../components/status-panel.tsx";
import { loadHomeData } from "../server/home-data.ts";

export default async function HomePage() {
  // Render per request: plans and status come live from the backend, never from a build-time snapshot.
  await connection();
  const { plans, status } = await loadHomeData();
  const version = status.ok ? status.data.version : undefined;

  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <SiteHeader />
      <main id="main">
        <Hero />
        <div className="mx-auto grid max-w-6xl gap-16 px-4 py-16 sm:px-6 sm:py-20">
          <PlansSection plans={plans} />
          <StatusPanel status={status} />
        </div>
      </main>
      <footer className="border-t border-border/70">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-6 text-sm text-muted-foreground sm:px-6">
          <p>© Agentbot</p>
          {version ? <p className="font-mono text-xs">backend {version}</p> : null}
        </div>
      </footer>
    </>
  );
}
