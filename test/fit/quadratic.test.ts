import { test } from "node:test";
import assert from "node:assert/strict";
import { fitParabola, fitQuadraticSurface, solveLinear } from "../../lib/fit/quadratic";

/** Exact polynomial data at ln M ≈ 20 must be recovered to rounding after centring. */
const TOL = 1e-9;

test("solveLinear(A, b) solves a pivoting-needed system and flags a singular one", () => {
  const x = solveLinear([[0, 2, 1], [1, 1, 1], [2, 1, 3]], [7, 6, 13]);
  assert.ok(x);
  [1, 2, 3].forEach((v, i) => assert.ok(Math.abs(x[i]! - v) < TOL));
  assert.equal(solveLinear([[1, 2], [2, 4]], [1, 2]), undefined);
});

test("fitParabola(x, y) recovers a, b, c and the vertex at ln M ≈ 20", () => {
  const x = Array.from({ length: 9 }, (_, i) => 18 + 0.5 * i);
  const [a, b, c] = [0.03, -1.26, 15.0];
  const p = fitParabola(x, x.map((v) => a * v * v + b * v + c));
  assert.ok(p);
  assert.ok(Math.abs(p.a - a) < TOL && Math.abs(p.b - b) < TOL && Math.abs(p.c - c) < TOL);
  assert.ok(Math.abs(p.vertex - 21) < TOL);
  assert.ok(Math.abs(p.vertexValue - (c - (b * b) / (4 * a))) < TOL);
  assert.equal(fitParabola([1, 1, 2, 2], [1, 2, 3, 4]), undefined);
});

test("fitQuadraticSurface(u, v, z) recovers the minimum of a tilted bowl", () => {
  const u: number[] = [], v: number[] = [], z: number[] = [];
  const [u0, v0] = [11.5, -7.2];
  for (let i = -2; i <= 2; i++) for (let j = -2; j <= 2; j++) {
    const du = 0.4 * i, dv = 0.5 * j;
    u.push(u0 + du);
    v.push(v0 + dv);
    z.push(2 + 0.3 * du * du + 0.2 * dv * dv + 0.1 * du * dv);
  }
  const s = fitQuadraticSurface(u, v, z);
  assert.ok(s && s.convex);
  assert.ok(Math.abs(s.vertex[0] - u0) < TOL && Math.abs(s.vertex[1] - v0) < TOL);
  assert.ok(Math.abs(s.vertexValue - 2) < TOL);
  const [c0, c1, c2, c3, c4, c5] = s.coefficients;
  const at = (a: number, b: number): number => c0 + c1 * a + c2 * b + c3 * a * a + c4 * b * b + c5 * a * b;
  assert.ok(Math.abs(at(u0, v0) - 2) < 1e-6);
  const saddle = fitQuadraticSurface(u, v, z.map((_, k) => (u[k]! - u0) ** 2 - (v[k]! - v0) ** 2));
  assert.ok(saddle && !saddle.convex);
  assert.equal(fitQuadraticSurface([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 1], [1, 2, 3, 4, 5, 6]), undefined);
});
