import { loadLaws } from "../laws/lawsFile";
import { NAMED_FAMILIES } from "../model/search";
import type { Interval } from "../fit/types";
import { predict, type PredictedKey, type Prediction } from "../predict/predict";
import { ConfigError } from "../util/errors";
import { helpText, optionalNumber, optionalString, parseArgs, type CommandSpec } from "./args";
import { fmt, print, printJson, readTextFile, table } from "./output";
import { SHAPE_FLAGS, hasShapeFlags, shapeFromArgs } from "./shapeFlags";

/** `scaling predict`: batch, learning rate, M_opt, D_opt and a shape for a budget. */
export const spec: CommandSpec = {
  usage: "scaling predict",
  summary:
    "Predicted near-optimal batch size and peak learning rate, compute-optimal M and D, and a shape for M_opt at a budget C\n" +
    "(--compute), or at C = M_exact·D for a given shape (--layers … plus --tokens). Intervals when the laws carry them.",
  flags: {
    compute: { type: "number", value: "C", help: "budget in non-embedding training FLOPs (= M·D)" },
    tokens: { type: "number", value: "D", help: "training tokens of the given shape (instead of --compute)" },
    laws: { type: "string", value: "deepseek|FILE.json", help: "laws to apply (default deepseek: Eq. 1 and Eq. 4)" },
    family: { type: "string", value: "paper|tiny", help: "shape family for M_opt (default: the given shape's, else paper: head 128, d/L 128, FFN ×256)" },
    ...SHAPE_FLAGS,
    seq: { type: "number", value: "S", help: "tokens per sequence for the batch in sequences (default: the family's, 4096)" },
  },
};

/** The JSON `scaling predict --json` prints. */
export function predictionJson(p: Prediction): Record<string, unknown> {
  return {
    compute: p.compute,
    batchTokens: p.batchTokens,
    batchSequences: p.batchSequences,
    learningRate: p.learningRate,
    modelScale: p.modelScale,
    tokens: p.tokens,
    shape: p.shape?.shape ?? null,
    shapeModelScale: p.shape?.modelScale ?? null,
    shapeRelativeError: p.shape?.relativeError ?? null,
    seq: p.seq,
    ...(Object.keys(p.intervals).length > 0 ? { intervals: p.intervals } : {}),
    ...(Object.keys(p.predictionIntervals).length > 0 ? { predictionIntervals: p.predictionIntervals } : {}),
  };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.help) {
    print(helpText(spec));
    return 0;
  }
  const lawsName = optionalString(args, "laws") ?? "deepseek";
  const laws = loadLaws(lawsName, (path) => readTextFile(path, "--laws"));
  const familyName = optionalString(args, "family") ?? "paper";
  const family = NAMED_FAMILIES[familyName];
  if (!family) throw new ConfigError(`unknown family "${familyName}"`, "--family", `use one of ${Object.keys(NAMED_FAMILIES).join(", ")}`);
  const compute = optionalNumber(args, "compute");
  const seq = optionalNumber(args, "seq");
  let prediction: Prediction;
  if (hasShapeFlags(args)) {
    if (compute !== undefined) throw new ConfigError("give either --compute or a shape with --tokens, not both", "--compute", "drop --compute, or drop the shape flags");
    const tokens = optionalNumber(args, "tokens");
    if (tokens === undefined) throw new ConfigError("missing value", "--tokens", "a shape needs --tokens D to make a budget C = M·D");
    const shape = shapeFromArgs(args);
    const shapeFamily = args.flags.family === undefined ? undefined : { ...family, seq: shape.seq, vocab: shape.vocab };
    prediction = predict({ shape, tokens }, { laws, ...(shapeFamily ? { family: shapeFamily } : {}) });
  } else {
    if (compute === undefined) throw new ConfigError("missing value", "--compute", "pass --compute C, or a shape (--layers …) with --tokens D");
    if (args.flags.tokens !== undefined) throw new ConfigError("--tokens needs a shape", "--tokens", "add --layers, --d-model, --seq and --vocab, or use --compute");
    const resolved = seq === undefined ? family : { ...family, seq };
    prediction = predict({ compute }, { laws, family: resolved });
  }
  if (args.flags.json) {
    printJson(predictionJson(prediction));
    return 0;
  }
  print(formatPrediction(prediction, lawsName));
  return 0;
}

/** A readable table of a prediction. */
export function formatPrediction(p: Prediction, lawsName: string): string {
  const show = (i: Interval | undefined): string => (i ? `[${fmt(i[0])}, ${fmt(i[1])}]` : "");
  const both = (key: PredictedKey): string[] => [show(p.predictionIntervals[key]), show(p.intervals[key])];
  const rows: string[][] = [
    ["batch (tokens)", fmt(p.batchTokens), ...both("batchTokens")],
    [`batch (sequences of ${p.seq})`, fmt(p.batchSequences), ...both("batchSequences")],
    ["peak learning rate", fmt(p.learningRate), ...both("learningRate")],
    ["M_opt (FLOPs/token)", fmt(p.modelScale), ...both("modelScale")],
    ["D_opt (tokens)", fmt(p.tokens), ...both("tokens")],
  ];
  const lines = [
    `Prediction at C = ${fmt(p.compute)} non-embedding FLOPs (laws: ${lawsName})`,
    "",
    table(["quantity", "value", "95% for this budget", "95% of the law"], rows),
    "",
    "95% for this budget: where a budget's own optimum lies (the law's uncertainty plus the budgets' scatter about it; only for laws fitted with a scatter estimate).",
  ];
  if (p.shape) {
    const s = p.shape.shape;
    lines.push(
      "",
      `shape for M_opt: ${s.layers} layers × d_model ${s.dModel}, ${s.heads} heads (${s.kvHeads} KV), FFN ${s.ffn}, seq ${s.seq}, vocab ${s.vocab}`,
      `  its exact M = ${fmt(p.shape.modelScale)} (${(100 * p.shape.relativeError).toFixed(2)}% from M_opt)`,
    );
  }
  return lines.join("\n");
}
