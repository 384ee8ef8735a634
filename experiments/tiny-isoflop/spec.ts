/**
 * tiny-isoflop — Question: at budgets a CPU can afford, where is the loss-minimising model scale M
 * along each IsoFLOP curve, and does M_opt(C) grow like DeepSeek's Eq. 4 (a ≈ 0.52)?
 * Design: per budget, 7 log-spaced M over a 16× span centred on Eq. 4's M_opt, D = C/M, batch and
 * learning rate from Eq. 1 (DeepSeek LLM, arXiv 2401.02954 §3.1–3.2). The family bottoms out at
 * M ≈ 1.1e4 (1 layer, width 8), so the low end of the smallest budget is skipped as unrealisable.
 */
import type { SweepSpecInput } from "../../lib/sweep/spec";

export default {
  name: "tiny-isoflop",
  corpus: "en-prose",
  backend: "wasm",
  seq: 64,
  vocab: 256,
  family: { headSize: 8, aspectRatio: 16 },
  budgets: [6e9, 2e10, 6e10],
  seeds: [0],
  eval: { windows: 64, points: 1 },
  design: { kind: "isoflop", centre: { law: "deepseek" }, count: 7, span: 16, hyperparams: "deepseek" },
} satisfies SweepSpecInput;
