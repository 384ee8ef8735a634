import assert from "node:assert/strict";
import { test } from "node:test";
import { parseColumnMapping, parseRunsTable } from "../../lib/io/runsTable";
import { DataError } from "../../lib/util/errors";

/** Tables as people have them: only the columns a fit reads, their own names, compute derived. */

const oneLine = (pattern: RegExp) => (e: unknown): boolean => {
  assert.ok(e instanceof DataError, String(e));
  assert.match(e.message, pattern);
  assert.doesNotMatch(e.message, /\n/);
  return true;
};

test("parseRunsTable reads an IsoFLOP table without batch or learning-rate columns, deriving tokens = C/M", () => {
  const t = parseRunsTable("compute,model_scale,loss\n1e18,1e9,3.1\n1e18,2e9,3.0\n", "iso.csv", { use: "isoflop" });
  assert.deepEqual(t.points.map((p) => p.tokens), [1e9, 5e8]);
  assert.ok(t.points.every((p) => Number.isNaN(p.batchTokens) && Number.isNaN(p.learningRate)), "columns the fit does not read stay empty");
  assert.deepEqual(t.derived, ["tokens = compute / model_scale (no tokens column)"]);
});

test("parseRunsTable derives compute = M·D, or 6·N·D flagged as such when only parameters are given", () => {
  const md = parseRunsTable("model_scale,tokens,batch_tokens,learning_rate,loss\n2e9,5e9,1e6,1e-3,2.5\n", "f.csv", { use: "hyperparams" });
  assert.equal(md.points[0]!.compute, 1e19);
  assert.deepEqual(md.derived, ["compute = model_scale·tokens (no compute column)"]);
  const nd = parseRunsTable("N,D,L\n1e8,2e9,3.2\n", "f.csv", { use: "loss", columns: { params: "N", tokens: "D", loss: "L" } });
  assert.equal(nd.points[0]!.compute, 6 * 1e8 * 2e9);
  assert.equal(nd.points[0]!.modelScale, 6e8);
  assert.equal(nd.points[0]!.params, 1e8);
  assert.ok(nd.derived.some((d) => /6·params·tokens .*6ND approximation/.test(d)), nd.derived.join("; "));
  assert.deepEqual(nd.columns, { params: "N", tokens: "D", loss: "L" });
});

test("a missing column lists the columns found and the --columns mapping that would fix it", () => {
  const header = "x,y,color,Model Size,Training FLOP,hex_color,loss\n1,2,#fff,1e8,1e18,#fff,3.1\n";
  assert.throws(() => parseRunsTable(header, "chin.csv", { use: "loss" }), oneLine(/missing columns "model_scale", "compute".*found "x", "y", "color", "Model Size", "Training FLOP".*--columns compute="Training FLOP",params="Model Size"/));
  assert.throws(() => parseRunsTable("compute,model_scale,tokens,loss\n1,1,1,1\n", "h.csv", { use: "hyperparams" }), oneLine(/h\.csv:1: missing columns "batch_tokens", "learning_rate" \(the hyperparams fit reads/));
  assert.throws(() => parseRunsTable("compute,model_scale,tokens,lr,bs,loss\n1,1,1,1,1,1\n", "h.csv", { use: "hyperparams" }), oneLine(/--columns batch_tokens=bs,learning_rate=lr/));
});

test("a mapping that names an absent column says so and lists the header", () => {
  assert.throws(() => parseRunsTable("compute,model_scale,loss\n1,1,1\n", "m.csv", { use: "isoflop", columns: { loss: "val_loss" } }), oneLine(/m\.csv:1: --columns maps loss to "val_loss", which the header does not have — the header has "compute", "model_scale", "loss"/));
});

test("parseColumnMapping reads ours=theirs pairs, quoted names included, and refuses unknown targets", () => {
  assert.deepEqual(parseColumnMapping('compute="Training FLOP",params=Model Size'), { compute: "Training FLOP", params: "Model Size" });
  assert.throws(() => parseColumnMapping("flops=C"), oneLine(/--columns: "flops" is not a column the fits read — map one of compute, model_scale/));
  assert.throws(() => parseColumnMapping("compute"), oneLine(/"compute" is not ours=theirs/));
});
