import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError } from "../util/errors";
import { loadLaws, type Laws } from "../laws/lawsFile";
import { lawUses, resolveSpec, type ResolvedSpec } from "./resolve";
import { parseSpec } from "./spec";

/**
 * The I/O edge of specs: find `experiments/<name>/spec.ts` (or a path), import its default
 * export, validate it, read every law file it references, and resolve it once.
 */

export interface LoadedSpec {
  readonly spec: ResolvedSpec;
  /** Absolute path of the spec file. */
  readonly path: string;
}

export interface LoadSpecOptions {
  /** Folder holding `<name>/spec.ts`. Default `experiments` under the working directory. */
  readonly experimentsDir?: string;
}

/** `<name>` under the experiments folder, or a path to a spec.ts. */
export function specPath(nameOrPath: string, options: LoadSpecOptions = {}): string {
  const looksLikePath = nameOrPath.endsWith(".ts") || nameOrPath.includes("/");
  const path = looksLikePath
    ? resolve(nameOrPath)
    : join(resolve(options.experimentsDir ?? "experiments"), nameOrPath, "spec.ts");
  if (!existsSync(path)) {
    throw new ConfigError(`no spec at ${path}`, "<experiment>", "give a name under experiments/ or a path to a spec.ts");
  }
  return path;
}

/** Law values for a reference: the paper's ("deepseek") or a laws JSON file (`scaling fit --json` output). */
export function loadLawRef(ref: string, path: string): Laws {
  try {
    return loadLaws(ref, (file) => readFileSync(isAbsolute(file) ? file : resolve(file), "utf8"));
  } catch (e) {
    const message = (e as Error).message;
    throw new ConfigError(message, path, 'use "deepseek" or the path of a laws .json written by `scaling fit --json`');
  }
}

/** Import, validate and resolve a spec; every error names the offending dotted path. */
export async function loadSpec(nameOrPath: string, options: LoadSpecOptions = {}): Promise<LoadedSpec> {
  const path = specPath(nameOrPath, options);
  const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
  // A spec outside an ESM package is loaded as CommonJS: its default export sits one level down.
  const value = module.default as { default?: unknown; __esModule?: boolean } | undefined;
  const exported = value && typeof value === "object" && value.__esModule ? value.default : value;
  if (exported === undefined) throw new ConfigError(`${path} has no default export`, "spec", "export the spec object as default");
  const parsed = parseSpec(exported);
  const laws: Record<string, Laws> = {};
  for (const use of lawUses(parsed)) laws[use.ref] ??= loadLawRef(use.ref, `spec.${use.path}`);
  return { spec: resolveSpec(parsed, laws), path };
}
