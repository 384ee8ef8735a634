import assert from "node:assert/strict";
import { test } from "node:test";
import { logSpace, logTicks, positiveExtent, sci, sideBySide } from "../../lib/figures/common";
import { SVG_NS, svgDocument } from "../../lib/figures/render";

test("sci(value) writes compact scientific tick labels", () => {
  assert.equal(sci(1e17), "1e17");
  assert.equal(sci(3e20), "3e20");
  assert.equal(sci(2.5e-4), "2.5e-4");
  assert.equal(sci(4.2e-4), "4.2e-4");
  assert.equal(sci(0), "0");
});

test("logTicks(values) gives powers of ten over wide ranges and 1-2-5 steps over narrow ones", () => {
  assert.deepEqual(logTicks([1.5e17, 4e23]), [1e18, 1e19, 1e20, 1e21, 1e22, 1e23]);
  assert.deepEqual(logTicks([3e-4, 4e-3]), [5e-4, 1e-3, 2e-3]);
  assert.deepEqual(logTicks([]), []);
});

test("logSpace(lo, hi, n) spans both ends with a constant ratio", () => {
  const xs = logSpace(1, 1000, 4);
  assert.equal(xs.length, 4);
  assert.ok(Math.abs(xs[1]! - 10) < 1e-9 && Math.abs(xs[3]! - 1000) < 1e-9);
});

test("positiveExtent(values) ignores non-finite and non-positive values", () => {
  assert.deepEqual(positiveExtent([3, -1, 0, NaN, Infinity, 7, 5]), [3, 7]);
  assert.ok(positiveExtent([0, -2]).every(Number.isNaN));
});

test("sideBySide(document, panels) places panels left to right in one SVG", () => {
  const document = svgDocument();
  const panel = (w: number, h: number) => {
    const el = document.createElementNS(SVG_NS, "svg");
    el.setAttribute("width", String(w));
    el.setAttribute("height", String(h));
    return el;
  };
  const [a, b] = [panel(300, 200), panel(250, 220)];
  const outer = sideBySide(document, [a, b]);
  assert.equal(outer.getAttribute("viewBox"), "0 0 550 220");
  assert.equal(b.getAttribute("x"), "300");
  assert.equal(outer.children.length, 2);
});
