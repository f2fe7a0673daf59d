#!/usr/bin/env python3
"""Safetensors interop between PyTorch and Nabla for a small MLP named as Nabla names it.

    python3 mlp_interop.py write DIR   writes DIR/mlp_torch.safetensors (the state_dict of the
                                       fixed-weight torch model) and DIR/mlp_forward.json (the
                                       torch forward output for a fixed input)
    python3 mlp_interop.py check FILE  loads FILE (saved by Nabla) into the torch model with
                                       load_state_dict(strict=True), checks every weight against
                                       the fixed ones and the forward output; exit status 0 if so

The model is Nabla's InteropMlp: hidden1 = Linear(6, 5) with tanh, logits = Linear(5, 3), MSE loss
(so predict() returns the raw logits). Weights are exact binary fractions so that the file is
byte-for-byte what Nabla writes for them. Uses the safetensors package when installed, else writes
and reads the format by hand (8-byte little-endian header length, JSON header, raw data).
"""
import json
import struct
import sys

import torch
from torch import nn

INPUT = [0.5, -1.0, 0.25, 2.0, -0.75, 1.5]


class InteropMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden1 = nn.Linear(6, 5)
        self.logits = nn.Linear(5, 3)

    def forward(self, x):
        return self.logits(torch.tanh(self.hidden1(x)))


def fixed_value(t, j):
    """Element j of the t-th tensor in declaration order: an exact multiple of 1/16."""
    return ((j * 7 + t * 5) % 23 - 11) / 16.0


def fixed_model():
    model = InteropMlp()
    with torch.no_grad():
        for t, (name, p) in enumerate(model.state_dict().items()):
            flat = torch.tensor([fixed_value(t, j) for j in range(p.numel())], dtype=torch.float32)
            p.copy_(flat.reshape(p.shape))
    return model


def header_bytes(state):
    """The header Nabla writes: metadata first, tensors in order, compact JSON, space-padded to 8."""
    parts = ['"__metadata__":{"format":"pt"}']
    offset = 0
    for name, t in state.items():
        n = t.numel() * 4
        parts.append('"%s":{"dtype":"F32","shape":[%s],"data_offsets":[%d,%d]}'
                     % (name, ",".join(str(d) for d in t.shape), offset, offset + n))
        offset += n
    h = ("{" + ",".join(parts) + "}").encode("utf-8")
    return h + b" " * (-len(h) % 8)


def save(state, path):
    with open(path, "wb") as f:
        h = header_bytes(state)
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for t in state.values():
            f.write(t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes())


def load(path):
    try:
        from safetensors.torch import load_file
        return load_file(path)
    except ImportError:
        pass
    dtypes = {"F32": ("<f4", torch.float32), "F64": ("<f8", torch.float64)}
    import numpy as np
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    out = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        np_dtype, torch_dtype = dtypes[e["dtype"]]
        arr = np.frombuffer(data[8 + n + begin:8 + n + end], dtype=np_dtype).copy()
        out[name] = torch.from_numpy(arr).reshape(e["shape"])
    return out


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("write", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    model = fixed_model()
    x = torch.tensor([INPUT], dtype=torch.float32)
    if sys.argv[1] == "write":
        d = sys.argv[2]
        save(model.state_dict(), d + "/mlp_torch.safetensors")
        with torch.no_grad():
            y = model(x)[0].tolist()
        with open(d + "/mlp_forward.json", "w") as f:
            json.dump({"input": INPUT, "output": y}, f, indent=1)
            f.write("\n")
        return 0
    state = load(sys.argv[2])
    loaded = InteropMlp()
    loaded.load_state_dict({k: v.to(torch.float32) for k, v in state.items()}, strict=True)
    expected = model.state_dict()
    for name, t in loaded.state_dict().items():
        if not torch.equal(t, expected[name]):
            print("tensor %s differs: %s vs %s" % (name, t.tolist(), expected[name].tolist()), file=sys.stderr)
            return 1
    with torch.no_grad():
        if not torch.allclose(loaded(x), model(x), atol=1e-6):
            print("forward output differs", file=sys.stderr)
            return 1
    print("ok: %d tensors, forward %s" % (len(state), loaded(x)[0].tolist()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
