// Benchmark: `predict` at any finite budget answers in well under 1 s (issue 18: 1e300 hung > 120 s):
// the shape search for M_opt, the only part whose work grows with C, at budgets up to 1e300.
// Usage: node --import tsx scripts/bench-predict.ts
import { predict } from "../lib/predict/predict";
import { deepseekLaws } from "../lib/laws/lawsFile";
import { PAPER_FAMILY } from "../lib/model/search";

for (const compute of [1e20, 1e24, 1e50, 1e100, 1e200, 1e300]) {
  predict({ compute }, { laws: deepseekLaws, family: PAPER_FAMILY }); // warm-up: JIT
  const reps = 5;
  const ms: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    predict({ compute }, { laws: deepseekLaws, family: PAPER_FAMILY });
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`predict --compute ${compute.toExponential(0)}: median ${ms[Math.floor(reps / 2)]!.toFixed(2)} ms (${reps} reps)`);
}
