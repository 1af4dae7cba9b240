// Names come from sign-up forms: whatever a user types must arrive as text, never as markup, in every template.
import { describe, expect, it } from "vitest";
import {
  escapeHtml,
  renderAccountExistsEmail,
  renderApprovalWaitingEmail,
  renderPasswordResetEmail,
  renderVerificationEmail,
  renderWelcomeEmail,
} from "../src/index.ts";

const hostileName = `<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" 'too'`;
const url = "https://agentbot.example/x";

const rendered = [
  renderVerificationEmail({ name: hostileName, url }),
  renderPasswordResetEmail({ name: hostileName, url, expiresInMinutes: 60 }),
  renderWelcomeEmail({ name: hostileName, dashboardUrl: url }),
  renderAccountExistsEmail({ name: hostileName, signInUrl: url, resetPasswordUrl: url }),
  renderApprovalWaitingEmail({
    name: hostileName,
    waiting: [{ agentName: "scout", classification: "dangerous", expiresAt: new Date() }],
    approvalsUrl: url,
  }),
];

describe("template injection", () => {
  it.each(rendered.map((email) => [email.template, email] as const))("escapes a hostile name in %s", (_name, email) => {
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain("<img");
    expect(email.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(email.html).toContain("&amp; &quot;quotes&quot; &#39;too&#39;");
    // The text version is plain text: the name as typed.
    expect(email.text).toContain(`Hi ${hostileName},`);
  });

  it("escapes quotes in links so they cannot leave the href attribute", () => {
    const email = renderVerificationEmail({ name: "Ada", url: `https://agentbot.example/v?t="><script>x</script>` });
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain(`"><script`);
    expect(email.html).toContain(`href="https://agentbot.example/v?t=%22%3E%3Cscript%3Ex%3C/script%3E"`);
  });

  it("refuses links that are not absolute http(s) URLs", () => {
    for (const bad of ["javascript:alert(1)", "/relative/path", "data:text/html,<b>x</b>", "not a url"]) {
      expect(() => renderVerificationEmail({ name: "Ada", url: bad })).toThrow(/URL/);
      expect(() => renderWelcomeEmail({ name: "Ada", dashboardUrl: bad })).toThrow(/URL/);
    }
    expect(() => renderAccountExistsEmail({ name: "A", signInUrl: url, resetPasswordUrl: "javascript:x" })).toThrow(
      /URL/,
    );
  });

  it("escapes every HTML-special character", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });
});
