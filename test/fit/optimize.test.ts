import { test } from "node:test";
import assert from "node:assert/strict";
import { minimizeLbfgs } from "../../lib/fit/optimize";

/** Smooth problems must be solved to near double precision in x. */
const TOL = 1e-8;

test("minimizeLbfgs(f, x0) finds the Rosenbrock minimum at (1, 1)", () => {
  const r = minimizeLbfgs((x, g) => {
    const [a, b] = x as [number, number];
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  }, [-1.2, 1]);
  assert.ok(r.converged);
  assert.ok(Math.abs(r.x[0]! - 1) < TOL && Math.abs(r.x[1]! - 1) < TOL, `x ${r.x}`);
});

test("minimizeLbfgs(f, x0, {maxIterations}) stops at its cap and says so", () => {
  const r = minimizeLbfgs((x, g) => {
    const [a, b] = x as [number, number];
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  }, [-1.2, 1], { maxIterations: 3 });
  assert.equal(r.reason, "max-iterations");
  assert.equal(r.converged, false);
});

test("minimizeLbfgs(f, x0) solves an ill-scaled quadratic", () => {
  const scales = [1, 1e3, 1e-2, 50];
  const r = minimizeLbfgs((x, g) => {
    let f = 0;
    x.forEach((v, i) => {
      f += 0.5 * scales[i]! * (v - i) ** 2;
      g[i] = scales[i]! * (v - i);
    });
    return f;
  }, [5, 5, 5, 5]);
  r.x.forEach((v, i) => assert.ok(Math.abs(v - i) < 1e-6, `x[${i}] = ${v}`));
});
