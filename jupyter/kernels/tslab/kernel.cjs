// Jupyter launcher for tslab (install.md §3). Jupyter starts kernels in the notebook's folder, but tslab uses the
// kernel's cwd as the TypeScript rootDir, so `../lib/x` would fail; starting at the project root lets notebooks
// import root-relative (`./lib/x`).
"use strict";
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..", "..");
const connectionFile = process.argv[2];
if (!connectionFile) {
  console.error("kernel.cjs: missing the connection-file argument — start it through Jupyter with JUPYTER_PATH=<project>/jupyter");
  process.exit(2);
}
process.chdir(root);
const tslabMain = path.join(root, "node_modules", "tslab", "dist", "main.js");

// tslab drives TypeScript's watch compiler with a single-slot timer and throws "Unexpected pending rebuildTimer"
// when a directory event (any file created or changed near a failed module lookup, e.g. by a concurrent test or
// editor) schedules a second timer between cells. Source files stay watched, so edits to lib/ are still picked up;
// only new-file discovery for failed imports needs a kernel restart.
const ts = require(require.resolve("@tslab/typescript-for-tslab", { paths: [path.dirname(tslabMain)] }));
ts.sys.watchDirectory = () => ({ close() {} });

// tslab compiles with TypeScript's non-strict defaults, under which zod's z.infer turns every field optional and
// narrowing of discriminated unions stops working, so any lib/ module that touches a schema type fails to compile
// in a notebook. The project is strict (tsconfig.json); so is its kernel. The module's exports are read-only
// getters, so tslab is handed a proxy that overrides the one function it compiles through.
const tsPath = require.resolve("@tslab/typescript-for-tslab", { paths: [path.dirname(tslabMain)] });
const strictHost = (rootFiles, options, ...rest) => ts.createWatchCompilerHost(rootFiles, { ...options, strict: true }, ...rest);
const strictTs = new Proxy(ts, { get: (target, key) => (key === "createWatchCompilerHost" ? strictHost : target[key]) });
require.cache[tsPath].exports = strictTs;

require(tslabMain).startKernel({ configPath: connectionFile, enableFindLocal: false });
