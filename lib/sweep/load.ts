import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError } from "../util/errors";
import { loadLaws, type Laws } from "../laws/lawsFile";
import { lawUses, resolveSpec, type ResolvedSpec } from "./resolve";
import { parseSpec } from "./spec";

/**
 * The I/O edge of specs: find `experiments/<name>/spec.ts` (or its folder, or a path to it),
 * import its default export, validate it, read every law file it references, and resolve it once.
 * A spec's folder is its experiment: its `name` must be the folder's name, so a copied spec cannot
 * write into another experiment's results.
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

/** The file a spec lives in. */
export const SPEC_FILE = "spec.ts";

const WHERE = "<experiment>";
const GIVE = "give a name under experiments/, an experiment folder, or a path to its spec.ts";

/** What a path is, for a refusal that says so ("a folder without spec.ts", "a .txt file"). */
function kindOf(path: string): string {
  const stat = statSync(path);
  if (stat.isDirectory()) return `a folder without ${SPEC_FILE}`;
  if (!stat.isFile()) return "not a regular file";
  const dot = basename(path).lastIndexOf(".");
  return dot > 0 ? `a ${basename(path).slice(dot)} file` : "a file without an extension";
}

/** `<name>` under the experiments folder, an experiment folder (trailing slash or not), or a path to a spec.ts. */
export function specPath(nameOrPath: string, options: LoadSpecOptions = {}): string {
  const trimmed = nameOrPath.trim();
  if (trimmed === "") throw new ConfigError("is empty", WHERE, GIVE);
  const looksLikePath = trimmed.endsWith(".ts") || trimmed.includes("/") || trimmed === "." || trimmed === "..";
  const given = looksLikePath ? resolve(trimmed) : join(resolve(options.experimentsDir ?? "experiments"), trimmed);
  if (!existsSync(given)) throw new ConfigError(`no experiment or spec at ${given}`, WHERE, GIVE);
  const path = statSync(given).isDirectory() && existsSync(join(given, SPEC_FILE)) ? join(given, SPEC_FILE) : given;
  // Refused by what it is, never imported: only a spec.ts is run as code.
  if (basename(path) !== SPEC_FILE || !statSync(path).isFile()) throw new ConfigError(`${path} is not a spec (it is ${kindOf(path)})`, WHERE, GIVE);
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

/** The spec module's default export; a syntax error or a throw at import is a ConfigError naming the file. */
async function importSpec(path: string): Promise<unknown> {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split("\n").find((l) => l.trim() !== "") ?? "import failed";
    throw new ConfigError(`cannot load ${path}: ${first.trim()}`, "spec", "fix the spec file (it must be TypeScript that exports the spec object as default)");
  }
  // A spec outside an ESM package is loaded as CommonJS: its default export sits one level down.
  const value = module.default as { default?: unknown; __esModule?: boolean } | undefined;
  return value && typeof value === "object" && value.__esModule ? value.default : value;
}

/** Import, validate and resolve a spec; every error names the offending dotted path. */
export async function loadSpec(nameOrPath: string, options: LoadSpecOptions = {}): Promise<LoadedSpec> {
  const path = specPath(nameOrPath, options);
  const exported = await importSpec(path);
  if (exported === undefined) throw new ConfigError(`${path} has no default export`, "spec", "export the spec object as default");
  const parsed = parseSpec(exported);
  const folder = basename(dirname(path));
  if (parsed.name !== folder) {
    throw new ConfigError(`"${parsed.name}" is not its folder's name "${folder}" (results would land in results/${parsed.name}/)`, "spec.name", `set name: "${folder}", or move the spec to a folder named ${parsed.name}`);
  }
  const laws: Record<string, Laws> = {};
  for (const use of lawUses(parsed)) laws[use.ref] ??= loadLawRef(use.ref, `spec.${use.path}`);
  return { spec: resolveSpec(parsed, laws), path };
}
