import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { modelScaleFigure, scaleRows } from "../../lib/figures/modelScale";
import { writeFigure } from "../../lib/figures/write";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];
const shapes = [512, 2048].map((d) => ({ layers: 8, dModel: d, heads: 8, kvHeads: 8, ffn: (8 * d) / 3, seq: 4096, vocab: 102400 }));

test("writeFigure(dir, name, el) writes a standalone SVG and a PNG", () => {
  const dir = mkdtempSync(join(tmpdir(), "figures-"));
  try {
    const paths = writeFigure(join(dir, "nested"), "scale", modelScaleFigure(scaleRows(shapes)));
    assert.match(readFileSync(paths.svg, "utf8"), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.deepEqual([...readFileSync(paths.png!).subarray(0, 4)], PNG_SIGNATURE);
    const svgOnly = writeFigure(dir, "svg-only", modelScaleFigure(scaleRows(shapes)), false);
    assert.equal(svgOnly.png, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("writeFigure(dir, name, el) rejects a name that is not a plain file name", () => {
  assert.throws(() => writeFigure(tmpdir(), "../escape", modelScaleFigure(scaleRows(shapes))), /name: "\.\.\/escape"/);
});
