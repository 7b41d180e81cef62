"""Checks tst_backend_ops' float64 reference (reference_ops.cpp) against PyTorch in float64.

argv: cases.json, written by the suite: inputs and the reference's outputs. Prints each case that
differs by more than 1e-9 relative (1e-12 absolute) and exits 1 when there is one.
"""
import json
import sys

import torch

torch.set_default_dtype(torch.float64)
F = torch.nn.functional
cases = json.load(open(sys.argv[1]))
failures = []


def t(values, shape=None):
    out = torch.tensor(values, dtype=torch.float64)
    return out.reshape(shape) if shape is not None else out


def check(name, reference, expected):
    ref = t(reference).flatten()
    exp = expected.detach().flatten().to(torch.float64)
    if ref.shape != exp.shape or not torch.allclose(ref, exp, rtol=1e-9, atol=1e-12, equal_nan=True):
        worst = (ref - exp).abs().max().item() if ref.shape == exp.shape else "shape"
        failures.append(f"{name}: reference {ref[:6].tolist()} vs torch {exp[:6].tolist()} (max diff {worst})")


def activation_module(c):
    p = c["params"]
    return {
        "Identity": lambda: torch.nn.Identity(),
        "ReLU": lambda: torch.nn.ReLU(),
        "LeakyReLU": lambda: torch.nn.LeakyReLU(p["alpha"]),
        "GELU": lambda: torch.nn.GELU(approximate="tanh" if p["approximate_tanh"] else "none"),
        "Sigmoid": lambda: torch.nn.Sigmoid(),
        "Tanh": lambda: torch.nn.Tanh(),
        "ELU": lambda: torch.nn.ELU(p["alpha"]),
        "SELU": lambda: torch.nn.SELU(),
        "SiLU": lambda: torch.nn.SiLU(),
        "Mish": lambda: torch.nn.Mish(),
        "Softplus": lambda: torch.nn.Softplus(p["beta"], p["threshold"]),
        "Hardtanh": lambda: torch.nn.Hardtanh(p["min_val"], p["max_val"]),
    }[c["name"]]()


for c in cases["activations"]:
    x = t(c["x"]).requires_grad_()
    y = activation_module(c)(x)
    y.backward(t(c["g"]))
    check(f"{c['name']}{c['params']} y", c["y"], y)
    check(f"{c['name']}{c['params']} dx", c["dx"], x.grad)

for c in cases["class_losses"]:
    x = t(c["input"], (c["batch"], c["classes"])).requires_grad_()
    target = t(c["target"]).long()
    kw = dict(weight=t(c["weight"]) if c["weight"] else None, ignore_index=c["ignore_index"], reduction=c["reduction"])
    if c["kind"] == "cross_entropy":
        loss = F.cross_entropy(x, target, label_smoothing=c["label_smoothing"], **kw)
    else:
        loss = F.nll_loss(x, target, **kw)
    loss.backward()
    name = f"{c['kind']} weight={bool(c['weight'])} ignore={c['ignore_index']} smoothing={c['label_smoothing']} {c['reduction']}"
    check(name + " value", [c["value"]], loss.reshape(1))
    check(name + " grad", c["grad"], x.grad)

for c in cases["elementwise_losses"]:
    shape = (-1, c["last_dim"])
    x = t(c["input"], shape).requires_grad_()
    target = t(c["target"], shape)
    if c["kind"] == "mse":
        loss = F.mse_loss(x, target, reduction=c["reduction"])
    elif c["kind"] == "l1":
        loss = F.l1_loss(x, target, reduction=c["reduction"])
    else:
        loss = F.binary_cross_entropy_with_logits(
            x, target, weight=t(c["weight"]) if c["weight"] else None,
            pos_weight=t(c["pos_weight"]) if c["pos_weight"] else None, reduction=c["reduction"])
    loss.backward()
    name = f"{c['kind']} weight={len(c['weight'])} pos_weight={len(c['pos_weight'])} {c['reduction']}"
    check(name + " value", [c["value"]], loss.reshape(1))
    check(name + " grad", c["grad"], x.grad)

for c in cases["softmax"]:
    x = t(c["x"], (c["outer"], c["n"], c["inner"])).requires_grad_()
    y = (torch.log_softmax if c["log"] else torch.softmax)(x, 1)
    y.backward(t(c["g"], (c["outer"], c["n"], c["inner"])))
    check(f"softmax log={c['log']} y", c["y"], y)
    check(f"softmax log={c['log']} dx", c["dx"], x.grad)

for c in cases["prelu"]:
    m = torch.nn.PReLU(len(c["weight"]))
    m.weight.data = t(c["weight"])
    x = t(c["x"], (c["outer"], c["channels"], c["inner"])).requires_grad_()
    y = m(x)
    y.backward(t(c["g"], (c["outer"], c["channels"], c["inner"])))
    check(f"prelu weights={len(c['weight'])} y", c["y"], y)
    check(f"prelu weights={len(c['weight'])} dx", c["dx"], x.grad)
    check(f"prelu weights={len(c['weight'])} dweight", c["dweight"], m.weight.grad)

for c in cases["layer_norm"]:
    m = torch.nn.LayerNorm(c["width"], eps=c["eps"])
    m.weight.data, m.bias.data = t(c["gamma"]), t(c["beta"])
    x = t(c["x"], (c["rows"], c["width"])).requires_grad_()
    y = m(x)
    y.backward(t(c["g"], (c["rows"], c["width"])))
    check("layer_norm y", c["y"], y)
    check("layer_norm dx", c["dx"], x.grad)
    check("layer_norm dgamma", c["dgamma"], m.weight.grad)
    check("layer_norm dbeta", c["dbeta"], m.bias.grad)

for c in cases["batch_norm"]:
    m = torch.nn.BatchNorm1d(c["c"], eps=c["eps"], momentum=c["momentum"])
    m.weight.data, m.bias.data = t(c["gamma"]), t(c["beta"])
    m.running_mean.data, m.running_var.data = t(c["running_mean0"]), t(c["running_var0"])
    if not c["batch_stats"]:
        m.eval()
    x = t(c["x"], (c["n"], c["c"])).requires_grad_()
    y = m(x)
    y.backward(t(c["g"], (c["n"], c["c"])))
    name = f"batch_norm batch_stats={c['batch_stats']}"
    check(name + " y", c["y"], y)
    check(name + " dx", c["dx"], x.grad)
    check(name + " dgamma", c["dgamma"], m.weight.grad)
    check(name + " dbeta", c["dbeta"], m.bias.grad)
    check(name + " running_mean", c["running_mean"], m.running_mean)
    check(name + " running_var", c["running_var"], m.running_var)

for c in cases["optimizers"]:
    p = torch.nn.Parameter(t(c["param0"]))
    o = c["options"]
    if c["kind"] == "sgd":
        opt = torch.optim.SGD([p], lr=o["lr"], momentum=o["momentum"], dampening=o["dampening"],
                              weight_decay=o["weight_decay"], nesterov=o["nesterov"], maximize=o["maximize"])
    else:
        kind = torch.optim.AdamW if o["decoupled_weight_decay"] else torch.optim.Adam
        opt = kind([p], lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"], weight_decay=o["weight_decay"],
                   amsgrad=o["amsgrad"], maximize=o["maximize"])
    for grad in c["grads"]:
        p.grad = t(grad)
        opt.step()
    check(f"{c['kind']} {o} param", c["param"], p)

total = sum(len(cases[k]) for k in cases)
print(f"{total} cases, {len(failures)} differ from PyTorch {torch.__version__}")
for f in failures:
    print("  " + f)
sys.exit(1 if failures else 0)
