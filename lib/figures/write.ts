/// <reference lib="dom" />
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toPng, toSvgString, type PngOptions } from "./render";

/** The edge of lib/figures: writes `<dir>/<name>.svg` and `<dir>/<name>.png`, returns both paths. */
export function writeFigure(
  dir: string,
  name: string,
  el: Element,
  png: PngOptions | false = {},
): { svg: string; png?: string } {
  if (!/^[\w.-]+$/.test(name)) throw new RangeError(`name: "${name}" is not a plain file name — use letters, digits, '.', '_' or '-'`);
  mkdirSync(dir, { recursive: true });
  const svg = toSvgString(el);
  const svgPath = join(dir, `${name}.svg`);
  writeFileSync(svgPath, svg);
  if (png === false) return { svg: svgPath };
  const pngPath = join(dir, `${name}.png`);
  writeFileSync(pngPath, toPng(svg, png));
  return { svg: svgPath, png: pngPath };
}
