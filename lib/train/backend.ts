import * as tf from "@tensorflow/tfjs";
import { createRequire } from "node:module";
import type { BackendName } from "./config";
import { ConfigError } from "../util/errors";
import { registerWasmKernels, type FastKernelOptions } from "./kernels/batchMatMul";

/**
 * Backend selection, done only at entry points (train, CLI, bench), never at import time.
 * `auto` tries native GPU TensorFlow, native CPU TensorFlow, wasm (with the fast kernels), then
 * the pure-JS cpu backend, and records why each earlier candidate was skipped.
 */

export interface SelectedBackend {
  /** The tfjs backend now active: `tensorflow`, `wasm` or `cpu`. */
  name: string;
  /** Candidate → why it was not used. */
  skipped: Record<string, string>;
}

type Candidate = "tensorflow-gpu" | "tensorflow-cpu" | "wasm" | "cpu";

const ORDER: Record<BackendName, Candidate[]> = {
  auto: ["tensorflow-gpu", "tensorflow-cpu", "wasm", "cpu"],
  tensorflow: ["tensorflow-gpu", "tensorflow-cpu"],
  wasm: ["wasm"],
  cpu: ["cpu"],
};

/** npm aliases of @tensorflow/tfjs-node-gpu / -node 4.22.0 (optionalDependencies in package.json). */
const NATIVE_PACKAGES: Record<"tensorflow-gpu" | "tensorflow-cpu", string> = {
  "tensorflow-gpu": "tfjs-node-gpu-native",
  "tensorflow-cpu": "tfjs-node-native",
};

const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "";

async function tryNative(pkg: string): Promise<void> {
  // Resolved from the project root; lib/ must not use import.meta (notebooks compile it to CJS).
  createRequire(process.cwd() + "/")(pkg);
  if (!tf.findBackendFactory("tensorflow")) throw new Error(`${pkg} loaded but registered no 'tensorflow' backend`);
  if (!(await tf.setBackend("tensorflow"))) throw new Error("tf.setBackend('tensorflow') failed");
}

async function tryWasm(kernels: FastKernelOptions): Promise<void> {
  await import("@tensorflow/tfjs-backend-wasm");
  if (!(await tf.setBackend("wasm"))) throw new Error("tf.setBackend('wasm') failed");
  registerWasmKernels(kernels);
}

/** Select and activate a backend; throws ConfigError naming `backend` when none of the candidates works. */
export async function selectBackend(name: BackendName, kernels: FastKernelOptions = {}): Promise<SelectedBackend> {
  const order = ORDER[name];
  if (!order) throw new ConfigError(`unknown backend '${String(name)}'`, "backend", "use auto, tensorflow, wasm or cpu");
  const skipped: Record<string, string> = {};
  for (const candidate of order) {
    try {
      if (candidate === "wasm") await tryWasm(kernels);
      else if (candidate === "cpu") {
        if (!(await tf.setBackend("cpu"))) throw new Error("tf.setBackend('cpu') failed");
      } else await tryNative(NATIVE_PACKAGES[candidate]);
      await tf.ready();
      return { name: tf.getBackend(), skipped };
    } catch (e) {
      skipped[candidate] = firstLine(e);
    }
  }
  const why = Object.entries(skipped).map(([k, v]) => `${k}: ${v}`).join("; ");
  throw new ConfigError(`no usable '${name}' backend (${why})`, "backend", "use --backend wasm or cpu");
}
