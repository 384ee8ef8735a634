import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * SVG snapshots in test/figures/__snapshots__/: written when missing or with UPDATE_SNAPSHOTS=1, compared
 * otherwise. Decimal numbers are rounded to 3 decimals first, so last-digit float noise across platforms does
 * not fail the comparison while any visible change does.
 */

const SNAPSHOT_DIR = fileURLToPath(new URL("./__snapshots__/", import.meta.url));
/** Decimals kept in snapshot numbers (style.md habit 9). */
const SNAPSHOT_DECIMALS = 3;

/**
 * Every decimal number inside `svg`'s tags (coordinates, paths) rounded to SNAPSHOT_DECIMALS (trailing zeros
 * dropped, -0 as 0). Text content is kept as drawn, so a label such as "4.2e-4" or "0.960" stays checkable.
 */
export function roundNumbers(svg: string): string {
  return svg.replace(/<[^>]*>/g, (tag) =>
    tag.replace(/-?\d+\.\d+(?:e[+-]?\d+)?/gi, (m) => {
      const v = Number(Number(m).toFixed(SNAPSHOT_DECIMALS));
      return String(Object.is(v, -0) ? 0 : v);
    }),
  );
}

/** Compare `svg` with `__snapshots__/<name>.svg` (or write it); the SVG is pretty-broken at tags for readable diffs. */
export function assertSvgSnapshot(name: string, svg: string): void {
  const actual = roundNumbers(svg).replace(/></g, ">\n<") + "\n";
  const path = `${SNAPSHOT_DIR}${name}.svg`;
  if (process.env.UPDATE_SNAPSHOTS === "1" || !existsSync(path)) {
    mkdirSync(SNAPSHOT_DIR, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.equal(actual, readFileSync(path, "utf8"), `${name}.svg differs from its snapshot — if the change is intended, rerun with UPDATE_SNAPSHOTS=1 and review the diff`);
}
