/**
 * Which OpenBLAS kernel set ("core type") the native addon loads with. Pure policy; the loader in
 * `./blas` reads the environment and /proc/cpuinfo and applies the decision.
 *
 * OpenBLAS (a DYNAMIC_ARCH build, as Debian's is) picks its kernels once, when the library loads,
 * from `OPENBLAS_CORETYPE` or its own CPU detection. 0.3.21 does not know Zen 4/5 and falls back to
 * AVX2 kernels there, although `SkylakeX` (AVX-512) runs ~2× faster on those cores
 * (/work/shared/performance.md). Forcing a core type whose instructions the CPU lacks kills the
 * process with SIGILL (measured: `SkylakeX` on a Zen 3 without AVX-512), so every forced choice is
 * checked against the CPU flags first.
 *
 * Policy, in order:
 * 1. `SCALING_BLAS_CORETYPE=<name>` forces that core type; `=auto` forces the project's choice (below)
 *    even when `OPENBLAS_CORETYPE` is set.
 * 2. Otherwise an inherited non-empty `OPENBLAS_CORETYPE` is kept: it is the user's explicit setting.
 *    When the CPU could run AVX-512 kernels but that setting does not, the decision carries a hint.
 * 3. Otherwise (unset or empty): `SkylakeX` when the CPU has the AVX-512 subset its kernels use,
 *    else OpenBLAS's own detection.
 */

/** The override variable the project documents (README, bench); read only by the loader. */
export const CORETYPE_OVERRIDE_ENV = "SCALING_BLAS_CORETYPE";

/** The AVX-512 subset OpenBLAS's SkylakeX kernels execute (OpenBLAS kernel/x86_64/*skylakex*). */
const AVX512_FLAGS = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"] as const;

/** /proc/cpuinfo flags each forced core type needs; names lower-case; unlisted types need none we check. */
export const CORETYPE_REQUIRED_FLAGS: Readonly<Record<string, readonly string[]>> = {
  sandybridge: ["avx"],
  haswell: ["avx2", "fma"],
  zen: ["avx2", "fma"],
  skylakex: AVX512_FLAGS,
  cooperlake: [...AVX512_FLAGS, "avx512_bf16"],
  sapphirerapids: [...AVX512_FLAGS, "avx512_bf16"],
};

/** Core types whose sgemm kernels are AVX-512. */
const AVX512_CORETYPES = new Set(["skylakex", "cooperlake", "sapphirerapids"]);

export interface CoreTypeInputs {
  /** `SCALING_BLAS_CORETYPE`, if set. */
  override: string | undefined;
  /** `OPENBLAS_CORETYPE` inherited from the environment, if set. */
  inherited: string | undefined;
  /** CPU feature flags from /proc/cpuinfo; undefined when they cannot be read. */
  cpuFlags: ReadonlySet<string> | undefined;
}

export type CoreTypeSource = "override" | "inherited" | "auto-avx512" | "autodetect";

export type CoreTypeDecision =
  | {
      ok: true;
      /** Value of OPENBLAS_CORETYPE while the addon loads; null removes it (OpenBLAS detects). */
      coreType: string | null;
      source: CoreTypeSource;
      /** Set when a faster safe choice exists than the one made. */
      hint?: string;
    }
  | { ok: false; reason: string };

/** True when the CPU has every flag `flags` lists. */
const hasAll = (cpu: ReadonlySet<string>, flags: readonly string[]): boolean => flags.every((f) => cpu.has(f));

export const cpuHasAvx512 = (cpu: ReadonlySet<string> | undefined): boolean =>
  cpu !== undefined && hasAll(cpu, AVX512_FLAGS);

/** The flags `coreType` needs that the CPU lacks ([] when fine or when the flags are unknown). */
export function missingFlags(coreType: string, cpu: ReadonlySet<string> | undefined): string[] {
  if (!cpu) return [];
  return (CORETYPE_REQUIRED_FLAGS[coreType.toLowerCase()] ?? []).filter((f) => !cpu.has(f));
}

const projectChoice = (cpu: ReadonlySet<string> | undefined): CoreTypeDecision =>
  cpuHasAvx512(cpu)
    ? { ok: true, coreType: "SkylakeX", source: "auto-avx512" }
    : { ok: true, coreType: null, source: "autodetect" };

/** Decide the core type from the environment and CPU flags (see the policy above). */
export function decideCoreType(inputs: CoreTypeInputs): CoreTypeDecision {
  const override = inputs.override?.trim() ?? "";
  const inherited = inputs.inherited?.trim() ?? "";
  if (override.toLowerCase() === "auto") return projectChoice(inputs.cpuFlags);
  const [name, source, variable] =
    override !== ""
      ? [override, "override" as const, CORETYPE_OVERRIDE_ENV]
      : [inherited, "inherited" as const, "OPENBLAS_CORETYPE"];
  if (name === "") return projectChoice(inputs.cpuFlags);
  const missing = missingFlags(name, inputs.cpuFlags);
  if (missing.length > 0) {
    return {
      ok: false,
      reason:
        `${variable}=${name} needs CPU flags ${missing.join(", ")} that this CPU lacks (OpenBLAS would die with SIGILL); ` +
        `unset it or set ${CORETYPE_OVERRIDE_ENV}=auto`,
    };
  }
  const slower = cpuHasAvx512(inputs.cpuFlags) && !AVX512_CORETYPES.has(name.toLowerCase());
  const hint = slower
    ? `this CPU has AVX-512: ${CORETYPE_OVERRIDE_ENV}=SkylakeX (or auto) selects OpenBLAS's AVX-512 kernels, ~2x faster sgemm`
    : undefined;
  return hint ? { ok: true, coreType: name, source, hint } : { ok: true, coreType: name, source };
}
