// One layout for every email, rendered twice from the same content: HTML (inline styles and tables, which is what mail
// clients render reliably) and plain text. Everything that comes from outside (names, URLs) is escaped here, so
// templates cannot forget to.
import type { EmailTemplateName, RenderedEmail } from "../email-provider.ts";

export interface EmailContent {
  readonly template: EmailTemplateName;
  readonly subject: string;
  /** The line mail clients show after the subject in the inbox. */
  readonly preheader: string;
  readonly heading: string;
  /** The recipient's name as they gave it (escaped here); blank becomes "there". */
  readonly name: string;
  /** Plain-text paragraphs before the button. */
  readonly intro: readonly string[];
  /** Optional bullet list after the intro (a list in HTML, "- item" lines in text); each item is folded to one line. */
  readonly list?: readonly string[];
  /** Optional label/value rows after the list (a table in HTML, "Label: value" lines in text), folded to one line. */
  readonly facts?: readonly EmailFact[];
  readonly action: { readonly label: string; readonly url: string };
  /** Plain-text paragraphs after the button. */
  readonly outro: readonly string[];
}

export interface EmailFact {
  readonly label: string;
  readonly value: string;
}

const PRODUCT = "Agentbot";
const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** Only absolute http(s) links go into an email; anything else (`javascript:`, relative paths) is a bug upstream. */
export function assertLinkUrl(url: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${what} must be an absolute URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error(`${what} must be an http(s) URL`);
  return parsed.toString();
}

/** Collapses runs of whitespace (line breaks included) to one space, so a value cannot start a new line. */
export function oneLine(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

const DATE = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", dateStyle: "long" });
const DATE_TIME = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", dateStyle: "long", timeStyle: "short" });

/** "3 December 2026": the calendar day in UTC. */
export function formatEmailDate(date: Date, what: string): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new Error(`${what} must be a valid date`);
  return DATE.format(date);
}

/** "3 December 2026 at 14:05 UTC": for deadlines that can fall within hours. */
export function formatEmailDateTime(date: Date, what: string): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new Error(`${what} must be a valid date`);
  return `${DATE_TIME.format(date)} UTC`;
}

/** "Hi Ada," — names are collapsed to one line; blank becomes "there". */
function greeting(name: string): string {
  const clean = oneLine(name);
  return `Hi ${clean === "" ? "there" : clean},`;
}

export function renderEmail(content: EmailContent): RenderedEmail {
  const url = assertLinkUrl(content.action.url, `${content.template} link`);
  return {
    template: content.template,
    subject: oneLine(content.subject),
    html: renderHtml(content, url),
    text: renderText(content, url),
  };
}

function renderText(content: EmailContent, url: string): string {
  return [
    greeting(content.name),
    ...content.intro,
    ...(content.list?.length ? [content.list.map((item) => `- ${oneLine(item)}`).join("\n")] : []),
    ...(content.facts?.length
      ? [content.facts.map((fact) => `${oneLine(fact.label)}: ${oneLine(fact.value)}`).join("\n")]
      : []),
    `${content.action.label}:\n${url}`,
    ...content.outro,
    `— The ${PRODUCT} team`,
  ].join("\n\n");
}

function paragraph(text: string): string {
  return `<p style="margin:0 0 16px;font-size:15px;line-height:24px;color:#3f3f46;">${escapeHtml(text)}</p>`;
}

function renderList(items: readonly string[] | undefined): string {
  if (!items?.length) return "";
  const rows = items.map(
    (item) =>
      `<li style="margin:0 0 4px;font-size:15px;line-height:24px;color:#3f3f46;">${escapeHtml(oneLine(item))}</li>`,
  );
  return `<ul style="margin:0 0 16px;padding:0 0 0 24px;">\n${rows.join("\n")}\n</ul>\n`;
}

function renderFacts(facts: readonly EmailFact[] | undefined): string {
  if (!facts?.length) return "";
  const rows = facts.map(
    (fact) =>
      `<tr><td style="padding:6px 16px 6px 0;font-size:14px;line-height:20px;color:#71717a;vertical-align:top;white-space:nowrap;">${escapeHtml(oneLine(fact.label))}</td>` +
      `<td style="padding:6px 0;font-size:14px;line-height:20px;color:#18181b;vertical-align:top;word-break:break-word;overflow-wrap:anywhere;">${escapeHtml(oneLine(fact.value))}</td></tr>`,
  );
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px;border-top:1px solid #e4e4e7;border-bottom:1px solid #e4e4e7;">\n${rows.join("\n")}\n</table>\n`;
}

function renderHtml(content: EmailContent, url: string): string {
  const href = escapeHtml(url);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(content.subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f5;">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;">${escapeHtml(content.preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f5;">
<tr><td align="center" style="padding:32px 16px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:#ffffff;border:1px solid #e4e4e7;border-radius:8px;font-family:${FONT};">
<tr><td style="padding:32px 32px 8px;font-size:14px;font-weight:600;letter-spacing:0.02em;color:#18181b;">${PRODUCT}</td></tr>
<tr><td style="padding:8px 32px 32px;">
<h1 style="margin:0 0 16px;font-size:20px;line-height:28px;font-weight:600;color:#18181b;">${escapeHtml(content.heading)}</h1>
${paragraph(greeting(content.name))}
${content.intro.map(paragraph).join("\n")}
${renderList(content.list)}${renderFacts(content.facts)}<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;"><tr>
<td style="border-radius:6px;background-color:#18181b;"><a href="${href}" target="_blank" rel="noopener" style="display:inline-block;padding:12px 20px;font-size:15px;font-weight:600;line-height:20px;color:#ffffff;text-decoration:none;border-radius:6px;">${escapeHtml(content.action.label)}</a></td>
</tr></table>
<p style="margin:0 0 16px;font-size:13px;line-height:20px;color:#71717a;">If the button does not work, paste this link into your browser:<br><a href="${href}" target="_blank" rel="noopener" style="color:#2563eb;word-break:break-all;">${href}</a></p>
${content.outro.map(paragraph).join("\n")}
</td></tr>
</table>
<p style="margin:16px 0 0;font-family:${FONT};font-size:12px;line-height:18px;color:#a1a1aa;">${PRODUCT} · hosted AI agents</p>
</td></tr>
</table>
</body>
</html>
`;
}
