import assert from "node:assert/strict";
import { test } from "node:test";
import { modelScaleFigure, scaleRows } from "../../lib/figures/modelScale";
import { SVG_NS, svgDocument, toPng, toSvgString } from "../../lib/figures/render";
import { decodePng, darkPixels } from "./png";

const textSvg = (text: string) =>
  `<svg xmlns="${SVG_NS}" width="200" height="60" viewBox="0 0 200 60"><text x="10" y="44" font-size="36" font-family="DejaVu Sans">${text}</text></svg>`;

test("svgDocument() creates elements that toSvgString(el) serialises with the SVG namespace", () => {
  const document = svgDocument();
  const el = document.createElementNS(SVG_NS, "svg");
  el.appendChild(document.createElementNS(SVG_NS, "circle"));
  const svg = toSvgString(el);
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<circle/);
});

test("toPng(svg) draws glyphs with the bundled DejaVu Sans: 'IIII' and 'WWWW' differ and are not blank", () => {
  const ii = decodePng(toPng(textSvg("IIII"), { scale: 1 }));
  const ww = decodePng(toPng(textSvg("WWWW"), { scale: 1 }));
  assert.equal(ii.width, 200);
  assert.equal(ii.height, 60);
  const inkI = darkPixels(ii, 0, 0, 200, 60);
  const inkW = darkPixels(ww, 0, 0, 200, 60);
  assert.ok(inkI > 100, `IIII has ${inkI} dark pixels`);
  // W strokes are diagonal and wider than I's vertical bars: a font renders more ink; tofu boxes would be equal.
  assert.ok(inkW > inkI * 1.5, `WWWW ${inkW} vs IIII ${inkI} dark pixels`);
  assert.notDeepEqual(ii.data, ww.data);
});

test("toPng(svg, {fontFiles: []}) draws no text, so the glyph checks above can fail", () => {
  const blank = decodePng(toPng(textSvg("WWWW"), { scale: 1, fontFiles: [] }));
  assert.equal(darkPixels(blank, 0, 0, 200, 60), 0);
});

test("toPng(figure, {scale: 2}) renders a figure's title text in its title region at twice the size", () => {
  const shapes = [512, 1024, 4096].map((d) => ({ layers: 8, dModel: d, heads: 8, kvHeads: 8, ffn: (8 * d) / 3, seq: 4096, vocab: 102400 }));
  const el = modelScaleFigure(scaleRows(shapes), { width: 600, height: 300 });
  const img = decodePng(toPng(el, { scale: 2 }));
  assert.equal(img.width, 1200);
  assert.equal(img.height, 600);
  // The title sits in the top margin (34 px tall at scale 1), left-aligned with the frame at x = 70.
  assert.ok(darkPixels(img, 140, 0, 800, 56) > 200, "title region is blank");
  const untitled = decodePng(toPng(modelScaleFigure(scaleRows(shapes), { width: 600, height: 300, title: "" }), { scale: 2 }));
  assert.equal(darkPixels(untitled, 140, 0, 800, 40), 0, "the region holds nothing but the title");
});

test("toPng(svg, {scale}) rejects a non-positive scale naming the option", () => {
  assert.throws(() => toPng(textSvg("I"), { scale: 0 }), /scale: 0/);
});
