import { pino } from "pino";
import type { DestinationStream, Logger } from "pino";

/**
 * Paths pino replaces with "[redacted]" wherever they appear in a log object. Tokens travel in these
 * headers; nothing else we log carries secrets (request bodies are never logged).
 */
export const redactedPaths = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  "headers.authorization",
  "authorization",
  "token",
  "*.token",
  "password",
  "*.password",
];

export function createLogger(options: { level: string; destination?: DestinationStream; base?: object }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: "backend", ...options.base },
      redact: { paths: redactedPaths, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

export type { Logger };
