import { test } from "node:test";
import assert from "node:assert/strict";
import { parseQueueUrl, queueUrlFrom, redact, redactUrl, QUEUE_URL_ENV } from "../../lib/queue/url";
import { ConfigError } from "../../lib/util/errors";

test("parseQueueUrl(url) keeps redis:// and rediss:// URLs byte for byte for ioredis and shows them without the password", () => {
  for (const url of ["redis://127.0.0.1:6379", "rediss://default:p%40ss@redis.example.org:6380/2", "redis://:hunter2@10.0.0.5:6390"]) {
    assert.equal(parseQueueUrl(url).url, url);
  }
  assert.equal(parseQueueUrl("redis://127.0.0.1:6379").shown, "redis://127.0.0.1:6379");
  assert.equal(parseQueueUrl("rediss://default:p%40ss@redis.example.org:6380/2").shown, "rediss://default:***@redis.example.org:6380/2");
  assert.deepEqual(parseQueueUrl("rediss://default:p%40ss@h:1").secrets, ["p%40ss", "p@ss"]);
});

test("parseQueueUrl(url) rejects other schemes and non-URLs naming the flag, without echoing a password", () => {
  assert.throws(() => parseQueueUrl("http://u:pw123@h:1"), (e: Error) => e instanceof ConfigError && /^--queue: scheme "http:"/.test(e.message) && !e.message.includes("pw123"));
  assert.throws(() => parseQueueUrl("redis//:pw123@h", QUEUE_URL_ENV), (e: Error) => e instanceof ConfigError && e.message.startsWith(`${QUEUE_URL_ENV}:`) && !e.message.includes("pw123"));
});

test("redact(text, queue) hides the password raw and percent-decoded, and any user:password@ in URLs", () => {
  const queue = parseQueueUrl("rediss://app:s%2Fecret@cache:6380");
  const text = "connect to rediss://app:s%2Fecret@cache:6380 failed: AUTH s/ecret rejected; also redis://x:other@y";
  const out = redact(text, queue);
  assert.ok(!out.includes("s/ecret") && !out.includes("s%2Fecret") && !out.includes("other"), out);
  assert.equal(out, "connect to rediss://app:***@cache:6380 failed: AUTH *** rejected; also redis://x:***@y");
  assert.equal(redactUrl("redis://:pw@h:1/0"), "redis://:***@h:1/0");
});

test("queueUrlFrom(flag, env) prefers the flag, falls back to SCALING_QUEUE_URL, else is local", () => {
  assert.equal(queueUrlFrom("redis://a:1", { [QUEUE_URL_ENV]: "redis://b:2" })?.url, "redis://a:1");
  assert.equal(queueUrlFrom(undefined, { [QUEUE_URL_ENV]: "redis://b:2" })?.url, "redis://b:2");
  assert.equal(queueUrlFrom(undefined, {}), undefined);
});

test("redactUrl and redact take the userinfo up to the LAST @: passwords holding @, :, / or %40 are hidden whole (issue 18, failure 3)", () => {
  // Before: redis://:Tr0ub@dor@127.0.0.1:6379 was shown as redis://:***@dor@127.0.0.1:6379.
  const cases: Array<[string, string, string]> = [
    ["redis://:Tr0ub@dor@127.0.0.1:6379", "redis://:***@127.0.0.1:6379", "Tr0ub@dor"],
    ["redis://app:pa:ss@h:1/0", "redis://app:***@h:1/0", "pa:ss"],
    ["redis://app:pa/ss@h:1", "redis://app:***@h:1", "pa/ss"],
    ["rediss://default:p%40ss@h:6380/2", "rediss://default:***@h:6380/2", "p@ss"],
    ["redis://:a@b:c/d@e@h:1", "redis://:***@h:1", "a@b:c/d@e"],
  ];
  for (const [url, shown, password] of cases) {
    assert.equal(redactUrl(url), shown);
    if (password.includes("/")) {
      // Not a URL (a '/' ends the authority): refused without the password, the fix named.
      assert.throws(() => parseQueueUrl(url), (e: Error) => e instanceof ConfigError && !e.message.includes(password) && /percent-encode/.test(e.message));
      assert.equal(redact(`connect ${url} failed`), `connect ${shown} failed`);
      continue;
    }
    const queue = parseQueueUrl(url);
    assert.equal(queue.shown, shown);
    assert.ok(queue.secrets.includes(password), `${url}: ${queue.secrets.join(", ")}`);
    const log = redact(`worker ready on ${url}; {"url":"${url}","n":1}; AUTH ${password} failed`, queue);
    assert.equal(log, `worker ready on ${shown}; {"url":"${shown}","n":1}; AUTH *** failed`);
  }
  assert.equal(redactUrl("redis://user@h:1"), "redis://user@h:1", "a user without a password is not a secret");
  assert.equal(redactUrl("redis://h:1/0"), "redis://h:1/0");
});
