import assert from "node:assert/strict";
import { test } from "node:test";
import { contrastOnWhite, MIN_SERIES_CONTRAST, seriesColours, viridis } from "../../lib/figures/palette";

/** WCAG ratios are published to two decimals. */
const CONTRAST_TOL = 0.01;

test("contrastOnWhite(hex) matches WCAG 2.1's published ratios", () => {
  assert.ok(Math.abs(contrastOnWhite("#000000") - 21) < CONTRAST_TOL);
  assert.ok(Math.abs(contrastOnWhite("#ffffff") - 1) < CONTRAST_TOL);
  // #767676 is the classic lightest grey that passes 4.5 : 1 on white (4.54 : 1).
  assert.ok(Math.abs(contrastOnWhite("#767676") - 4.54) < CONTRAST_TOL);
});

test("viridis(t) returns the matplotlib stops at their ends and middle", () => {
  assert.equal(viridis(0), "#440154");
  assert.equal(viridis(0.5), "#21918c");
  assert.equal(viridis(1), "#fde725");
});

test("seriesColours(n) gives n distinct, ordered colours that all keep text contrast on white", () => {
  assert.deepEqual(seriesColours(0), []);
  assert.deepEqual(seriesColours(1), ["#440154"]);
  for (let n = 2; n <= 12; n++) {
    const colours = seriesColours(n);
    assert.equal(new Set(colours).size, n, `${n} colours are distinct`);
    for (const c of colours) assert.ok(contrastOnWhite(c) >= MIN_SERIES_CONTRAST, `${c} has ${contrastOnWhite(c).toFixed(2)} : 1 on white`);
    // Ordered dark → light, so budgets read in order.
    const ratios = colours.map(contrastOnWhite);
    assert.ok(ratios.every((r, i) => i === 0 || r < ratios[i - 1]!), `${n} colours get lighter in order`);
  }
  // The old palette's lightest colour, viridis' yellow end, is what this guards against.
  assert.ok(contrastOnWhite(viridis(1)) < MIN_SERIES_CONTRAST);
});
