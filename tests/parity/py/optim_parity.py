# Runs torch.optim (SGD/Adam/AdamW, optionally with StepLR/CosineAnnealingLR) on the parameters and
# gradient sequence in a JSON file written by tst_optim_parity; prints, per config, the parameters
# and the lr after every step as JSON on stdout.
import json
import sys

import torch


def make_optimizer(name, params, o):
    if name == "SGD":
        return torch.optim.SGD(params, lr=o["lr"], momentum=o.get("momentum", 0), dampening=o.get("dampening", 0),
                               weight_decay=o.get("weight_decay", 0), nesterov=o.get("nesterov", False),
                               maximize=o.get("maximize", False))
    cls = {"Adam": torch.optim.Adam, "AdamW": torch.optim.AdamW}[name]
    kwargs = {k: o[k] for k in ("lr", "eps", "weight_decay", "amsgrad", "maximize") if k in o}
    if "betas" in o:
        kwargs["betas"] = tuple(o["betas"])
    return cls(params, **kwargs)


def make_scheduler(name, opt, o):
    if name is None:
        return None
    if name == "StepLR":
        return torch.optim.lr_scheduler.StepLR(opt, step_size=o["step_size"], gamma=o.get("gamma", 0.1))
    if name == "CosineAnnealingLR":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=o["T_max"], eta_min=o.get("eta_min", 0))
    raise ValueError("unknown scheduler " + name)


def run(config, init, grads):
    params = [torch.nn.Parameter(torch.tensor(p["values"], dtype=torch.float32).reshape(p["shape"])) for p in init]
    opt = make_optimizer(config["optimizer"], params, config["options"])
    sched = make_scheduler(config.get("scheduler"), opt, config.get("scheduler_options", {}))
    out_params, out_lrs = [], []
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = None if g is None else torch.tensor(g, dtype=torch.float32).reshape(p.shape)
        opt.step()
        if sched is not None:
            sched.step()
        out_params.append([p.detach().reshape(-1).tolist() for p in params])
        out_lrs.append(opt.param_groups[0]["lr"])
    return {"params": out_params, "lrs": out_lrs}


def main():
    with open(sys.argv[1]) as f:
        req = json.load(f)
    json.dump([run(c, req["params"], req["grads"]) for c in req["configs"]], sys.stdout)


if __name__ == "__main__":
    main()
