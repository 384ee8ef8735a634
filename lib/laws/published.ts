/**
 * Published scaling laws as typed data, each with its citation. Numbers are transcribed from the
 * papers (see /work/shared/paper.md for the cross-checks); nothing here is fitted or derived,
 * except where a field's comment says so.
 */

/** Where a number comes from: paper, arXiv id, and the section / equation / table. */
export interface Citation {
  readonly paper: string;
  readonly arxiv: string;
  readonly where: string;
}

/** y = coefficient · x^exponent, with the units of x and y spelled out. */
export interface PublishedPowerLaw {
  readonly coefficient: number;
  readonly exponent: number;
  /** What x is, with its unit. */
  readonly x: string;
  /** What y is, with its unit. */
  readonly y: string;
  readonly source: Citation;
}

/** Allocation exponents: N_opt (or M_opt) ∝ C^a, D_opt ∝ C^b, with optional published intervals. */
export interface AllocationExponents {
  readonly label: string;
  readonly a: number;
  readonly b: number;
  /** Published interval of a, [low, high] (Chinchilla: 10th–90th bootstrap percentile). */
  readonly aInterval?: readonly [number, number];
  readonly bInterval?: readonly [number, number];
  readonly source: Citation;
}

/** Parametric loss L(N, D) = E + A/N^α + B/D^β (N parameters, D tokens, L in nats/token). */
export interface ParametricLoss {
  readonly E: number;
  readonly A: number;
  readonly B: number;
  readonly alpha: number;
  readonly beta: number;
}

const DEEPSEEK = (where: string): Citation => ({ paper: "DeepSeek LLM (DeepSeek-AI 2024)", arxiv: "2401.02954", where });
const CHINCHILLA = (where: string): Citation => ({ paper: "Hoffmann et al. 2022 (Chinchilla)", arxiv: "2203.15556", where });
const EPOCH = (where: string): Citation => ({ paper: "Besiroglu et al. 2024 (Epoch AI replication)", arxiv: "2404.10102", where });
const KAPLAN = (where: string): Citation => ({ paper: "Kaplan et al. 2020", arxiv: "2001.08361", where });

const COMPUTE_X = "C, non-embedding training FLOPs (= M·D)";

/** DeepSeek Eq. 1: near-optimal peak learning rate and batch size as functions of compute. */
export const DEEPSEEK_EQ1 = {
  learningRate: {
    coefficient: 0.3118,
    exponent: -0.125,
    x: COMPUTE_X,
    y: "η_opt, peak learning rate",
    source: DEEPSEEK("§3.1, Eq. 1"),
  },
  batch: {
    coefficient: 0.292,
    exponent: 0.3271,
    x: COMPUTE_X,
    y: "B_opt, batch size in tokens",
    source: DEEPSEEK("§3.1, Eq. 1"),
  },
} as const satisfies Record<string, PublishedPowerLaw>;

/** DeepSeek Eq. 4: compute-optimal model scale and data (IsoFLOP, "current data"). */
export const DEEPSEEK_EQ4 = {
  modelScale: {
    coefficient: 0.1715,
    exponent: 0.5243,
    x: COMPUTE_X,
    y: "M_opt, non-embedding FLOPs per token",
    source: DEEPSEEK("§3.2, Eq. 4"),
  },
  tokens: {
    coefficient: 5.8316,
    exponent: 0.4757,
    x: COMPUTE_X,
    y: "D_opt, training tokens",
    source: DEEPSEEK("§3.2, Eq. 4"),
  },
} as const satisfies Record<string, PublishedPowerLaw>;

/** DeepSeek Table 4: allocation exponents vary with the data (a for M_opt or N_opt, b for D_opt). */
export const DEEPSEEK_TABLE4: readonly AllocationExponents[] = [
  { label: "OpenAI (OpenWebText2)", a: 0.73, b: 0.27, source: DEEPSEEK("§3.3, Table 4") },
  { label: "Chinchilla (MassiveText)", a: 0.49, b: 0.51, source: DEEPSEEK("§3.3, Table 4") },
  { label: "Ours (Early Data)", a: 0.45, b: 0.55, source: DEEPSEEK("§3.3, Table 4") },
  { label: "Ours (Current Data)", a: 0.524, b: 0.476, source: DEEPSEEK("§3.3, Table 4") },
  { label: "Ours (OpenWebText2)", a: 0.578, b: 0.422, source: DEEPSEEK("§3.3, Table 4") },
];

/** Chinchilla Table 2: N_opt ∝ C^a, D_opt ∝ C^b, with 10th–90th percentile bootstrap intervals. */
export const CHINCHILLA_APPROACHES: readonly AllocationExponents[] = [
  { label: "Approach 1: minimum over training curves", a: 0.5, b: 0.5, aInterval: [0.488, 0.502], bInterval: [0.501, 0.512], source: CHINCHILLA("Table 2") },
  { label: "Approach 2: IsoFLOP profiles", a: 0.49, b: 0.51, aInterval: [0.462, 0.534], bInterval: [0.483, 0.529], source: CHINCHILLA("Table 2") },
  { label: "Approach 3: parametric loss fit", a: 0.46, b: 0.54, aInterval: [0.454, 0.455], bInterval: [0.542, 0.543], source: CHINCHILLA("Table 2") },
];

/** Chinchilla Approach 3 as printed in the paper body (rounded). */
export const CHINCHILLA_APPROACH3_LOSS: ParametricLoss = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };

/** Unrounded E, α, β from the TeX source (A and B are printed only rounded). */
export const CHINCHILLA_APPROACH3_UNROUNDED = { E: 1.6934, alpha: 0.3392, beta: 0.2849 } as const;

/** Epoch AI's refit of Approach 3 on data extracted from Chinchilla Figure 4, with standard errors. */
export const EPOCH_REFIT: ParametricLoss & { readonly standardErrors: ParametricLoss; readonly source: Citation } = {
  E: 1.8172,
  A: 482.01,
  B: 2085.43,
  alpha: 0.3478,
  beta: 0.3658,
  standardErrors: { E: 0.03, A: 124.58, B: 1293.23, alpha: 0.02, beta: 0.02 },
  source: EPOCH("abstract and §3: refit of Approach 3 on data extracted from Chinchilla Fig. 4"),
};

/** Kaplan et al. 2020: loss laws and the compute-efficient frontier (N = non-embedding parameters). */
export const KAPLAN_2020 = {
  /** L(N) = (Nc/N)^αN */
  lossVsParams: { alpha: 0.076, scale: 8.8e13, source: KAPLAN("§1.2, Eq. 1.1") },
  /** L(D) = (Dc/D)^αD, D in tokens */
  lossVsTokens: { alpha: 0.095, scale: 5.4e13, source: KAPLAN("§1.2, Eq. 1.2") },
  /** L(C_min) = (Cc/C_min)^αC, C in PF-days */
  lossVsCompute: { alpha: 0.05, scalePetaflopDays: 3.1e8, source: KAPLAN("§1.2, Eq. 1.3") },
  /** N_opt ∝ C^0.73, D_opt ∝ C^0.27 (as DeepSeek Table 4 quotes them) */
  allocation: { label: "Kaplan et al. 2020", a: 0.73, b: 0.27, source: KAPLAN("§1.2 compute-efficient frontier; quoted in DeepSeek Table 4") } satisfies AllocationExponents,
  /** B_crit(L) = B_star / L^(1/αB), B_star in tokens, L in nats */
  criticalBatch: { tokens: 2e8, alphaB: 0.21, source: KAPLAN("§1.2, Eq. 1.4") },
} as const;

/**
 * Compute-optimal allocation implied by a parametric loss under C = 6·N·D (Chinchilla §3.3 closed
 * form): a = β/(α+β), G = (αA/(βB))^(1/(α+β)), N_opt = G·(C/6)^a, D_opt = (C/6)/N_opt.
 */
export function parametricOptimum(loss: ParametricLoss, computeFlops: number): { params: number; tokens: number; a: number; b: number } {
  const { A, B, alpha, beta } = loss;
  const a = beta / (alpha + beta);
  const G = ((alpha * A) / (beta * B)) ** (1 / (alpha + beta));
  const params = G * (computeFlops / 6) ** a;
  return { params, tokens: computeFlops / 6 / params, a, b: 1 - a };
}
