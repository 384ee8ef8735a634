import { parseShape, type ModelShape } from "../model/shape";
import { ConfigError } from "../util/errors";
import type { FlagSpec, ParsedArgs } from "./args";

/** The flags that describe a model shape, shared by `scale` and `predict`. */
export const SHAPE_FLAGS: Readonly<Record<string, FlagSpec>> = {
  layers: { type: "number", value: "L", help: "n_layer, transformer blocks" },
  "d-model": { type: "number", value: "D", help: "d_model, residual width" },
  seq: { type: "number", value: "S", help: "l_seq, context length in tokens" },
  vocab: { type: "number", value: "V", help: "n_vocab, vocabulary size" },
  heads: { type: "number", value: "H", help: "query heads (default 1; with MHA the counts do not depend on it)" },
  "kv-heads": { type: "number", value: "K", help: "key/value heads (default: --heads, multi-head attention)" },
  ffn: { type: "number", value: "F", help: "SwiGLU width (default exactly 8/3·d_model, as Eq. 2 assumes)" },
};

const FLAG_OF_FIELD: Record<string, string> = {
  layers: "--layers",
  dModel: "--d-model",
  heads: "--heads",
  kvHeads: "--kv-heads",
  ffn: "--ffn",
  seq: "--seq",
  vocab: "--vocab",
};

/** True when any shape flag (other than --seq, which predict also takes alone) was given. */
export function hasShapeFlags(args: ParsedArgs): boolean {
  return Object.keys(SHAPE_FLAGS).some((name) => name !== "seq" && args.flags[name] !== undefined);
}

/** The shape the flags describe; errors name the flag. */
export function shapeFromArgs(args: ParsedArgs): ModelShape {
  const num = (name: string): number | undefined => {
    const v = args.flags[name];
    return typeof v === "number" ? v : undefined;
  };
  for (const name of ["layers", "d-model", "seq", "vocab"]) {
    if (num(name) === undefined) throw new ConfigError("missing value", `--${name}`, `a shape needs --layers, --d-model, --seq and --vocab`);
  }
  const dModel = num("d-model")!;
  const heads = num("heads") ?? 1;
  const raw = {
    layers: num("layers"),
    dModel,
    heads,
    kvHeads: num("kv-heads") ?? heads,
    ffn: num("ffn") ?? (8 * dModel) / 3,
    seq: num("seq"),
    vocab: num("vocab"),
  };
  try {
    return parseShape(raw, "shape");
  } catch (err) {
    if (!(err instanceof ConfigError) || !err.path) throw err;
    const field = err.path.replace(/^shape\./, "");
    const flag = FLAG_OF_FIELD[field] ?? err.path;
    throw new ConfigError(err.message.slice(err.path.length + 2), flag);
  }
}
