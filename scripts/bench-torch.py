"""PyTorch peer of scripts/bench-train.ts: the same decoder and AdamW step, timed on CPU.

Byte vocabulary (256), untied embedding and head, pre-norm RMSNorm, RoPE, causal multi-head
attention, SwiGLU FFN, AdamW (0.9, 0.95, wd 0.1 on matrices), global-norm clip 1.0 -- the model of
lib/train (performance.md's fair-peer setup: Debian python3-torch on the OpenMP OpenBLAS).

Usage: python3 scripts/bench-torch.py '<json>' where json = {"threads": n, "steps": s,
"shapes": [{"name", "layers", "d", "heads", "ffn", "seq", "seqs"}]}. Prints one JSON line per
shape: {"name", "msPerStep", "cpuMsPerStep"} (CPU time of all threads). The caller computes GFLOP/s of M with the project's own accounting.
"""
import json
import sys
import time

import torch
import torch.nn.functional as F

VOCAB = 256
ROPE_BASE = 10000.0  # as lib/train/attention.ts
RMS_EPS = 1e-6  # as lib/train/blocks.ts


class RMSNorm(torch.nn.Module):
    def __init__(self, d):
        super().__init__()
        self.g = torch.nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + RMS_EPS) * self.g


def rope_tables(seq, hs):
    half = hs // 2
    inv = ROPE_BASE ** (-torch.arange(half, dtype=torch.float32) * 2 / hs)
    ang = torch.arange(seq, dtype=torch.float32)[:, None] * inv[None, :]
    ang = torch.cat([ang, ang], -1)  # [seq, hs]
    return ang.cos(), ang.sin()


def rotate_half(x):
    a, b = x.chunk(2, -1)
    return torch.cat([-b, a], -1)


class Block(torch.nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.heads = heads
        self.n1, self.n2 = RMSNorm(d), RMSNorm(d)
        self.wqkv = torch.nn.Linear(d, 3 * d, bias=False)
        self.wo = torch.nn.Linear(d, d, bias=False)
        self.w13 = torch.nn.Linear(d, 2 * ffn, bias=False)
        self.w2 = torch.nn.Linear(ffn, d, bias=False)

    def forward(self, x, cos, sin):
        b, t, d = x.shape
        hs = d // self.heads
        q, k, v = self.wqkv(self.n1(x)).view(b, t, 3, self.heads, hs).permute(2, 0, 3, 1, 4)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        att = (q @ k.transpose(-1, -2)) / hs**0.5
        mask = torch.ones(t, t, dtype=torch.bool).triu(1)
        o = att.masked_fill(mask, float("-inf")).softmax(-1) @ v
        x = x + self.wo(o.transpose(1, 2).reshape(b, t, d))
        gate, up = self.w13(self.n2(x)).chunk(2, -1)
        return x + self.w2(F.silu(gate) * up)


class Decoder(torch.nn.Module):
    def __init__(self, s):
        super().__init__()
        self.emb = torch.nn.Embedding(VOCAB, s["d"])
        self.blocks = torch.nn.ModuleList(Block(s["d"], s["heads"], s["ffn"]) for _ in range(s["layers"]))
        self.norm = RMSNorm(s["d"])
        self.head = torch.nn.Linear(s["d"], VOCAB, bias=False)
        self.cos, self.sin = rope_tables(s["seq"], s["d"] // s["heads"])

    def forward(self, ids):
        x = self.emb(ids)
        for blk in self.blocks:
            x = blk(x, self.cos, self.sin)
        return self.head(self.norm(x))


def time_shape(s, steps):
    torch.manual_seed(0)
    model = Decoder(s)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}], lr=1e-3, betas=(0.9, 0.95))
    ids = torch.randint(0, VOCAB, (s["seqs"], s["seq"] + 1))

    def step():
        logits = model(ids[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, VOCAB), ids[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    step()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(steps):
        step()
    return (time.perf_counter() - t0) / steps * 1000, (time.process_time() - c0) / steps * 1000


def main():
    req = json.loads(sys.argv[1])
    torch.set_num_threads(req["threads"])
    for s in req["shapes"]:
        wall, cpu = time_shape(s, req["steps"])
        print(json.dumps({"name": s["name"], "msPerStep": wall, "cpuMsPerStep": cpu}), flush=True)


if __name__ == "__main__":
    main()
