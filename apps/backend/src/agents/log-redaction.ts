/**
 * Redacts secrets from runtime log lines before they leave the backend. Two layers: the agent's own secret values
 * (gateway token, provider key, channel tokens: exact matches), and patterns for credentials the runtime might
 * print that we did not give it ourselves (bearer headers, common provider key shapes, Telegram bot tokens, our
 * API keys). Not covered: secrets a user pastes into chat in a form none of these match.
 */
const PATTERNS: readonly RegExp[] = [
  /(authorization["']?\s*[:=]\s*["']?bearer\s+)[^\s"',]+/gi,
  /\bbearer\s+[A-Za-z0-9._~+/=-]{16,}/gi,
  /\bsk-(?:ant-|proj-|or-v1-)?[A-Za-z0-9_-]{16,}/g,
  /\bAIza[0-9A-Za-z_-]{30,}/g,
  /\b\d{6,12}:[A-Za-z0-9_-]{30,}\b/g,
  /\bagb_[A-Za-z0-9_-]{16,}/g,
  /\bagm_[A-Za-z0-9_-]{16,}/g,
  /([?#&](?:token|key|api_key|apikey)=)[^&\s"']+/gi,
];

export const REDACTED = "[redacted]";

export function createLogRedactor(secretValues: readonly string[]) {
  // Longest first, so a secret that contains another is replaced whole.
  const exact = [...new Set(secretValues)].filter((value) => value.length >= 8).sort((a, b) => b.length - a.length);
  return (text: string): string => {
    let result = text;
    for (const value of exact) result = result.split(value).join(REDACTED);
    for (const pattern of PATTERNS) {
      result = result.replace(pattern, (match: string, prefix?: string) =>
        typeof prefix === "string" && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED,
      );
    }
    return result;
  };
}
