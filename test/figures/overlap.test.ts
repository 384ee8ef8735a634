import assert from "node:assert/strict";
import { test } from "node:test";
import * as Plot from "@observablehq/plot";
import { svgDocument } from "../../lib/figures/render";
import { overlappingTexts, textBoxes } from "./overlap";

const labels = (rows: { x: number; y: number; label: string }[]) =>
  Plot.plot({ document: svgDocument(), width: 400, height: 300, x: { domain: [0, 10] }, y: { domain: [0, 10] }, marks: [Plot.text(rows, { x: "x", y: "y", text: "label", fontSize: 10 })] }) as unknown as Element;

test("overlappingTexts(figure) reports two labels printed at one spot and none for labels far apart", () => {
  assert.deepEqual(overlappingTexts(labels([{ x: 5, y: 5, label: "3e10" }, { x: 5.1, y: 5, label: "7e10" }])), [["3e10", "7e10"]]);
  assert.deepEqual(overlappingTexts(labels([{ x: 1, y: 1, label: "3e10" }, { x: 9, y: 9, label: "7e10" }])), []);
});

test("textBoxes(figure) centres a middle-anchored label on its point, one estimated text width wide", () => {
  const [box] = textBoxes(labels([{ x: 5, y: 5, label: "abc" }]));
  assert.ok(box);
  // x = 5 of [0, 10] maps to the middle of Plot's default frame: margins 40 (left, the y axis) and 20 → 210 px.
  assert.ok(Math.abs((box.x0 + box.x1) / 2 - 210) < 1, `${box.x0}..${box.x1}`);
  assert.ok(box.x1 - box.x0 > 15 && box.x1 - box.x0 < 25, "three 10 px glyphs");
});
