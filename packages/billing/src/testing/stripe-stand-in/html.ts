/**
 * Server-rendered HTML for the hosted pages: a tagged template that escapes every interpolated value unless it is
 * already `Html`, so a product name or URL out of a test can never inject markup.
 */
export class Html {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }
}

type Part = Html | string | number | null | undefined | false | readonly Part[];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

function render(part: Part): string {
  if (typeof part === "string") return escapeHtml(part);
  if (typeof part === "number") return String(part);
  if (part instanceof Html) return part.text;
  if (part === null || part === undefined || part === false) return "";
  return part.map(render).join("");
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  return new Html(strings.reduce((out, string, index) => out + string + render(values[index]), ""));
}

/** A whole page: one `main` landmark with the page's heading, no script. */
export function page(title: string, body: Html): string {
  return `<!doctype html>
${
  html`<html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${title} · Stripe stand-in</title>
      <style>
        body {
          font-family: system-ui, sans-serif;
          max-width: 36rem;
          margin: 3rem auto;
          padding: 0 1rem;
          color: #1a1f36;
        }
        button {
          font: inherit;
          padding: 0.5rem 1.25rem;
          border-radius: 0.375rem;
          border: 0;
          background: #635bff;
          color: #fff;
        }
        article {
          border: 1px solid #e3e8ee;
          border-radius: 0.5rem;
          padding: 0 1rem 1rem;
          margin: 1rem 0;
        }
        form {
          display: inline;
        }
      </style>
    </head>
    <body>
      <main>${body}</main>
    </body>
  </html> `.text
}`;
}

/** A Stripe timestamp as a date ("December 3, 2026"), in UTC so pages do not depend on the machine's zone. */
export function formatDate(seconds: number): string {
  return new Date(seconds * 1000).toLocaleDateString("en-US", {
    year: "numeric",
    month: "long",
    day: "numeric",
    timeZone: "UTC",
  });
}
