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
