import assert from "node:assert/strict";
import { test } from "node:test";
import { allocationFigure, type AllocationPoint } from "../../lib/figures/allocation";
import { parabolaMinimum } from "../../lib/figures/isoflopCurves";
import { toSvgString } from "../../lib/figures/render";
import { EQ4_MODEL, EQ4_TOKENS, isoflopFits, withDraws } from "./fixtures";
import { assertSvgSnapshot } from "./snapshot";

/** The paper's Figure 4(b)/(c) annotation for the 67B (paper.md §3). */
const TARGET_67B = { compute: 4.5e23, modelScale: 4.3e11, tokens: 1.04e12 };

function optima(): AllocationPoint[] {
  return isoflopFits().map((f) => {
    const m = parabolaMinimum(f);
    return { compute: f.compute, modelScale: m.modelScale, tokens: f.compute / m.modelScale, status: f.status ?? "ok" };
  });
}

test("allocationFigure(optima, options) draws M_opt and D_opt panels with laws, bands and hollow non-ok optima", () => {
  const el = allocationFigure(optima(), {
    modelScaleLaw: withDraws(EQ4_MODEL, 5),
    tokensLaw: withDraws(EQ4_TOKENS, 6),
    modelScaleTargets: [{ label: "67B: 4.3e11", compute: TARGET_67B.compute, value: TARGET_67B.modelScale }],
    tokensTargets: [{ label: "67B: 1.04e12", compute: TARGET_67B.compute, value: TARGET_67B.tokens }],
  });
  const panels = Array.from(el.children);
  assert.equal(panels.length, 2);
  for (const panel of panels) {
    assert.equal(panel.querySelectorAll('g[aria-label="area"] path').length, 1);
    const hollow = Array.from(panel.querySelectorAll('g[aria-label="dot"]')).find((g) => g.getAttribute("stroke") === "#555");
    assert.equal(hollow?.querySelectorAll("path, circle").length, 1, "the warning budget is hollow");
  }
  assert.equal(el.getAttribute("width"), "1280");
  const svg = toSvgString(el);
  assert.ok(svg.includes("67B: 4.3e11") && svg.includes("67B: 1.04e12"));
  assertSvgSnapshot("allocation", svg);
});

test("allocationFigure(optima, {modelScaleReference, tokensReference}) adds a labelled grey line through the published law on each panel", () => {
  const el = allocationFigure(optima(), {
    modelScaleLaw: EQ4_MODEL,
    tokensLaw: EQ4_TOKENS,
    modelScaleReference: { coefficient: 0.1715, exponent: 0.5243, label: "DeepSeek Eq. 4" },
    tokensReference: { coefficient: 5.8316, exponent: 0.4757, label: "DeepSeek Eq. 4" },
  });
  const panels = Array.from(el.children).filter((c) => c.tagName.toLowerCase() === "svg");
  assert.equal(panels.length, 2);
  for (const panel of panels) {
    assert.ok(Array.from(panel.querySelectorAll('g[aria-label="line"]')).some((g) => g.getAttribute("stroke") === "#777"), "grey reference line");
    assert.equal(Array.from(panel.querySelectorAll("text")).filter((t) => t.textContent === "DeepSeek Eq. 4").length, 1);
  }
});
