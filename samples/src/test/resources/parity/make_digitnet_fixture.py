#!/usr/bin/env python3
"""PyTorch reference for DigitNetParityTest: loss and gradients of the digit net on a fixed batch.

    /usr/bin/python3 make_digitnet_fixture.py [DIR]     (DIR defaults to this script's directory)

Writes into DIR:
  digitnet_f64.safetensors  the weights in float64 (PyTorch names and shapes: hidden1.weight (16,784), ...)
  digitnet_f32.safetensors  the same weights in float32 (the values are identical: every weight is
                            rounded to the nearest float32 before use, so both files hold the same numbers)
  digitnet_grads.json       {"inputs": [8*784 values, row-major], "labels": [8 ints], "batch": 8,
                             "loss": mean cross-entropy, "gradients": {name: {"shape": [...], "values": [...]}}}

The model is torch's equivalent of dev.nabla.samples.DigitNet: Linear(784,16), Sigmoid,
Linear(16,16), Sigmoid, Linear(16,10), trained on F.cross_entropy (softmax + mean negative log
likelihood over the batch). Everything runs in float64. Weights come from torch's default Linear
initialisation under torch.manual_seed(SEED); the inputs are multiples of 1/256 in [0, 1) (exact
in float32 too) and the labels are drawn from the same generator. Needs only torch (the
safetensors file is written by hand: 8-byte little-endian header length, JSON header, raw data).
"""
import json
import os
import struct
import sys

import torch
import torch.nn.functional as F
from torch import nn

SEED = 20261121
BATCH = 8


class DigitNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden1 = nn.Linear(784, 16, dtype=torch.float64)
        self.hidden2 = nn.Linear(16, 16, dtype=torch.float64)
        self.logits = nn.Linear(16, 10, dtype=torch.float64)

    def forward(self, x):
        h = torch.sigmoid(self.hidden1(x))
        h = torch.sigmoid(self.hidden2(h))
        return self.logits(h)


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


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    torch.manual_seed(SEED)
    model = DigitNet()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.to(torch.float32).to(torch.float64))  # representable in float32 as well
    x = torch.randint(0, 256, (BATCH, 784), dtype=torch.int64).to(torch.float64) / 256.0
    labels = torch.randint(0, 10, (BATCH,), dtype=torch.int64)

    loss = F.cross_entropy(model(x), labels)  # mean over the batch
    loss.backward()

    state = model.state_dict()
    write_safetensors(state, os.path.join(out, "digitnet_f64.safetensors"), torch.float64)
    write_safetensors(state, os.path.join(out, "digitnet_f32.safetensors"), torch.float32)
    grads = {name: {"shape": list(p.shape), "values": [float(v) for v in p.grad.reshape(-1).tolist()]}
             for name, p in model.named_parameters()}
    fixture = {
        "torch": torch.__version__,
        "seed": SEED,
        "batch": BATCH,
        # multiples of 1/256: printed as k/256 would be exact too, repr() is exact for doubles
        "inputs": [float(v) for v in x.reshape(-1).tolist()],
        "labels": [int(v) for v in labels.tolist()],
        "loss": float(loss.item()),
        "gradients": grads,
    }
    with open(os.path.join(out, "digitnet_grads.json"), "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print("loss %.17g; wrote %s" % (loss.item(), out))


if __name__ == "__main__":
    main()
