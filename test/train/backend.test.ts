import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/train/backend";
import { ConfigError } from "../../lib/util/errors";

test("selectBackend('auto') falls through native GPU and CPU TensorFlow to wasm and says why", async () => {
  const chosen = await selectBackend("auto");
  assert.equal(chosen.name, tf.getBackend());
  // The native aliases cannot be installed here (libtensorflow needs a download), so wasm wins.
  assert.equal(chosen.name, "wasm");
  assert.match(chosen.skipped["tensorflow-gpu"] ?? "", /tfjs-node-gpu-native/);
  assert.match(chosen.skipped["tensorflow-cpu"] ?? "", /tfjs-node-native/);
  assert.ok(tf.getKernel(tf.BatchMatMul, "wasm"), "the fast BatchMatMul kernel is registered");
});

test("selectBackend('cpu' | 'wasm') activates exactly that backend", async () => {
  assert.deepEqual(await selectBackend("cpu"), { name: "cpu", skipped: {} });
  assert.deepEqual(await selectBackend("wasm"), { name: "wasm", skipped: {} });
});

test("selectBackend('tensorflow') without the native package is a ConfigError naming backend", async () => {
  await assert.rejects(selectBackend("tensorflow"), (e: unknown) => e instanceof ConfigError && e.path === "backend" && /--backend wasm/.test(e.message));
});
