import { Badge, Button } from "@agentbot/ui";

const highlights = [
  {
    title: "Isolated runtimes",
    text: "Every agent runs its own OpenClaw runtime in its own container, with its own secrets.",
  },
  {
    title: "Health-checked",
    text: "The platform polls each runtime, restarts it with backoff and tells you when it cannot.",
  },
  { title: "Human in the loop", text: "Dangerous and destructive actions wait for your approval in the dashboard." },
] as const;

export function Hero() {
  return (
    <section aria-labelledby="hero-title" className="relative overflow-hidden border-b border-border/70">
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-x-0 -top-40 h-[28rem] bg-[radial-gradient(ellipse_at_top,var(--color-primary)_0%,transparent_65%)] opacity-[0.14]"
      />
      <div className="relative mx-auto max-w-6xl px-4 pt-16 pb-14 sm:px-6 sm:pt-24 sm:pb-20">
        <Badge variant="outline" className="mb-6 bg-background/60 px-3 py-1">
          Hosted OpenClaw agents
        </Badge>
        <h1
          id="hero-title"
          className="max-w-3xl text-4xl font-semibold tracking-tight text-balance sm:text-5xl lg:text-6xl"
        >
          Deploy AI agents that run themselves.
        </h1>
        <p className="mt-6 max-w-2xl text-lg text-pretty text-muted-foreground">
          Agentbot provisions, monitors and operates your agents: chat, logs, skills, wallets, approvals and multi-agent
          workflows, from one dashboard. Pay by card or in USDC.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Button asChild size="lg">
            <a href="#plans">Choose a plan</a>
          </Button>
          <Button asChild size="lg" variant="outline">
            <a href="#status">Platform status</a>
          </Button>
        </div>
        <ul className="mt-14 grid gap-6 sm:grid-cols-3">
          {highlights.map((item) => (
            <li key={item.title} className="border-l-2 border-primary/40 pl-4">
              <p className="font-medium">{item.title}</p>
              <p className="mt-1 text-sm text-muted-foreground">{item.text}</p>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
