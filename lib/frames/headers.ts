/**
 * Human column headers (with units) for the record fields the notebooks and reports tabulate, and labels for
 * the predicted quantities. One dictionary, so a field reads the same in every table.
 */

/** Header per record field; a field not listed here is shown under its own name. */
export const COLUMN_HEADERS: Readonly<Record<string, string>> = {
  // model shapes (Table 3)
  layers: "layers",
  dModel: "d_model",
  vocab: "vocabulary",
  seq: "sequence (tokens)",
  N1: "N₁ (non-embedding params)",
  N2: "N₂ (all params)",
  M: "M (FLOPs/token)",
  sixN1OverM: "6N₁ / M",
  sixN2OverM: "6N₂ / M",
  // laws
  law: "law",
  experiment: "experiment",
  status: "fit status",
  fittedCoefficient: "fitted k",
  fittedExponent: "fitted exponent",
  exponentInterval: "exponent 95% interval",
  paperCoefficient: "paper k",
  paperExponent: "paper exponent",
  paperInside: "paper exponent inside?",
  k: "fitted k",
  kInterval: "k 95% interval",
  e: "fitted exponent",
  eInterval: "exponent 95% interval",
  paperE: "paper exponent",
  paperExponentInside: "paper exponent inside?",
  approach: "approach",
  a: "a (M_opt ∝ C^a)",
  aInterval: "a interval",
  b: "b (D_opt ∝ C^b)",
  bInterval: "b interval",
  // budgets and predictions
  corpus: "corpus",
  compute: "C (FLOPs)",
  modelScale: "M_opt (FLOPs/token)",
  bestRunModelScale: "best run's M (FLOPs/token)",
  tokens: "D_opt (tokens)",
  batchTokens: "batch (tokens)",
  learningRate: "peak learning rate",
  loss: "loss (bits/byte)",
  n: "runs",
  runs: "runs",
  cells: "grid cells",
  model: "model",
  laws: "laws",
  quantity: "quantity",
  table2: "Table 2",
  predicted: "predicted",
  interval: "95% interval",
  ratio: "Table 2 / predicted",
  table2Inside: "Table 2 inside?",
  observed: "observed",
  measured: "measured",
  relativeError: "relative error",
  inside: "inside?",
  check: "check",
  // noise
  mean: "mean loss (bits/byte)",
  sd: "sd (bits/byte)",
  relativeSd: "relative sd",
  relativeRange: "relative range",
  pooledRelativeSd: "pooled relative sd",
  meanRelativeSd: "relative sd of a cell's seed mean",
};

/** Label of each predicted quantity (PredictionRow.quantity, verification checks), with its unit. */
export const QUANTITY_LABELS: Readonly<Record<string, string>> = {
  batchTokens: "batch (tokens)",
  learningRate: "peak learning rate",
  modelScale: "M (FLOPs/token)",
  tokens: "D (tokens)",
  loss: "loss (bits/byte)",
};
