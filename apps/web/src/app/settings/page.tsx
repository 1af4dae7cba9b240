import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@agentbot/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { PageShell } from "../../components/page-shell.tsx";
import { ApiKeysList } from "../../components/settings/api-keys-list.tsx";
import { ChangePasswordForm } from "../../components/settings/change-password-form.tsx";
import { CreateApiKeyForm } from "../../components/settings/create-api-key-form.tsx";
import { ProfileForm } from "../../components/settings/profile-form.tsx";
import { SessionsList } from "../../components/settings/sessions-list.tsx";
import { grantableScopes, listMyApiKeys, listMySessions } from "../../server/accounts.ts";
import { passwordPolicyHint } from "../../server/auth.ts";
import { requireViewer } from "../../server/session.ts";
import { createApiKeyAction, revokeAllSessionsAction, revokeApiKeyAction, revokeSessionAction } from "./actions.ts";

export const metadata: Metadata = { title: "Settings · Agentbot" };

export default async function SettingsPage() {
  const viewer = await requireViewer("/settings");
  const [sessions, keys] = await Promise.all([listMySessions(viewer), listMyApiKeys(viewer)]);
  return (
    <PageShell
      title="Settings"
      description={`Signed in as ${viewer.user.email}`}
      actions={
        <div className="flex gap-4">
          <Link
            href="/settings/billing"
            className="text-sm font-medium text-primary underline-offset-4 hover:underline"
            data-testid="settings-billing-link"
          >
            Billing
          </Link>
          <Link href="/settings/audit" className="text-sm font-medium text-primary underline-offset-4 hover:underline">
            Security log
          </Link>
        </div>
      }
    >
      <div className="grid gap-8">
        <div className="grid gap-8 lg:grid-cols-2">
          <Card aria-labelledby="profile-title">
            <CardHeader>
              <CardTitle as="h2" id="profile-title">
                Profile
              </CardTitle>
            </CardHeader>
            <CardContent>
              <ProfileForm name={viewer.user.name} email={viewer.user.email} />
            </CardContent>
          </Card>
          <Card aria-labelledby="password-title">
            <CardHeader>
              <CardTitle as="h2" id="password-title">
                Password
              </CardTitle>
            </CardHeader>
            <CardContent>
              <ChangePasswordForm passwordHint={passwordPolicyHint} />
            </CardContent>
          </Card>
        </div>
        <Card aria-labelledby="sessions-title">
          <CardHeader>
            <CardTitle as="h2" id="sessions-title">
              Active sessions
            </CardTitle>
            <CardDescription>
              Every browser signed in to your account. Revoke any you do not recognise, then change your password.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <SessionsList
              sessions={sessions}
              revokeAction={revokeSessionAction}
              revokeAllAction={revokeAllSessionsAction}
            />
          </CardContent>
        </Card>
        <Card aria-labelledby="api-keys-title">
          <CardHeader>
            <CardTitle as="h2" id="api-keys-title">
              API keys
            </CardTitle>
            <CardDescription>
              For scripts calling the public API (<code className="font-mono text-xs">/api/v1</code>) with{" "}
              <code className="font-mono text-xs">Authorization: Bearer &lt;key&gt;</code>. A key can do only what its
              scopes allow, and never more than you can.
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-8">
            <CreateApiKeyForm scopes={grantableScopes(viewer)} action={createApiKeyAction} />
            <ApiKeysList keys={keys} revokeAction={revokeApiKeyAction} />
          </CardContent>
        </Card>
      </div>
    </PageShell>
  );
}
