// danfojs-node requires "@tensorflow/tfjs-node"; that package needs a libtensorflow download that is not
// always possible. Prefer the native binding when it installed, else the pure-JS tfjs the project already uses.
"use strict";
let tf;
for (const name of ["tfjs-node-native", "tfjs-node-gpu-native"]) {
  try { tf = require(name); break; } catch { /* optional */ }
}
module.exports = tf ?? require("@tensorflow/tfjs");
