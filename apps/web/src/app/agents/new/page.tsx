import { Card, CardContent } from "@agentbot/ui";
import type { Metadata } from "next";
import { CreateAgentForm } from "../../../components/agents/create-agent-form.tsx";
import { PageShell } from "../../../components/page-shell.tsx";
import { requireViewer } from "../../../server/session.ts";

export const metadata: Metadata = { title: "New agent · Agentbot" };

export default async function NewAgentPage() {
  await requireViewer("/agents/new");
  return (
    <PageShell title="New agent" description="Name it, pick its model, and it is deployed in about a minute.">
      <Card className="max-w-xl">
        <CardContent className="pt-6">
          <CreateAgentForm />
        </CardContent>
      </Card>
    </PageShell>
  );
}
