// `npm run bench`: every benchmark in turn (fits, native BLAS, training), each in its own process so one
// backend choice does not leak into the next. Each prints its own numbers.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

const BENCHES = ["scripts/bench-fit.ts", "scripts/bench-predict.ts", "scripts/bench-native.ts", "scripts/bench-train.ts", "scripts/bench-group.ts"];
let failed = 0;
for (const script of BENCHES) {
  if (!existsSync(script)) continue;
  console.log(`\n== ${script}`);
  const r = spawnSync(process.execPath, ["--import", "tsx", script, ...process.argv.slice(2)], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
