/// <reference lib="dom" />
// DOM types for the headless SVG elements: tslab compiles notebooks' imports without tsconfig's "DOM" lib.
import { createRequire } from "node:module";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { parseHTML } from "linkedom";

/**
 * Headless rendering for the figures: a linkedom document for Observable Plot, SVG serialisation with the
 * namespace DOM serialisers leave out, and PNG rasterisation with a bundled font, so the pixels do not depend
 * on the machine's fonts (recipe: /work/shared/install.md §4).
 */

/** SVG namespace; resvg refuses an <svg> without it. */
export const SVG_NS = "http://www.w3.org/2000/svg";

/** Font family every figure asks for; DejaVu Sans ships in the `dejavu-fonts-ttf` npm package. */
export const FIGURE_FONT_FAMILY = "DejaVu Sans, sans-serif";

/** A fresh headless document to pass as Plot's `document` option. */
export function svgDocument(): Document {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  return document as unknown as Document;
}

/** The element as a standalone SVG string (adds `xmlns`, and `xmlns:xlink` when links are used). */
export function toSvgString(el: Element): string {
  if (!el.getAttribute("xmlns")) el.setAttribute("xmlns", SVG_NS);
  const svg = el.outerHTML;
  if (svg.includes("xlink:") && !svg.includes("xmlns:xlink")) {
    return svg.replace("<svg ", '<svg xmlns:xlink="http://www.w3.org/1999/xlink" ');
  }
  return svg;
}

export interface PngOptions {
  /** Zoom factor from SVG pixels to PNG pixels. Default 2. */
  scale?: number;
  /** TTF files to draw text with. Default: DejaVu Sans from the `dejavu-fonts-ttf` package. */
  fontFiles?: readonly string[];
  /** Background colour painted under the figure. Default "white". */
  background?: string;
}

/**
 * Path of DejaVuSans.ttf, resolved from the working directory upwards (lib/ may not use `import.meta`,
 * because notebooks load it as CommonJS); any folder of the project works as the working directory.
 */
export function dejavuSansPath(): string {
  const require = createRequire(join(process.cwd(), "noop.js"));
  const pkg = require.resolve("dejavu-fonts-ttf/package.json");
  return join(pkg, "..", "ttf", "DejaVuSans.ttf");
}

/** Rasterise an SVG string (or element) to PNG bytes with the bundled font only. */
export function toPng(svg: string | Element, options: PngOptions = {}): Uint8Array {
  const scale = options.scale ?? 2;
  if (!(scale > 0 && Number.isFinite(scale))) throw new RangeError(`scale: ${scale} is not a positive number — pass e.g. {scale: 2}`);
  const text = typeof svg === "string" ? svg : toSvgString(svg);
  const resvg = new Resvg(text, {
    font: {
      loadSystemFonts: false,
      fontFiles: [...(options.fontFiles ?? [dejavuSansPath()])],
      defaultFontFamily: "DejaVu Sans",
    },
    fitTo: { mode: "zoom", value: scale },
    background: options.background ?? "white",
  });
  return resvg.render().asPng();
}
