#!/usr/bin/env node
// Builds the optional OpenBLAS addon native/build/Release/scaling_blas.node (npm postinstall).
// Tries node-gyp (bundled with npm), then a direct gcc command. Whatever happens it exits 0:
// without the addon, training uses the wasm path.
// Usage: node scripts/build-native.mjs [--verbose] [--gcc]   (--gcc skips node-gyp)
import { existsSync, mkdirSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const NATIVE = join(ROOT, "native");
const OUT = join(NATIVE, "build", "Release", "scaling_blas.node");
const VERBOSE = process.argv.includes("--verbose");
const GCC_ONLY = process.argv.includes("--gcc");
/** A build that takes longer than this is stuck (the addon is one C file). */
const BUILD_TIMEOUT_MS = 180_000;
const FIX =
  "training uses the wasm path — apt-get install libopenblas-dev and run npm rebuild / node scripts/build-native.mjs";

function giveUp(reason) {
  console.log(`native BLAS not built: ${reason}; ${FIX}`);
  process.exit(0);
}

const firstExisting = (paths) => paths.find((p) => p && existsSync(p));

/** Directories holding cblas.h (OpenBLAS's, which declares openblas_get_corename) and libopenblas.so. */
function findOpenBlas() {
  const multiarch = `${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux-gnu`;
  const includes = [
    process.env.OPENBLAS_INCLUDE_DIR,
    `/usr/include/${multiarch}`,
    "/usr/include/openblas",
    "/usr/local/include",
    "/opt/OpenBLAS/include",
    "/usr/include",
  ];
  const include = includes.find((d) => {
    const h = d && join(d, "cblas.h");
    return h && existsSync(h) && readFileSync(h, "utf8").includes("openblas_get_corename");
  });
  const libdir = firstExisting(
    [process.env.OPENBLAS_LIB_DIR, `/usr/lib/${multiarch}`, "/usr/local/lib", "/opt/OpenBLAS/lib", "/usr/lib64", "/usr/lib"]
      .filter(Boolean)
      .map((d) => join(d, "libopenblas.so")),
  );
  if (!include) return { reason: "OpenBLAS cblas.h not found (set OPENBLAS_INCLUDE_DIR)" };
  if (!libdir) return { reason: "libopenblas.so not found (set OPENBLAS_LIB_DIR)" };
  return { include, libdir: dirname(libdir) };
}

/** The Node install prefix holding include/node/node_api.h, so node-gyp downloads nothing. */
function findNodeDir() {
  const candidates = [process.env.npm_config_nodedir, resolve(dirname(process.execPath), ".."), "/usr", "/usr/local"];
  return candidates.find((d) => d && existsSync(join(d, "include", "node", "node_api.h")));
}

/** node-gyp.js shipped inside npm, found next to the npm executable. */
function findNodeGyp() {
  const fromNpm = process.env.npm_execpath ? resolve(dirname(process.env.npm_execpath), "..") : undefined;
  let viaPath;
  const which = spawnSync("sh", ["-c", "command -v npm"], { encoding: "utf8" });
  if (which.status === 0 && which.stdout.trim()) viaPath = resolve(dirname(realpathSync(which.stdout.trim())), "..");
  return firstExisting(
    [fromNpm, viaPath, resolve(dirname(process.execPath), "../lib/node_modules/npm")]
      .filter(Boolean)
      .map((d) => join(d, "node_modules", "node-gyp", "bin", "node-gyp.js")),
  );
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: BUILD_TIMEOUT_MS });
  const log = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  if (VERBOSE) process.stderr.write(log);
  if (r.error) return { ok: false, why: r.error.message };
  if (r.status !== 0) {
    const lines = log.split("\n").filter((l) => /error/i.test(l) && !/gyp ERR! (cwd|node -v|node-gyp -v|System|command|not ok)/.test(l));
    return { ok: false, why: (lines[0] ?? `exit ${r.status}`).trim().slice(0, 200) };
  }
  return { ok: true };
}

function buildWithGyp(blas, nodedir) {
  const gyp = findNodeGyp();
  if (!gyp) return { ok: false, why: "node-gyp not found next to npm" };
  return run(
    process.execPath,
    [gyp, "rebuild", `--nodedir=${nodedir}`, `--openblas_include=${blas.include}`, `--openblas_libdir=${blas.libdir}`],
    NATIVE,
  );
}

function buildWithGcc(blas, nodedir) {
  mkdirSync(dirname(OUT), { recursive: true });
  const cc = process.env.CC ?? "gcc";
  return run(
    cc,
    ["-O2", "-fPIC", "-shared", "-DNODE_GYP_MODULE_NAME=scaling_blas", `-I${join(nodedir, "include", "node")}`,
      `-I${blas.include}`, join(NATIVE, "blas.c"), "-o", OUT, `-L${blas.libdir}`, "-lopenblas"],
    ROOT,
  );
}

/** Loads the built addon in a child process (a broken .node must not crash this script). */
function probe() {
  const r = spawnSync(process.execPath, ["-e", `console.log(JSON.stringify(require(${JSON.stringify(OUT)}).getConfig()))`], {
    encoding: "utf8",
    timeout: 30_000,
  });
  if (r.status !== 0) return { ok: false, why: (r.stderr || `exit ${r.status}`).split("\n").find(Boolean) ?? "load failed" };
  return { ok: true, config: JSON.parse(r.stdout) };
}

if (/^(0|off|false|no)$/i.test(process.env.SCALING_NATIVE_BLAS?.trim() ?? "")) {
  giveUp(`disabled by SCALING_NATIVE_BLAS=${process.env.SCALING_NATIVE_BLAS}`);
}
const blas = findOpenBlas();
if (!blas.include) giveUp(blas.reason);
const nodedir = findNodeDir();
if (!nodedir) giveUp("Node headers (include/node/node_api.h) not found (set npm_config_nodedir)");

const gyp = GCC_ONLY ? { ok: false, why: "skipped by --gcc" } : buildWithGyp(blas, nodedir);
let built = gyp.ok && existsSync(OUT);
let how = "node-gyp";
if (!built) {
  const gcc = buildWithGcc(blas, nodedir);
  built = gcc.ok && existsSync(OUT);
  how = "gcc";
  if (!built) giveUp(`node-gyp failed (${gyp.why}) and gcc failed (${gcc.why})`);
}
const loaded = probe();
if (!loaded.ok) giveUp(`built with ${how} but it does not load (${loaded.why})`);
const c = loaded.config;
console.log(
  `native BLAS built with ${how}: native/build/Release/scaling_blas.node (${c.buildConfig.split(" ").slice(0, 2).join(" ")}, ` +
    `${["sequential", "pthread", "OpenMP"][c.parallel] ?? "unknown"} threading, core ${c.coreName})`,
);
