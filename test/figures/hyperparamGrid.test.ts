import assert from "node:assert/strict";
import { test } from "node:test";
import { hyperparamGridFigure, runId } from "../../lib/figures/hyperparamGrid";
import { toPng, toSvgString } from "../../lib/figures/render";
import { hyperparamRuns, nearOptimal } from "./fixtures";
import { darkPixels, decodePng } from "./png";
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

/** Tick label texts of one axis ("x" or "y"); faceted plots repeat the x axis per facet. */
function tickLabels(el: Element, axis: "x" | "y"): string[] {
  return Array.from(el.querySelectorAll(`g[aria-label="${axis}-axis tick label"] text`)).map((t) => t.textContent ?? "");
}

test("hyperparamGridFigure(runs) labels log₂ ticks exactly: no two ticks on an axis share a label", () => {
  // Half-integer learning rates (2⁻³·⁵ … 2⁻⁸), as the real tiny sweep has, once printed −5, −5, −6, −6, ….
  const runs = hyperparamRuns().map((r, i) => ({ ...r, learningRate: 2 ** (-3.5 - 0.5 * (i % 10)) }));
  const el = hyperparamGridFigure(runs, { nearOptimal: nearOptimal(runs) });
  const y = tickLabels(el, "y");
  assert.ok(y.length >= 4, `y ticks: ${y.join(", ")}`);
  assert.equal(new Set(y).size, y.length, `duplicate y tick labels: ${y.join(", ")}`);
  for (const label of y) assert.match(label, /^−?\d+$/, "integer log₂ ticks");
  const x = tickLabels(el, "x");
  const perFacet = x.slice(0, x.length / 3);
  assert.equal(new Set(perFacet).size, perFacet.length, `duplicate x tick labels: ${perFacet.join(", ")}`);
});

test("hyperparamGridFigure(runs) wraps its two-line title so no text reaches the figure's right edge", () => {
  const runs = hyperparamRuns();
  for (const width of [640, 480]) {
    const img = decodePng(toPng(hyperparamGridFigure(runs, { nearOptimal: nearOptimal(runs), width }), { scale: 1 }));
    // The title band is everything above the facet labels; its right-most 6 px must be blank.
    assert.equal(darkPixels(img, width - 6, 0, width, 60), 0, `title clipped at width ${width}`);
    assert.ok(darkPixels(img, 60, 0, width, 60) > 500, "title drawn");
  }
});

test("hyperparamGridFigure(runs) sizes itself so no two loss labels in a row overlap when budgets' grids sit at different B", () => {
  // The study's layout: a 5 × 5 grid at √2 steps per budget, its centre moving up in B with compute, so the shared
  // x scale spans about twice one grid.
  const budgets = [3e10, 1e11, 3.2e11, 1e12];
  const runs = budgets.flatMap((c) => [-2, -1, 0, 1, 2].flatMap((i) => [-2, -1, 0, 1, 2].map((j) => ({
    compute: c, modelScale: 1e5, tokens: c / 1e5, batchTokens: 500 * (c / 3e10) ** 0.3 * 2 ** (i / 2), learningRate: 0.01 * (c / 3e10) ** -0.1 * 2 ** (j / 2),
    loss: 2.5 + 0.001 * (i * i + j * j), status: "ok", key: `${c}-${i}-${j}`,
  }))));
  const el = hyperparamGridFigure(runs);
  const facets = Array.from(el.querySelectorAll('g[aria-label="text"] > g'));
  assert.equal(facets.length, budgets.length);
  /** Width of a 5-character loss label at 8 px (DejaVu Sans digits ≈ 0.64 em, "." narrower), in px. */
  const LABEL_PX = 24;
  for (const facet of facets) {
    const at = Array.from(facet.querySelectorAll("text")).map((t) => (t.getAttribute("transform") ?? "").match(/translate\(([-\d.]+),([-\d.]+)\)/)!.slice(1).map(Number) as [number, number]);
    assert.equal(at.length, 25);
    for (const [x, y] of at) {
      for (const [x2, y2] of at) {
        if ((x !== x2 || y !== y2) && Math.abs(y - y2) < 10) assert.ok(Math.abs(x - x2) >= LABEL_PX, `labels at x ${x} and ${x2} overlap`);
      }
    }
  }
});
