import assert from "node:assert/strict";
import { test } from "node:test";
import { hyperparamGridFigure, runId } from "../../lib/figures/hyperparamGrid";
import { toSvgString } from "../../lib/figures/render";
import { hyperparamRuns, nearOptimal } from "./fixtures";
import { assertSvgSnapshot } from "./snapshot";

/** Per-facet groups of the dot mark drawn with the given stroke width (faceted marks nest one <g> per facet). */
function dotMarks(el: Element, strokeWidth: string): Element[] {
  return Array.from(el.querySelectorAll('g[aria-label="dot"] > g')).filter((g) => g.getAttribute("stroke-width") === strokeWidth);
}

test("hyperparamGridFigure(runs, {nearOptimal}) outlines exactly the near-optimal cells and labels every cell", () => {
  const runs = hyperparamRuns();
  const near = nearOptimal(runs);
  assert.ok(near.length >= 3 && near.length < runs.length, `fixture has ${near.length} near-optimal runs`);
  const el = hyperparamGridFigure(runs, { nearOptimal: near, width: 900 });
  const outlines = dotMarks(el, "2").flatMap((g) => Array.from(g.querySelectorAll("path")));
  assert.equal(outlines.length, near.length);
  const svg = toSvgString(el);
  for (const c of ["1e17", "1e18", "1e19"]) assert.ok(svg.includes(`C = ${c}`), `facet ${c} missing`);
  for (const r of runs) assert.ok(svg.includes(`>${r.loss.toFixed(3)}<`), `cell label ${r.loss.toFixed(3)} missing`);
  assertSvgSnapshot("hyperparamGrid", svg);
});

test("hyperparamGridFigure(runs, {nearOptimal: keys}) accepts run keys and skips runs whose status is not ok", () => {
  const runs = hyperparamRuns();
  const near = nearOptimal(runs);
  const failed = { ...runs[0]!, key: "failed-run", status: "diverged", loss: 99 };
  const el = hyperparamGridFigure([...runs, failed], { nearOptimal: new Set(near.map(runId)), labels: false });
  assert.equal(dotMarks(el, "2").flatMap((g) => Array.from(g.querySelectorAll("path"))).length, near.length);
  assert.ok(!toSvgString(el).includes("99.000"));
});
