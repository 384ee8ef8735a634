import { deepseekLaws } from "../laws/lawsFile";
import { DEEPSEEK_REFERENCES } from "../laws/reference";
import { compareReference, type ReferenceComparison } from "../predict/predict";
import { helpText, parseArgs, type CommandSpec } from "./args";
import { fmt, print, printJson, table } from "./output";

/** `scaling start`: the paper's laws at the 7B and 67B budgets against Table 2 (later: the quick study). */
export const spec: CommandSpec = {
  usage: "scaling start",
  summary:
    "DeepSeek Eq. 1 and Eq. 4 evaluated at the 7B and 67B budgets (C = M_exact · 2T tokens), against the settings the\n" +
    "paper trained them with (Table 2; FFN widths of the released configs).",
  flags: {},
};

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.help) {
    print(helpText(spec));
    return 0;
  }
  const comparisons = DEEPSEEK_REFERENCES.map((ref) => compareReference(ref, deepseekLaws));
  if (args.flags.json) {
    printJson(comparisons.map(({ name, compute, actual, predicted, ratio }) => ({ name, compute, actual, predicted: { ...predicted, shape: predicted.shape?.shape ?? null }, ratio })));
    return 0;
  }
  print(comparisons.map(formatComparison).join("\n\n"));
  return 0;
}

function formatComparison(c: ReferenceComparison): string {
  const p = c.predicted;
  const rows: string[][] = [
    ["batch (tokens)", fmt(c.actual.batchTokens), fmt(p.batchTokens), fmt(c.ratio.batchTokens, 3)],
    ["batch (sequences)", fmt(c.actual.batchSequences), fmt(p.batchSequences), fmt(c.ratio.batchTokens, 3)],
    ["peak learning rate", fmt(c.actual.learningRate), fmt(p.learningRate), fmt(c.ratio.learningRate, 3)],
    ["M (FLOPs/token)", fmt(c.actual.modelScale), fmt(p.modelScale), fmt(c.ratio.modelScale, 3)],
    ["D (tokens)", fmt(c.actual.tokens), fmt(p.tokens), fmt(c.ratio.tokens, 3)],
  ];
  const s = p.shape?.shape;
  const shapeLine = s ? `compute-optimal shape at this budget: ${s.layers} × ${s.dModel} (${s.heads} heads, FFN ${s.ffn})` : "";
  return [`${c.name} at C = ${fmt(c.compute)} FLOPs (M_exact × 2T tokens)`, table(["", "Table 2", "Eq. 1 / Eq. 4", "ratio"], rows), shapeLine]
    .filter(Boolean)
    .join("\n");
}
