import { describe, expect, it } from "vitest";
import {
  renderAccountExistsEmail,
  renderPasswordResetEmail,
  renderVerificationEmail,
  renderWelcomeEmail,
} from "../src/index.ts";
import type { RenderedEmail } from "../src/index.ts";

/** The href of the main button (the first link in the HTML). */
function buttonHref(email: RenderedEmail): string | undefined {
  return /<a href="([^"]*)"/.exec(email.html)?.[1]?.replaceAll("&amp;", "&");
}

describe("email templates", () => {
  it("verification: subject, greeting, link in both versions", () => {
    const url = "https://agentbot.example/api/auth/verify-email?token=abc.def&callbackURL=%2Fdashboard";
    const email = renderVerificationEmail({ name: "Ada Lovelace", url });
    expect(email.template).toBe("verification");
    expect(email.subject).toBe("Confirm your email address");
    expect(buttonHref(email)).toBe(url);
    expect(email.html).toContain("Hi Ada Lovelace,");
    expect(email.text).toContain("Hi Ada Lovelace,");
    expect(email.text).toContain(`Confirm email address:\n${url}`);
    expect(email.text).not.toMatch(/<[a-z]/i);
  });

  it("password reset: says it is single use and when it expires", () => {
    const url = "https://agentbot.example/reset-password?token=xyz";
    const email = renderPasswordResetEmail({ name: "Grace", url, expiresInMinutes: 60 });
    expect(email.template).toBe("password_reset");
    expect(email.subject).toBe("Reset your Agentbot password");
    expect(buttonHref(email)).toBe(url);
    expect(email.text).toContain("works once and expires in 1 hour");
    expect(email.text).toContain("signs you out on every device");
    expect(renderPasswordResetEmail({ name: "G", url, expiresInMinutes: 30 }).text).toContain("expires in 30 minutes");
    expect(renderPasswordResetEmail({ name: "G", url, expiresInMinutes: 120 }).text).toContain("expires in 2 hours");
    expect(() => renderPasswordResetEmail({ name: "G", url, expiresInMinutes: 0 })).toThrow(/expiresInMinutes/);
  });

  it("welcome: links to the dashboard", () => {
    const email = renderWelcomeEmail({ name: "Linus", dashboardUrl: "https://agentbot.example/dashboard" });
    expect(email.template).toBe("welcome");
    expect(email.subject).toBe("Welcome to Agentbot");
    expect(buttonHref(email)).toBe("https://agentbot.example/dashboard");
    expect(email.text).toContain("Open your dashboard:\nhttps://agentbot.example/dashboard");
  });

  it("account exists: links to sign-in and to password reset", () => {
    const email = renderAccountExistsEmail({
      name: "Ada",
      signInUrl: "https://agentbot.example/sign-in",
      resetPasswordUrl: "https://agentbot.example/forgot-password",
    });
    expect(email.template).toBe("account_exists");
    expect(buttonHref(email)).toBe("https://agentbot.example/sign-in");
    expect(email.text).toContain("https://agentbot.example/forgot-password");
  });

  it("greets a blank name as 'there' and folds line breaks in names", () => {
    expect(renderWelcomeEmail({ name: "  ", dashboardUrl: "https://a.example/" }).text).toMatch(/^Hi there,/);
    expect(renderWelcomeEmail({ name: "Ada\nLovelace", dashboardUrl: "https://a.example/" }).text).toMatch(
      /^Hi Ada Lovelace,/,
    );
  });

  it("renders a complete, inline-styled HTML document", () => {
    const { html } = renderVerificationEmail({ name: "Ada", url: "https://agentbot.example/v" });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/<style|<script|class="/);
    expect(html).toContain("<title>Confirm your email address</title>");
  });
});
