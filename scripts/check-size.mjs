#!/usr/bin/env node
// Lists lib/ files over the line budget (style.md habit 1): aim ≤ 300 lines, hard cap 400.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const HARD_CAP_LINES = 400;
const AIM_LINES = 300;
function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith(".ts") ? [path] : [];
  });
}
let over = 0;
for (const file of walk("lib").sort()) {
  const lines = readFileSync(file, "utf8").split("\n").length;
  if (lines > HARD_CAP_LINES) {
    console.log(`${file}: ${lines} lines (over the ${HARD_CAP_LINES}-line cap)`);
    over++;
  } else if (lines > AIM_LINES) console.log(`${file}: ${lines} lines (over the ${AIM_LINES}-line aim)`);
}
process.exit(over > 0 ? 1 : 0);
