import assert from "node:assert/strict";
import { test } from "node:test";
import { formatCell, frameHtml } from "../../lib/frames/html";
import { toFrame } from "../../lib/frames/frame";

test("frameHtml(df) renders a <table> with a header row and one row per frame row", () => {
  const html = frameHtml(toFrame(["name", "value"], [["a<b", 1.23456e17], ["c", 0.5]]));
  assert.match(html, /^<table><thead><tr><th>name<\/th><th>value<\/th><\/tr><\/thead><tbody>/);
  assert.equal(html.match(/<tr>/g)?.length, 3);
  assert.ok(html.includes("<td>a&lt;b</td><td>1.235e+17</td>"));
  assert.ok(html.includes("<td>0.5</td>"));
});

test("formatCell(value, digits) keeps small integers, rounds other numbers and blanks NaN", () => {
  assert.equal(formatCell(4096, 3), "4096");
  assert.equal(formatCell(25_165_824, 3), "2.52e+7");
  assert.equal(formatCell(0.428571, 3), "0.429");
  assert.equal(formatCell(4.2e-4, 2), "4.2e-4");
  assert.equal(formatCell(NaN, 3), "");
  assert.equal(formatCell("ok", 3), "ok");
});
