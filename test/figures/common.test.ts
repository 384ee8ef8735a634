import assert from "node:assert/strict";
import { test } from "node:test";
import { log2Label, log2Ticks, logSpace, logTicks, positiveExtent, sci, sideBySide } from "../../lib/figures/common";
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

test("logTicks(values) ticks every k-th power of ten when more than 8 would crowd the axis", () => {
  // 1e-3 … 1e18 is 22 decades: every 3rd power, all multiples of 3 in the exponent.
  assert.deepEqual(logTicks([1e-3, 5e18]), [1e-3, 1, 1e3, 1e6, 1e9, 1e12, 1e15, 1e18]);
  assert.deepEqual(logTicks([5e9, 4e23]), [1e10, 1e12, 1e14, 1e16, 1e18, 1e20, 1e22]);
});

test("log2Ticks(values) puts ticks on integers, so log2Label never repeats a label", () => {
  // The real learning-rate grid that printed −5, −5, −6, −6, …: half-integer log₂ values.
  const lr = [-3.5, -4, -4.5, -5, -5.5, -6, -6.5, -7, -7.5, -8];
  assert.deepEqual(log2Ticks(lr), [-8, -7, -6, -5, -4]);
  const labels = log2Ticks(lr).map(log2Label);
  assert.equal(new Set(labels).size, labels.length);
  assert.deepEqual(labels, ["−8", "−7", "−6", "−5", "−4"]);
  // Under two integers in range: half steps, labelled with their one decimal.
  assert.deepEqual(log2Ticks([7.6, 8.4]).map(log2Label), ["8"]);
  assert.deepEqual(log2Ticks([7.1, 7.9]).map(log2Label), ["7.5"]);
  assert.deepEqual(log2Ticks([]), []);
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
