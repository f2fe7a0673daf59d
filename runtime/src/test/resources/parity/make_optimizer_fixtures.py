"""PyTorch parity fixtures for Nabla's optimisers, schedules and gradient clipping.

Each case runs 10 steps of torch.optim (float64) on the same small parameter vector with fixed
per-step gradients and records the learning rate used and the parameters after every step.
Runtime's OptimizerParityTest replays the cases in the kernels and dev.nabla.runtime.train.Schedules.

    /usr/bin/python3 runtime/src/test/resources/parity/make_optimizer_fixtures.py
"""
import json
import math
import os

import torch

torch.set_default_dtype(torch.float64)
STEPS = 10
N = 7  # not a multiple of any vector width: the float kernels' tails are exercised too
INITIAL = [round(0.5 * math.sin(1.7 * i + 0.3) + 0.1 * i, 6) for i in range(N)]
GRADS = [[round(math.cos(0.9 * i + 1.3 * t) * (1 + 0.2 * t) + 0.05 * i, 6) for i in range(N)]
         for t in range(STEPS)]


def warmup_factor(warmup, t):
    # LinearLR(start_factor=1/W, total_iters=W-1) chained: its factor at step t
    if warmup <= 1:
        return 1.0
    dummy = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    sched = torch.optim.lr_scheduler.LinearLR(dummy, start_factor=1.0 / warmup, total_iters=warmup - 1)
    for _ in range(t):
        dummy.step()
        sched.step()
    return dummy.param_groups[0]["lr"]


def make_schedule(opt, schedule):
    kind = schedule.get("type", "NONE")
    if kind == "STEP":
        return torch.optim.lr_scheduler.StepLR(opt, step_size=schedule["stepSize"], gamma=schedule["gamma"])
    if kind == "EXPONENTIAL":
        return torch.optim.lr_scheduler.ExponentialLR(opt, gamma=schedule["gamma"])
    if kind == "CYCLIC":
        return torch.optim.lr_scheduler.CyclicLR(opt, base_lr=schedule["baseLr"], max_lr=opt.param_groups[0]["lr"],
                                                 step_size_up=schedule["stepSizeUp"], mode="triangular",
                                                 cycle_momentum=False)
    if kind == "COSINE":
        return torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=schedule["period"],
                                                                    T_mult=schedule.get("periodMultiplier", 1),
                                                                    eta_min=schedule.get("minLr", 0.0))
    return None


def make_optimizer(params, o):
    kind, lr = o["type"], o["learningRate"]
    if kind == "SGD":
        return torch.optim.SGD(params, lr=lr, momentum=o.get("momentum", 0.0), nesterov=o.get("nesterov", False))
    if kind == "ADAM":
        return torch.optim.Adam(params, lr=lr, betas=(o["beta1"], o["beta2"]), eps=o["epsilon"])
    if kind == "ADAMW":
        return torch.optim.AdamW(params, lr=lr, betas=(o["beta1"], o["beta2"]), eps=o["epsilon"],
                                 weight_decay=o["weightDecay"])
    if kind == "ADAGRAD":
        return torch.optim.Adagrad(params, lr=lr, eps=o["epsilon"],
                                   initial_accumulator_value=o["initialAccumulator"])
    if kind == "RMSPROP":
        return torch.optim.RMSprop(params, lr=lr, alpha=o["alpha"], eps=o["epsilon"], momentum=o["momentum"],
                                   centered=o["centered"])
    if kind == "ADADELTA":
        return torch.optim.Adadelta(params, lr=lr, rho=o["rho"], eps=o["epsilon"])
    if kind == "ADAMAX":
        return torch.optim.Adamax(params, lr=lr, betas=(o["beta1"], o["beta2"]), eps=o["epsilon"])
    if kind == "NADAM":
        return torch.optim.NAdam(params, lr=lr, betas=(o["beta1"], o["beta2"]), eps=o["epsilon"],
                                 momentum_decay=o["momentumDecay"])
    raise ValueError(kind)


def run(name, optimizer, schedule=None, clip_norm=0.0):
    schedule = schedule or {"type": "NONE"}
    p = torch.tensor(INITIAL, requires_grad=True)
    opt = make_optimizer([p], optimizer)
    sched = make_schedule(opt, schedule)
    scheduled_lr = opt.param_groups[0]["lr"]
    warmup = schedule.get("warmupSteps", 0)
    lrs, params = [], []
    for t in range(STEPS):
        lr = scheduled_lr * warmup_factor(warmup, t)
        opt.param_groups[0]["lr"] = lr
        p.grad = torch.tensor(GRADS[t])
        if clip_norm > 0:
            torch.nn.utils.clip_grad_norm_([p], clip_norm)
        opt.step()
        lrs.append(lr)
        params.append(p.detach().tolist())
        # the warm-up factor is applied on top of the schedule's own rate, which it must not feed back into
        opt.param_groups[0]["lr"] = scheduled_lr
        if sched is not None:
            sched.step()
        scheduled_lr = opt.param_groups[0]["lr"]
    return {"name": name, "optimizer": optimizer, "schedule": schedule, "clipNorm": clip_norm,
            "lrs": lrs, "params": params}


def main():
    sgd = {"type": "SGD", "learningRate": 0.1, "momentum": 0.0, "nesterov": False}
    adam = {"type": "ADAM", "learningRate": 0.05, "beta1": 0.8, "beta2": 0.95, "epsilon": 1e-8}
    cases = [
        run("sgd", sgd),
        run("sgd momentum", dict(sgd, momentum=0.9)),
        run("sgd nesterov", dict(sgd, momentum=0.9, nesterov=True)),
        run("adam", adam),
        run("adamw", dict(adam, type="ADAMW", weightDecay=0.1)),
        run("adamw default decay", dict(adam, type="ADAMW", weightDecay=0.01)),
        run("adagrad", {"type": "ADAGRAD", "learningRate": 0.1, "epsilon": 1e-10, "initialAccumulator": 0.0}),
        run("adagrad initial accumulator",
            {"type": "ADAGRAD", "learningRate": 0.1, "epsilon": 1e-10, "initialAccumulator": 0.5}),
        run("rmsprop", {"type": "RMSPROP", "learningRate": 0.01, "alpha": 0.99, "epsilon": 1e-8, "momentum": 0.0,
                        "centered": False}),
        run("rmsprop momentum centred", {"type": "RMSPROP", "learningRate": 0.01, "alpha": 0.9, "epsilon": 1e-8,
                                         "momentum": 0.8, "centered": True}),
        run("rmsprop centred", {"type": "RMSPROP", "learningRate": 0.01, "alpha": 0.9, "epsilon": 1e-8,
                                "momentum": 0.0, "centered": True}),
        run("rmsprop momentum", {"type": "RMSPROP", "learningRate": 0.01, "alpha": 0.9, "epsilon": 1e-8,
                                 "momentum": 0.8, "centered": False}),
        run("adadelta", {"type": "ADADELTA", "learningRate": 1.0, "rho": 0.9, "epsilon": 1e-6}),
        run("adamax", {"type": "ADAMAX", "learningRate": 0.02, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}),
        run("nadam", {"type": "NADAM", "learningRate": 0.02, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
                      "momentumDecay": 0.004}),
        run("nadam fast decay", {"type": "NADAM", "learningRate": 0.02, "beta1": 0.8, "beta2": 0.99,
                                 "epsilon": 1e-8, "momentumDecay": 0.5}),
        run("step schedule", sgd, {"type": "STEP", "stepSize": 3, "gamma": 0.5}),
        run("exponential schedule", sgd, {"type": "EXPONENTIAL", "gamma": 0.8}),
        run("cyclic schedule", sgd, {"type": "CYCLIC", "baseLr": 0.01, "stepSizeUp": 3}),
        run("cosine schedule", sgd, {"type": "COSINE", "period": 4, "periodMultiplier": 1, "minLr": 0.001}),
        run("cosine restarts growing", sgd, {"type": "COSINE", "period": 2, "periodMultiplier": 2, "minLr": 0.0}),
        run("warm-up alone", sgd, {"type": "NONE", "warmupSteps": 4}),
        run("warm-up then step", dict(sgd, momentum=0.9), {"type": "STEP", "stepSize": 2, "gamma": 0.7,
                                                           "warmupSteps": 3}),
        run("warm-up then cosine", adam, {"type": "COSINE", "period": 3, "periodMultiplier": 2, "minLr": 0.005,
                                          "warmupSteps": 5}),
        run("warm-up then cyclic", sgd, {"type": "CYCLIC", "baseLr": 0.02, "stepSizeUp": 2, "warmupSteps": 3}),
        run("clipped sgd", sgd, clip_norm=0.5),
        run("clipped adam", adam, clip_norm=1.0),
        run("clip above the norm", dict(sgd, momentum=0.9), clip_norm=100.0),
    ]
    out = {"torch": torch.__version__, "steps": STEPS, "initial": INITIAL, "grads": GRADS, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optimizer_fixtures.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
