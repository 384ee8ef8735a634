import assert from "node:assert/strict";
import { test } from "node:test";
import { SVG_NS, toPng } from "../../lib/figures/render";
import { textWidth, wrapText } from "../../lib/figures/text";
import { decodePng } from "./png";

/** textWidth may overestimate by this factor: per-class widths round up, and a tighter bound would wrap titles early. */
const WIDTH_SLACK = 1.25;

test("textWidth(text, size) is an upper bound on DejaVu Sans' rendered width, at most 25 % over", () => {
  const samples = [
    "colour: loss above the budget's best, yellow 0 % → purple ≥ 5 %; outlined: near-optimal; ★: best",
    "Parameter-based proxies vs model scale M (1 = exact; dashed: ±50 %)",
    "IsoFLOP curves, one per compute budget C in FLOPs (◆: fitted minimum)",
    "WWWW MMMM mmmm wwww 0123456789",
  ];
  for (const text of samples) {
    const svg = `<svg xmlns="${SVG_NS}" width="1400" height="30"><text x="0" y="20" font-size="13" font-family="DejaVu Sans">${text}</text></svg>`;
    const img = decodePng(toPng(svg, { scale: 1 }));
    let right = 0;
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) if ((img.data[(y * img.width + x) * 4] ?? 255) < 200) right = Math.max(right, x + 1);
    }
    const estimate = textWidth(text, 13);
    assert.ok(estimate >= right, `"${text}": estimate ${estimate.toFixed(0)} px < rendered ${right} px`);
    assert.ok(estimate <= right * WIDTH_SLACK, `"${text}": estimate ${estimate.toFixed(0)} px is far above rendered ${right} px`);
  }
});

test("wrapText(text, width, size) breaks at spaces into lines that fit, keeping forced breaks", () => {
  const text = "Loss over batch size × learning rate\ncolour: loss above the budget's best, yellow 0 % → purple ≥ 5 %; outlined: near-optimal";
  const lines = wrapText(text, 300, 13);
  assert.equal(lines[0], "Loss over batch size × learning rate");
  assert.ok(lines.length >= 3);
  for (const line of lines) assert.ok(textWidth(line, 13) <= 300, line);
  assert.equal(lines.join(" ").replace("rate colour", "rate\ncolour"), text);
  assert.deepEqual(wrapText("short", 300, 13), ["short"]);
});
