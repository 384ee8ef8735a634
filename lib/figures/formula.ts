import { sci } from "./common";

/**
 * A power law as a formula for a figure's legend: "B = 0.00617·C^0.434" (3 significant digits; coefficients
 * outside [1e-3, 1e4) in exponent form).
 */
export function lawFormula(symbol: string, law: { readonly coefficient: number; readonly exponent: number }, variable = "C"): string {
  const k = law.coefficient;
  const abs = Math.abs(k);
  const coefficient = abs !== 0 && (abs < 1e-3 || abs >= 1e4) ? sci(Number(k.toPrecision(3))) : String(Number(k.toPrecision(3)));
  const exponent = Number(law.exponent.toPrecision(3));
  return `${symbol} = ${coefficient}·${variable}^${exponent < 0 ? `−${-exponent}` : exponent}`;
}
