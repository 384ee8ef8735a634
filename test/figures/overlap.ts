/// <reference lib="dom" />
import { textWidth } from "../../lib/figures/text";

/**
 * Boxes of the text marks a figure draws (labels, legend lines, titles; not Plot's axis ticks), in the outer SVG's
 * pixels, from the translate() transforms Plot writes and lib/figures/text's width estimate (an upper bound, so
 * boxes err on the large side and a pass means the labels really clear each other).
 */
export interface TextBox {
  text: string;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

const translate = (el: Element | null): [number, number] => {
  const m = /translate\(([-\d.e]+),\s*([-\d.e]+)\)/.exec(el?.getAttribute("transform") ?? "");
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
};

export function textBoxes(figure: Element): TextBox[] {
  const boxes: TextBox[] = [];
  for (const group of Array.from(figure.querySelectorAll('g[aria-label="text"]'))) {
    const [gx, gy] = translate(group);
    let panelX = 0;
    let panelY = 0;
    for (let p = group.parentElement; p && p !== figure; p = p.parentElement) {
      if (p.tagName.toLowerCase() === "svg") {
        panelX += Number(p.getAttribute("x") ?? 0);
        panelY += Number(p.getAttribute("y") ?? 0);
      }
    }
    const fontSize = Number(group.getAttribute("font-size") ?? 11);
    const anchor = group.getAttribute("text-anchor") ?? "middle";
    for (const text of Array.from(group.querySelectorAll("text"))) {
      const [tx, ty] = translate(text);
      const lines = text.querySelectorAll("tspan").length || 1;
      const label = text.textContent ?? "";
      const w = Math.max(...label.split("\n").map((l) => textWidth(l, fontSize)));
      const x = panelX + gx + tx;
      const y = panelY + gy + ty;
      const x0 = anchor === "start" ? x : anchor === "end" ? x - w : x - w / 2;
      // Plot's lineAnchor: y="0.71em" hangs the text below y (top), "0.32em" centres it, none sits it on y (bottom).
      const shift = text.getAttribute("y") ?? "";
      const top = shift === "0.71em" ? y : shift === "0.32em" ? y - fontSize / 2 : y - fontSize;
      boxes.push({ text: label, x0, x1: x0 + w, y0: top, y1: top + fontSize * lines });
    }
  }
  return boxes;
}

/** Pairs of text boxes that overlap by more than `slackPx` in both directions. */
export function overlappingTexts(figure: Element, slackPx = 1): [string, string][] {
  const boxes = textBoxes(figure).filter((b) => b.text.trim() !== "");
  const pairs: [string, string][] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const dx = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      const dy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      if (dx > slackPx && dy > slackPx) pairs.push([a.text, b.text]);
    }
  }
  return pairs;
}
