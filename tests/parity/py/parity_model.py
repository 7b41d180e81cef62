"""Reference run in real PyTorch for one model parity case.

argv: config.json case.pth ref.pth
config: {"spec": path, "flags": {...}, "seed_class": bool, "loss": {"name", "options"},
         "optimizer": {"name", "options"}, "scheduler": {"name", "options"} | null, "steps": N}
case.pth (written by NN Studio): w.<key> initial state_dict, x, y, mask.<step>.<dropout path>,
zero.<step>.<param> (1 where the gradient is float noise: zeroed before the step), f.<key> NN
Studio's final state_dict.
ref.pth (read by the C++ test): out_eval, out_train, loss.<step>, grad.<param>, final.<key>,
out_eval_after, and
out_eval.f64 / out_eval_after.f64 (the same forward passes in float64).
"""
import copy
import json
import sys

import torch
import torch.nn as nn

sys.path.insert(0, __import__("os").path.dirname(__file__))
from seed_models import SEED_CLASSES  # noqa: E402
from spec_to_torch import model_from_spec  # noqa: E402

LOSSES = {"CrossEntropyLoss": nn.CrossEntropyLoss, "NLLLoss": nn.NLLLoss, "MSELoss": nn.MSELoss,
          "L1Loss": nn.L1Loss, "BCEWithLogitsLoss": nn.BCEWithLogitsLoss}


def tensor_options(options):
    return {k: (torch.tensor(v) if isinstance(v, list) and k in ("weight", "pos_weight") else
                tuple(v) if isinstance(v, list) else v) for k, v in options.items()}


def float64_output(model, x):
    """The eval output computed in float64: the truth PyTorch's own float32 result is measured
    against, so the test can allow NN Studio the rounding error PyTorch itself makes."""
    return copy.deepcopy(model).double()(x.double())


def main():
    config = json.load(open(sys.argv[1]))
    case = torch.load(sys.argv[2])
    spec = json.load(open(config["spec"]))
    flags = dict(spec.get("flags", {}))
    flags.update(config.get("flags", {}))
    if config.get("seed_class"):
        model = SEED_CLASSES[spec["name"]](**flags)
    else:
        model = model_from_spec(spec, flags)
    weights = {k[2:]: v for k, v in case.items() if k.startswith("w.")}
    model.load_state_dict(weights, strict=True)

    state = {"step": 0}
    for name, m in model.named_modules():
        if isinstance(m, nn.Dropout):
            def forward(x, name=name, m=m):
                if not m.training:
                    return x
                return x * case[f"mask.{state['step']}.{name}"]
            m.forward = forward

    x = case["x"]
    loss_cfg = config["loss"]
    criterion = LOSSES[loss_cfg["name"]](**tensor_options(loss_cfg.get("options", {})))
    y = case["y"].long() if loss_cfg["name"] in ("CrossEntropyLoss", "NLLLoss") else case["y"]
    ref = {}
    model.eval()
    with torch.no_grad():
        ref["out_eval"] = model(x)
        ref["out_eval.f64"] = float64_output(model, x)
    model.train()
    opt_cfg = config["optimizer"]
    optimizer = getattr(torch.optim, opt_cfg["name"])(model.parameters(), **tensor_options(opt_cfg.get("options", {})))
    sched_cfg = config.get("scheduler")
    scheduler = getattr(torch.optim.lr_scheduler, sched_cfg["name"])(optimizer, **sched_cfg.get("options", {})) if sched_cfg else None
    for step in range(config["steps"]):
        state["step"] = step
        optimizer.zero_grad()
        out = model(x)
        loss = criterion(out, y)
        loss.backward()
        ref[f"loss.{step}"] = loss.detach().clone()
        if step == 0:
            ref["out_train"] = out.detach().clone()
            for name, p in model.named_parameters():
                ref[f"grad.{name}"] = p.grad.detach().clone()
        for name, p in model.named_parameters():
            noise = case.get(f"zero.{step}.{name}")
            if noise is not None:
                p.grad[noise.bool()] = 0.0
        optimizer.step()
        if scheduler:
            scheduler.step()
    for k, v in model.state_dict().items():
        ref[f"final.{k}"] = v.clone()
    model.load_state_dict({k[2:]: v for k, v in case.items() if k.startswith("f.")}, strict=True)
    model.eval()
    with torch.no_grad():
        ref["out_eval_after"] = model(x)
        ref["out_eval_after.f64"] = float64_output(model, x)
    torch.save(ref, sys.argv[3])


if __name__ == "__main__":
    main()
