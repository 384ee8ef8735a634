/**
 * Text measurement without a layout engine: linkedom has no getBBox, so titles are wrapped by an estimate of
 * DejaVu Sans' advance widths (the only font the PNGs are drawn with) that errs on the wide side.
 */

/**
 * Advance widths of DejaVu Sans in em, rounded up from the font's metrics (2048 units per em): narrow glyphs,
 * wide glyphs, capitals, and everything else. An upper estimate, so wrapped text never overruns its box.
 */
const NARROW_EM = 0.36;
const WIDE_EM = 1.0;
const CAPITAL_EM = 0.78;
const OTHER_EM = 0.66;
const NARROW = new Set([..." .,:;'|!ilIjft()[]"]);
const WIDE = new Set([..."mwMW%—→×★◆≥≤"]);

/** Estimated width in px of `text` in DejaVu Sans at `fontSize` px (an upper bound for Latin text). */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += NARROW.has(ch) ? NARROW_EM : WIDE.has(ch) ? WIDE_EM : /[A-Z]/.test(ch) ? CAPITAL_EM : OTHER_EM;
  return em * fontSize;
}

/** `text` broken at spaces into lines no wider than `maxWidth` px ("\n" forces a break; a longer word keeps its own line). */
export function wrapText(text: string, maxWidth: number, fontSize: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      const candidate = line === "" ? word : `${line} ${word}`;
      if (line !== "" && textWidth(candidate, fontSize) > maxWidth) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    lines.push(line);
  }
  return lines;
}
