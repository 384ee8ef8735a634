import assert from "node:assert/strict";
import { test } from "node:test";
import { parseArgs, type CommandSpec } from "../../lib/cli/args";
import { SHAPE_FLAGS, shapeFromArgs } from "../../lib/cli/shapeFlags";
import { eq2, modelScaleExact } from "../../lib/model/count";
import { ConfigError } from "../../lib/util/errors";

const spec: CommandSpec = { usage: "scaling scale", summary: "", flags: SHAPE_FLAGS };
const shapeOf = (...argv: string[]) => shapeFromArgs(parseArgs(argv, spec));
/** 3·d·(8d/3) carries float rounding; everything else in the count is exact. */
const FRACTIONAL_FFN_REL_TOL = 1e-12;

test("shapeFromArgs without --heads/--kv-heads/--ffn is MHA with FFN exactly 8/3·d_model (Eq. 2's assumption)", () => {
  const shape = shapeOf("--layers", "8", "--d-model", "512", "--seq", "4096", "--vocab", "102400");
  assert.equal(shape.ffn, (8 * 512) / 3);
  assert.equal(shape.kvHeads, shape.heads);
  // Exact M then differs from Eq. 2 only by the RMSNorm gains, 6·(2·n·d + d).
  const gap = modelScaleExact(shape) - eq2(shape).modelScale;
  assert.ok(Math.abs(gap / (6 * (2 * 8 * 512 + 512)) - 1) < FRACTIONAL_FFN_REL_TOL);
});

test("shapeFromArgs names the flag at fault", () => {
  const isFlag = (flag: string) => (e: unknown): boolean => e instanceof ConfigError && e.path === flag;
  assert.throws(() => shapeOf("--layers", "2", "--d-model", "64", "--seq", "256"), isFlag("--vocab"));
  assert.throws(() => shapeOf("--layers", "2", "--d-model", "64", "--seq", "256", "--vocab", "256", "--heads", "3"), isFlag("--heads"));
  assert.throws(() => shapeOf("--layers", "2", "--d-model", "64", "--seq", "256", "--vocab", "256", "--heads", "4", "--kv-heads", "3"), isFlag("--kv-heads"));
  assert.throws(() => shapeOf("--layers", "0", "--d-model", "64", "--seq", "256", "--vocab", "256"), isFlag("--layers"));
});
