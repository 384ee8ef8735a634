import { ConfigError } from "../util/errors";

/**
 * Queue URLs: `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). The URL string is
 * handed to ioredis exactly as given (it parses auth, TLS and the db index itself); this module
 * only checks the scheme and hides the password wherever a URL or message is shown to people,
 * logs or records.
 */

/** Environment variable read when `--queue` is not given (keeps a password out of `ps`). */
export const QUEUE_URL_ENV = "SCALING_QUEUE_URL";

/** What replaces a password in anything printed or stored. */
export const REDACTED = "***";

const SCHEMES = new Set(["redis:", "rediss:"]);

/** A checked queue URL: `url` goes to ioredis untouched, `shown` is the only form to print. */
export interface QueueUrl {
  /** The URL as given, password and all; never print it. */
  readonly url: string;
  /** The URL with its password replaced by `***`. */
  readonly shown: string;
  /** Secrets (password, raw and percent-decoded) that `redact` removes from any text. */
  readonly secrets: readonly string[];
}

/**
 * Where a URL-like string keeps its password: the userinfo runs from `scheme://` to the LAST `@`
 * (a password may hold `@`, `:` or `/`; a host never holds `@`), the user up to its first `:`, the
 * password after it. Undefined without `user:password@`.
 */
function passwordSpan(raw: string): { start: number; end: number } | undefined {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(raw);
  if (!scheme) return undefined;
  const at = raw.lastIndexOf("@");
  if (at < scheme[0].length) return undefined;
  const colon = raw.indexOf(":", scheme[0].length);
  if (colon === -1 || colon > at) return undefined;
  return { start: colon + 1, end: at };
}

/** The password of a URL-like string, raw and decoded; none when it has no `:pass@`. */
function secretsOf(raw: string): string[] {
  const span = passwordSpan(raw);
  const password = span ? raw.slice(span.start, span.end) : "";
  if (!password) return [];
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // A malformed escape: the raw form is still redacted.
  }
  return [...new Set([password, decoded])].filter((s) => s.length > 0);
}

/** The URL with its password replaced; works on strings that do not parse as URLs too. */
export function redactUrl(raw: string): string {
  const span = passwordSpan(raw);
  return span ? `${raw.slice(0, span.start)}${REDACTED}${raw.slice(span.end)}` : raw;
}

/** A URL-like word in free text: a scheme, then anything but whitespace and quotes (so JSON and prose end it). */
const URL_WORD = /[a-z][a-z0-9+.-]*:\/\/[^\s"'`<>]*/gi;

/** `text` with every secret of the queue URL (and any other `scheme://user:pass@`) hidden. */
export function redact(text: string, queue?: Pick<QueueUrl, "secrets">): string {
  let out = text.replace(URL_WORD, (word) => redactUrl(word));
  // Longest first, so a secret containing another is hidden whole.
  for (const secret of [...(queue?.secrets ?? [])].sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
  return out;
}

/** Check a queue URL given by `flag` (e.g. `--queue`); errors show it redacted. */
export function parseQueueUrl(raw: string, flag = "--queue"): QueueUrl {
  const shown = redactUrl(raw.trim());
  const secrets = secretsOf(raw.trim());
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    // Not echoed: where a malformed URL hides its password cannot be known.
    const hint = raw.includes("@") ? "percent-encode the password's '/', '?' or '#' (e.g. / as %2F)" : "pass redis://HOST:PORT or rediss://HOST:PORT (TLS)";
    throw new ConfigError("the value is not a URL", flag, hint);
  }
  if (!SCHEMES.has(parsed.protocol)) {
    throw new ConfigError(`scheme "${parsed.protocol}" is not supported`, flag, "pass redis://HOST:PORT or rediss://HOST:PORT (TLS)");
  }
  if (!parsed.hostname) throw new ConfigError(`"${shown}" has no host`, flag, "pass redis://HOST:PORT");
  return { url: raw.trim(), shown, secrets };
}

/** The queue URL from a flag value, else from SCALING_QUEUE_URL, else undefined (local executor). */
export function queueUrlFrom(flagValue: string | undefined, env: NodeJS.ProcessEnv = process.env, flag = "--queue"): QueueUrl | undefined {
  if (flagValue !== undefined) return parseQueueUrl(flagValue, flag);
  const fromEnv = env[QUEUE_URL_ENV];
  return fromEnv ? parseQueueUrl(fromEnv, QUEUE_URL_ENV) : undefined;
}
