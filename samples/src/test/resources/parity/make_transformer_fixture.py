#!/usr/bin/env python3
"""PyTorch reference for TransformerParityTest: one pre-norm transformer block, forward and backward.

    /usr/bin/python3 make_transformer_fixture.py [DIR]     (DIR defaults to this script's directory)

The block is torch's
    nn.TransformerEncoderLayer(d_model=C, nhead=H, dim_feedforward=F, dropout=0.0,
                               activation="gelu", batch_first=True, norm_first=True)
that is  h = x + self_attn(norm1(x));  y = h + linear2(gelu(linear1(norm2(h)))),
the same graph as dev.nabla.samples.TransformerBlock (causal) and TransformerBlockFull (no mask).

Writes into DIR:
  transformer_f64.safetensors  the block's state_dict in float64 (torch names and shapes:
                               self_attn.in_proj_weight (3C, C), self_attn.in_proj_bias (3C),
                               self_attn.out_proj.weight (C, C), self_attn.out_proj.bias (C),
                               linear1.weight (F, C), linear1.bias (F), linear2.weight (C, F),
                               linear2.bias (C), norm1.weight/bias (C), norm2.weight/bias (C))
  transformer_f32.safetensors  the same weights in float32 (identical values: every weight is rounded
                               to the nearest float32 before use)
  transformer_grads.json       {"torch", "seed", "batch", "T", "C", "heads", "ff",
                                "x": [B*T*C values, row-major (b, t, c)], "target": [same layout],
                                "causal": CASE, "full": CASE}
                               CASE = {"output": [B*T*C], "loss": F.mse_loss (mean over B*T*C),
                                       "gradients": {name: {"shape": [...], "values": [...]}}}
                               "causal" passes src_mask = triu(full((T, T), -inf), 1) (position i
                               attends to positions <= i); "full" passes no mask.

Everything runs in float64 under torch.manual_seed(SEED). The weights start from torch's own
initialisation, then EVERY bias and both layer norms' weights and biases are overwritten with
N(0, 0.2²) draws (N(1, 0.2²) for the layer-norm weights): torch initialises them to 0 / 1, which would
hide a bias or gain applied to the wrong place. x and target are N(0, 1) draws; weights, x and target
are all rounded to float32, so the float model sees exactly the same numbers.

The script checks its own assumptions before writing anything: the layer's output equals a
hand-written float64 reference of the block (explicit layer norm, per-head softmax(q·kᵀ/√d + mask)·v,
exact erf GELU) to 1e-12, the causal output of position i does not depend on later positions, and
the mask changes the output (so it was applied, in the additive sense, on the slow path that
training mode uses). Needs only torch (the safetensors files are written by hand: 8-byte
little-endian header length, JSON header, raw data).
"""
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F
from torch import nn

SEED = 20260611
BATCH = 3
T = 6
C = 16
HEADS = 4
FF = 48
STD = 0.2


def write_safetensors(state, path, dtype):
    code, np_dtype, width = {torch.float64: ("F64", "<f8", 8), torch.float32: ("F32", "<f4", 4)}[dtype]
    parts = ['"__metadata__":{"format":"pt"}']
    offset = 0
    for name, t in state.items():
        n = t.numel() * width
        parts.append('"%s":{"dtype":"%s","shape":[%s],"data_offsets":[%d,%d]}'
                     % (name, code, ",".join(str(d) for d in t.shape), offset, offset + n))
        offset += n
    header = ("{" + ",".join(parts) + "}").encode("utf-8")
    header += b" " * (-len(header) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header)))
        f.write(header)
        for t in state.values():
            f.write(t.detach().contiguous().to(dtype).numpy().astype(np_dtype).tobytes())


def causal_mask():
    return torch.triu(torch.full((T, T), float("-inf"), dtype=torch.float64), 1)


def reference(layer, x, mask):
    """The block written out by hand, for checking how torch 1.13 runs the layer."""
    sd = {k: v.detach() for k, v in layer.state_dict().items()}

    def norm(v, p):
        mu = v.mean(-1, keepdim=True)
        var = ((v - mu) ** 2).mean(-1, keepdim=True)
        return (v - mu) / torch.sqrt(var + 1e-5) * sd[p + ".weight"] + sd[p + ".bias"]

    d = C // HEADS
    a = norm(x, "norm1")
    qkv = a @ sd["self_attn.in_proj_weight"].T + sd["self_attn.in_proj_bias"]
    q, k, v = qkv.split(C, dim=-1)
    heads = []
    for h in range(HEADS):
        cols = slice(h * d, (h + 1) * d)
        s = q[..., cols] @ k[..., cols].transpose(-1, -2) / math.sqrt(d)
        if mask is not None:
            s = s + mask
        heads.append(torch.softmax(s, dim=-1) @ v[..., cols])
    att = torch.cat(heads, dim=-1) @ sd["self_attn.out_proj.weight"].T + sd["self_attn.out_proj.bias"]
    h1 = x + att
    u = norm(h1, "norm2") @ sd["linear1.weight"].T + sd["linear1.bias"]
    u = 0.5 * u * (1 + torch.erf(u / math.sqrt(2)))
    return h1 + u @ sd["linear2.weight"].T + sd["linear2.bias"]


def run(layer, x, target, mask):
    layer.zero_grad(set_to_none=True)
    out = layer(x, src_mask=mask)
    loss = F.mse_loss(out, target)  # mean over B*T*C
    loss.backward()
    with torch.no_grad():
        ref = reference(layer, x, mask)
    err = (out.detach() - ref).abs().max().item()
    assert err < 1e-12, "torch's layer differs from the hand-written block by %g" % err
    grads = {name: {"shape": list(p.shape), "values": [float(v) for v in p.grad.reshape(-1).tolist()]}
             for name, p in layer.named_parameters()}
    return out.detach(), {
        "output": [float(v) for v in out.detach().reshape(-1).tolist()],
        "loss": float(loss.item()),
        "gradients": grads,
    }


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    torch.manual_seed(SEED)
    layer = nn.TransformerEncoderLayer(d_model=C, nhead=HEADS, dim_feedforward=FF, dropout=0.0,
                                       activation="gelu", batch_first=True, norm_first=True,
                                       dtype=torch.float64)
    layer.train()  # dropout is 0 anyway; training mode keeps torch off its fused fast path
    with torch.no_grad():
        for name, p in layer.named_parameters():
            if name.startswith("norm") and name.endswith(".weight"):
                nn.init.normal_(p, mean=1.0, std=STD)
            elif name.endswith("bias"):
                nn.init.normal_(p, std=STD)
            p.copy_(p.to(torch.float32).to(torch.float64))  # representable in float32 as well
    x = torch.randn(BATCH, T, C, dtype=torch.float64).to(torch.float32).to(torch.float64)
    target = torch.randn(BATCH, T, C, dtype=torch.float64).to(torch.float32).to(torch.float64)

    out_causal, causal = run(layer, x, target, causal_mask())
    out_full, full = run(layer, x, target, None)

    # The mask was applied: the outputs differ except at the last position, where causal = full.
    assert (out_causal[:, :-1] - out_full[:, :-1]).abs().min().item() > 0
    assert (out_causal[:, -1] - out_full[:, -1]).abs().max().item() < 1e-12
    # Causality: changing positions > i leaves position i's causal output unchanged.
    with torch.no_grad():
        x2 = x.clone()
        x2[:, 3:] += 1.0
        moved = layer(x2, src_mask=causal_mask())
        assert (moved[:, :3] - out_causal[:, :3]).abs().max().item() < 1e-12
        assert (moved[:, 3:] - out_causal[:, 3:]).abs().min().item() > 0

    state = layer.state_dict()
    write_safetensors(state, os.path.join(out_dir, "transformer_f64.safetensors"), torch.float64)
    write_safetensors(state, os.path.join(out_dir, "transformer_f32.safetensors"), torch.float32)
    fixture = {
        "torch": torch.__version__,
        "seed": SEED,
        "batch": BATCH,
        "T": T,
        "C": C,
        "heads": HEADS,
        "ff": FF,
        "x": [float(v) for v in x.reshape(-1).tolist()],
        "target": [float(v) for v in target.reshape(-1).tolist()],
        "causal": causal,
        "full": full,
    }
    with open(os.path.join(out_dir, "transformer_grads.json"), "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print("loss causal %.17g, full %.17g; wrote %s" % (causal["loss"], full["loss"], out_dir))


if __name__ == "__main__":
    main()
