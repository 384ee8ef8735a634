import assert from "node:assert/strict";
import { test } from "node:test";
import { helpText, parseArgs, type CommandSpec } from "../../lib/cli/args";
import { ConfigError } from "../../lib/util/errors";

const spec: CommandSpec = {
  usage: "scaling demo",
  summary: "demo",
  flags: {
    compute: { type: "number", value: "C", help: "budget" },
    laws: { type: "string", value: "NAME", help: "laws" },
    "d-model": { type: "number", value: "D", help: "width" },
  },
  positionals: ["FILE.csv"],
};

const configError = (path: string, pattern: RegExp) => (e: unknown): boolean => e instanceof ConfigError && e.path === path && pattern.test(e.message);

test("parseArgs(argv) reads --name value, --name=value, negative numbers and booleans", () => {
  const args = parseArgs(["runs.csv", "--compute", "1e20", "--laws=x.json", "--d-model", "-64", "--json"], spec);
  assert.deepEqual(args.flags, { compute: 1e20, laws: "x.json", "d-model": -64, json: true });
  assert.deepEqual(args.positionals, ["runs.csv"]);
  assert.equal(args.help, false);
  assert.equal(parseArgs(["f", "--json=false"], spec).flags.json, false);
});

test("parseArgs(argv) rejects unknown flags, missing values, non-numbers and wrong positionals, naming them", () => {
  assert.throws(() => parseArgs(["f", "--bogus", "1"], spec), configError("--bogus", /unknown flag/));
  assert.throws(() => parseArgs(["f", "--compute"], spec), configError("--compute", /missing value/));
  assert.throws(() => parseArgs(["f", "--compute", "--json"], spec), configError("--compute", /missing value/));
  assert.throws(() => parseArgs(["f", "--compute", "lots"], spec), configError("--compute", /"lots" is not a number/));
  assert.throws(() => parseArgs(["f", "--compute="], spec), configError("--compute", /is not a number/));
  assert.throws(() => parseArgs([], spec), configError("FILE.csv", /missing argument/));
  assert.throws(() => parseArgs(["a", "b"], spec), configError("b", /unexpected argument/));
  assert.throws(() => parseArgs(["f", "--json=yes"], spec), configError("--json", /true or false/));
});

test("parseArgs(['--help']) needs no positionals, and helpText lists every flag", () => {
  assert.equal(parseArgs(["--help"], spec).help, true);
  const text = helpText(spec);
  for (const flag of ["--compute C", "--laws NAME", "--d-model D", "--json", "--help"]) assert.ok(text.includes(flag), flag);
  assert.ok(text.startsWith("Usage: scaling demo FILE.csv [flags]"));
});
