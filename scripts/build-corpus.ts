// Builds (or verifies) the embedded corpora into data/ and prints their sizes and hashes.
// Usage: npm run corpus [-- <name>…]   (default: every embedded corpus)
import { performance } from "node:perf_hooks";
import { EMBEDDED_CORPORA } from "../lib/data/build";
import { defaultDataDir, loadCorpus } from "../lib/data/corpus";

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(EMBEDDED_CORPORA);
const dataDir = defaultDataDir();
for (const name of names) {
  const start = performance.now();
  let built = false;
  const corpus = await loadCorpus(name, { dataDir, onBuild: (reason) => { built = true; console.error(reason); } });
  const seconds = ((performance.now() - start) / 1000).toFixed(2);
  const m = corpus.manifest;
  console.log(`${name}: ${built ? "built" : "verified"} in ${seconds} s → ${dataDir}/${name}`);
  console.log(`  train ${m.tokens.train.toLocaleString("en-US")} bytes, val ${m.tokens.val.toLocaleString("en-US")} bytes`);
  for (const [source, s] of Object.entries(m.sources)) {
    console.log(`  · ${source}: train ${s.trainBytes.toLocaleString("en-US")} B / ${s.trainDocs} docs, val ${s.valBytes.toLocaleString("en-US")} B / ${s.valDocs} docs`);
  }
  for (const d of m.dropped) console.log(`  dropped ${d.source}/${d.id}: ${d.reason}`);
  for (const [file, f] of Object.entries(m.files)) console.log(`  ${file} ${f.bytes} bytes sha256 ${f.sha256}`);
}
