/**
 * Colours for ordered series (compute budgets) that stay readable on a white background: viridis without its
 * pale yellow-green end, so every line, dot and direct label keeps WCAG contrast on white.
 */

/** Viridis at t = 0, 0.1, …, 1 (matplotlib's listed map, as d3-scale-chromatic ships it). */
const VIRIDIS_STOPS = [
  "#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725",
] as const;

/**
 * Upper end of viridis used for series colours: at t = 0.42 (#287d8e, teal blue) the contrast on white is
 * 4.76 : 1; a little past t = 0.43 the teals, greens and yellows fall below it (yellow #fde725 is 1.3 : 1).
 */
export const SERIES_VIRIDIS_MAX = 0.42;

/** Minimum contrast on white of every series colour: WCAG 2.1 §1.4.3's 4.5 : 1 for text, as budgets' direct labels are drawn in their colour. */
export const MIN_SERIES_CONTRAST = 4.5;

/** Viridis at t ∈ [0, 1], linearly interpolated in sRGB between the stops, as "#rrggbb". */
export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS_STOPS.length - 1);
  const i = Math.min(VIRIDIS_STOPS.length - 2, Math.floor(x));
  const a = hexRgb(VIRIDIS_STOPS[i] ?? "#000000");
  const b = hexRgb(VIRIDIS_STOPS[i + 1] ?? "#000000");
  const f = x - i;
  return rgbHex(a.map((v, k) => v + f * ((b[k] ?? v) - v)) as [number, number, number]);
}

/** `count` ordered colours from dark purple to teal (viridis over [0, SERIES_VIRIDIS_MAX]). */
export function seriesColours(count: number): string[] {
  if (count <= 1) return count === 1 ? [viridis(0)] : [];
  return Array.from({ length: count }, (_, i) => viridis((SERIES_VIRIDIS_MAX * i) / (count - 1)));
}

/** WCAG 2.1 contrast ratio of a "#rrggbb" colour against white (1 … 21). */
export function contrastOnWhite(hex: string): number {
  const lin = hexRgb(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * (lin[0] ?? 0) + 0.7152 * (lin[1] ?? 0) + 0.0722 * (lin[2] ?? 0);
  return 1.05 / (luminance + 0.05);
}

function hexRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function rgbHex(rgb: [number, number, number]): string {
  return `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;
}
