import { Redis } from "ioredis";
import { ConfigError } from "../util/errors";
import { redact, type QueueUrl } from "./url";

/**
 * Redis clients for BullMQ, built here rather than by BullMQ: BullMQ 6 loads ioredis with
 * `require`, which native ESM lacks, and a client instance works in every module system. The URL
 * goes to ioredis untouched (it handles `:password@`, `rediss://` TLS and `/db` itself).
 */

/** A new client; `maxRetriesPerRequest: null` is what BullMQ requires (commands wait out a reconnect). */
export function openRedis(queue: QueueUrl): Redis {
  return new Redis(queue.url, { maxRetriesPerRequest: null });
}

/**
 * A client that is connected (authenticated, db selected), or a ConfigError naming `flag`, the
 * redacted URL and the last connection error after `seconds`. Checked before BullMQ gets the
 * client, because BullMQ cannot be torn down cleanly while it still waits for a first connection.
 */
export async function connectRedis(queue: QueueUrl, seconds: number, flag = "--queue"): Promise<Redis> {
  const client = openRedis(queue);
  let lastError = "";
  const onError = (e: Error): void => void (lastError = redact(e.message, queue));
  client.on("error", onError);
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), seconds * 1000);
    client.once("ready", () => resolve(true));
  });
  const ok = await ready;
  clearTimeout(timer);
  client.removeListener("error", onError);
  if (!ok) {
    client.disconnect();
    const why = lastError ? ` (${lastError})` : "";
    throw new ConfigError(`cannot reach Redis at ${queue.shown} within ${seconds} s${why}`, flag, "start redis-server there, or check host, port and password");
  }
  return client;
}

/** Close a client: politely when connected, at once otherwise (quit would wait for a connection forever). */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === "ready") {
    try {
      await client.quit();
      return;
    } catch {
      // Fall through: drop the connection.
    }
  }
  client.disconnect();
}

/** Seconds one connection attempt of `waitForRedis` may take. */
export const CONNECT_ATTEMPT_SECONDS = 5;
/** The longest pause between attempts: backoff doubles from 1 s up to this. */
export const MAX_BACKOFF_SECONDS = 60;

export interface WaitForRedisOptions {
  readonly attemptSeconds?: number;
  readonly maxBackoffSeconds?: number;
  /** Called after each failed attempt, before the pause (the message is redacted). */
  readonly onRetry?: (attempt: number, delaySeconds: number, message: string) => void;
  /** Stop waiting; resolves undefined. */
  readonly signal?: AbortSignal;
}

/**
 * A connected client, retrying with exponential backoff (1, 2, 4 … MAX_BACKOFF_SECONDS s) for as long
 * as Redis cannot be reached, saying so each time, so a worker started before its Redis (or given a
 * wrong port) neither waits silently nor gives up. Undefined when `signal` aborts first.
 */
export async function waitForRedis(queue: QueueUrl, options: WaitForRedisOptions = {}): Promise<Redis | undefined> {
  const maxBackoff = options.maxBackoffSeconds ?? MAX_BACKOFF_SECONDS;
  for (let attempt = 1; !options.signal?.aborted; attempt++) {
    try {
      return await connectRedis(queue, options.attemptSeconds ?? CONNECT_ATTEMPT_SECONDS);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const delaySeconds = Math.min(maxBackoff, 2 ** (attempt - 1));
      options.onRetry?.(attempt, delaySeconds, e.message.replace(/^--queue: /, "").replace(/ — .*$/, ""));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delaySeconds * 1000);
        options.signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }
  return undefined;
}
