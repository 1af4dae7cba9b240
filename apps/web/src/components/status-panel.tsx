import { Badge, Card, CardContent, CardDescription, CardHeader, CardTitle, StatusDot, cn } from "@agentbot/ui";
import type { DependencyCheck, PlatformStatus } from "@agentbot/contracts";
import type { ReactNode } from "react";
import { formatDuration } from "../lib/format-duration.ts";
import type { Loaded } from "../server/home-data.ts";

type Tone = "ok" | "warning" | "error" | "neutral";

interface CheckView {
  readonly label: string;
  readonly tone: Tone;
  readonly detail: string | undefined;
}

function describeCheck(check: DependencyCheck): CheckView {
  const latency = check.latencyMs === undefined ? undefined : `${Math.round(check.latencyMs)} ms`;
  switch (check.status) {
    case "ok":
      return { label: "OK", tone: "ok", detail: latency };
    case "fail":
      return { label: "Failing", tone: "error", detail: check.error };
    case "in_process":
      return { label: "In-process (single instance)", tone: "neutral", detail: "Redis is not configured" };
  }
}

function CheckRow({ id, name, check }: { id: string; name: string; check: DependencyCheck }) {
  const view = describeCheck(check);
  return (
    <li
      data-testid={`check-${id}`}
      data-status={check.status}
      className="flex items-center justify-between gap-4 rounded-lg border border-border/70 bg-background/60 px-4 py-3"
    >
      <div className="flex items-center gap-3">
        <StatusDot tone={view.tone} />
        <span className="font-medium">{name}</span>
      </div>
      <div className="text-right text-sm">
        <span data-testid="check-label" className="font-medium">
          {view.label}
        </span>
        {view.detail ? <span className="block text-xs break-all text-muted-foreground">{view.detail}</span> : null}
      </div>
    </li>
  );
}

const overallView = {
  operational: { label: "All systems operational", badge: "Operational", tone: "ok", variant: "success" },
  degraded: { label: "Degraded performance", badge: "Degraded", tone: "warning", variant: "warning" },
} as const;

function Fact({
  label,
  testId,
  className,
  children,
}: {
  label: string;
  testId?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div>
      <dt className="text-muted-foreground">{label}</dt>
      <dd data-testid={testId} className={cn("mt-1 font-medium", className)}>
        {children}
      </dd>
    </div>
  );
}

function StatusDetails({ status }: { status: PlatformStatus }) {
  const overall = overallView[status.status];
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-3">
          <StatusDot tone={overall.tone} pulse={status.status === "operational"} className="size-3" />
          <p className="text-lg font-medium">{overall.label}</p>
        </div>
        <Badge variant={overall.variant} data-testid="status-overall" data-status={status.status}>
          {overall.badge}
        </Badge>
      </div>
      <dl className="mt-6 grid grid-cols-2 gap-4 text-sm sm:grid-cols-3">
        <Fact label="Version" testId="status-version" className="font-mono">
          {status.version}
        </Fact>
        <Fact label="Environment" testId="status-environment" className="capitalize">
          {status.environment}
        </Fact>
        <Fact label="Uptime" className="tabular-nums">
          <time
            data-testid="status-uptime"
            dateTime={`PT${status.uptimeSeconds}S`}
            title={`Started ${status.startedAt}`}
          >
            {formatDuration(status.uptimeSeconds)}
          </time>
        </Fact>
      </dl>
      <h3 className="mt-8 text-sm font-medium text-muted-foreground">Dependencies</h3>
      <ul className="mt-3 grid gap-3 sm:grid-cols-2">
        <CheckRow id="postgres" name="PostgreSQL" check={status.checks.postgres} />
        <CheckRow id="redis" name="Redis" check={status.checks.redis} />
      </ul>
    </>
  );
}

function Unreachable({ code }: { code: string }) {
  const unreachable = code === "backend_unreachable";
  return (
    <div data-testid="backend-unreachable" data-code={code} role="status">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-3">
          <StatusDot tone="error" className="size-3" />
          <p className="text-lg font-medium">{unreachable ? "Backend unreachable" : "Status unavailable"}</p>
        </div>
        <Badge variant="destructive" data-testid="status-overall" data-status="unreachable">
          Unavailable
        </Badge>
      </div>
      <p className="mt-4 text-sm text-muted-foreground">
        {unreachable
          ? "The web app could not reach the platform backend, so live plans and status cannot be shown. They will be back on the next page load once the backend answers."
          : `The platform backend answered with an error (${code}).`}
      </p>
    </div>
  );
}

export function StatusPanel({ status }: { status: Loaded<PlatformStatus> }) {
  return (
    <section id="status" aria-labelledby="status-title" className="scroll-mt-20">
      <Card data-testid="status-panel" className="gap-4">
        <CardHeader>
          <CardTitle as="h2" id="status-title" className="text-2xl tracking-tight">
            Platform status
          </CardTitle>
          <CardDescription>Checked live by the platform backend when this page was rendered.</CardDescription>
        </CardHeader>
        <CardContent>
          {status.ok ? <StatusDetails status={status.data} /> : <Unreachable code={status.code} />}
        </CardContent>
      </Card>
    </section>
  );
}
