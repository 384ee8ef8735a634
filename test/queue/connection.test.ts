import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeRedis, waitForRedis } from "../../lib/queue/connection";
import { parseQueueUrl } from "../../lib/queue/url";
import { startRedis } from "./harness";

/** One connection attempt here: a refused localhost connection is retried by ioredis within it. */
const ATTEMPT_SECONDS = 1;

test("waitForRedis retries an unreachable Redis with doubling backoff, saying so each time (redacted), and connects once it is up (issue 18: a worker with a wrong port waited forever)", { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "connection-test-"));
  const redis = await startRedis({ dir, persistent: false, password: "s3cr@t" });
  try {
    await redis.stop();
    const queue = parseQueueUrl(redis.url);
    const retries: Array<{ attempt: number; delay: number; message: string }> = [];
    const client = await waitForRedis(queue, {
      attemptSeconds: ATTEMPT_SECONDS,
      maxBackoffSeconds: 2,
      onRetry: (attempt, delay, message) => {
        retries.push({ attempt, delay, message });
        if (attempt === 3) void redis.restart();
      },
    });
    assert.ok(client, "connected once Redis was back");
    await closeRedis(client);
    assert.deepEqual(retries.slice(0, 3).map((r) => [r.attempt, r.delay]), [[1, 1], [2, 2], [3, 2]], "backoff 1, 2, then capped at 2 s");
    for (const r of retries) {
      assert.match(r.message, new RegExp(`^cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port} within 1 s`));
      assert.ok(!r.message.includes("s3cr"), r.message);
    }
    const aborted = new AbortController();
    await redis.stop();
    const none = await waitForRedis(queue, { attemptSeconds: ATTEMPT_SECONDS, signal: aborted.signal, onRetry: () => aborted.abort() });
    assert.equal(none, undefined, "an abort (Ctrl-C) stops the wait");
  } finally {
    await redis.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});
