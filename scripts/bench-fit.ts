// Benchmark: how long a 1000-resample bootstrap power-law fit on 100 points takes (goal: well under 1 s).
// Usage: node --import tsx scripts/bench-fit.ts
import { fitPowerLaw } from "../lib/fit/powerLaw";
import { fitIsoflop } from "../lib/fit/isoflop";
import { createRng } from "../lib/util/random";
import type { RunPoint } from "../lib/fit/types";

const rng = createRng(0);
const x = Array.from({ length: 100 }, (_, i) => 10 ** (17 + (4 * i) / 99));
const y = x.map((v) => 0.292 * v ** 0.3271 * Math.exp(0.03 * rng.normal()));

function time(label: string, f: () => unknown, reps: number): void {
  f(); // warm-up: JIT
  const ms: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label}: median ${ms[Math.floor(reps / 2)]!.toFixed(2)} ms, min ${ms[0]!.toFixed(2)} ms (${reps} reps)`);
}

time("fitPowerLaw, 100 points, 1000 resamples", () => fitPowerLaw(x, y, { resamples: 1000 }), 20);
const runs: RunPoint[] = [];
for (const C of [1e17, 3e17, 1e18, 3e18, 1e19, 3e19, 1e20, 3e20]) for (let i = 0; i < 10; i++) {
  const m = 0.1 * C ** 0.52 * Math.exp(-1.2 + (2.4 * i) / 9);
  runs.push({ compute: C, modelScale: m, tokens: C / m, batchTokens: 1, learningRate: 1, loss: (2 + 0.1 * Math.log(m / (0.1 * C ** 0.52)) ** 2) * Math.exp(0.002 * rng.normal()), status: "ok" });
}
time("fitIsoflop, 8 budgets × 10 runs, 1000 resamples", () => fitIsoflop(runs, { resamples: 1000 }), 10);
