import { test } from "node:test";
import assert from "node:assert/strict";
import { parseSpec } from "../../lib/sweep/spec";
import { resolveSpec } from "../../lib/sweep/resolve";
import { expandSpec, SWEEP_CODE_VERSION } from "../../lib/sweep/expand";
import { jobOf, parseRunJob } from "../../lib/queue/job";
import { ConfigError } from "../../lib/util/errors";

const plans = expandSpec(
  resolveSpec(
    parseSpec({
      name: "job-test",
      corpus: "en-prose",
      seq: 32,
      family: { headSize: 8 },
      budgets: [1e8],
      design: { kind: "hyperparams", modelScale: 26_400, batchTokens: { values: [64, 128] }, learningRate: { values: [1e-3] } },
    }),
    {},
  ),
).runs;

test("parseRunJob(jobOf(plan)) round-trips through JSON (as Redis stores it) and keeps the plan's key and config", () => {
  for (const plan of plans) {
    const job = parseRunJob(JSON.parse(JSON.stringify(jobOf(plan, SWEEP_CODE_VERSION))), SWEEP_CODE_VERSION);
    assert.equal(job.key, plan.key);
    assert.deepEqual(job.config, plan.config);
  }
});

test("parseRunJob(data) rejects malformed data, another code version and a key that is not its config's", () => {
  const good = jobOf(plans[0]!, SWEEP_CODE_VERSION);
  const cases: Array<[unknown, RegExp]> = [
    [null, /^job: Expected object/],
    ["() => process.exit(1)", /^job: Expected object/],
    [{ ...good, config: { ...good.config, learningRate: Number.POSITIVE_INFINITY } }, /^job\.config\.learningRate:/],
    [{ ...good, config: { ...good.config, shape: { ...good.config.shape, layers: 1.5 } } }, /^job\.config\.shape\.layers:/],
    [{ ...good, extra: 1 }, /^job: Unrecognized key/],
    [{ ...good, codeVersion: "train-0" }, /^job\.codeVersion: .*"train-0"/],
    [{ ...good, key: plans[1]!.key }, /^job\.key: /],
    [{ ...good, config: plans[1]!.config }, /^job\.key: /],
  ];
  for (const [data, want] of cases) assert.throws(() => parseRunJob(data, SWEEP_CODE_VERSION), (e: Error) => e instanceof ConfigError && want.test(e.message));
});
