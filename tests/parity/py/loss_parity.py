# Computes PyTorch's loss value and dL/dinput (float32) for every case in a JSON file written by
# tst_loss_parity; prints [{"value": v, "grad": [...]}, ...] as JSON on stdout.
import json
import sys

import torch
import torch.nn.functional as F


def opt_tensor(opts, key):
    return torch.tensor(opts[key], dtype=torch.float32) if key in opts else None


def run(case):
    opts = case["options"]
    x = torch.tensor(case["input"], dtype=torch.float32).reshape(case["input_shape"]).requires_grad_(True)
    t = torch.tensor(case["target"], dtype=torch.float32).reshape(case["target_shape"])
    reduction = opts.get("reduction", "mean")
    name = case["loss"]
    if name == "CrossEntropyLoss":
        loss = F.cross_entropy(x, t.long(), weight=opt_tensor(opts, "weight"),
                               ignore_index=opts.get("ignore_index", -100), reduction=reduction,
                               label_smoothing=opts.get("label_smoothing", 0.0))
    elif name == "NLLLoss":
        loss = F.nll_loss(x, t.long(), weight=opt_tensor(opts, "weight"),
                          ignore_index=opts.get("ignore_index", -100), reduction=reduction)
    elif name == "MSELoss":
        loss = F.mse_loss(x, t, reduction=reduction)
    elif name == "L1Loss":
        loss = F.l1_loss(x, t, reduction=reduction)
    elif name == "BCEWithLogitsLoss":
        loss = F.binary_cross_entropy_with_logits(x, t, weight=opt_tensor(opts, "weight"),
                                                  pos_weight=opt_tensor(opts, "pos_weight"),
                                                  reduction=reduction)
    else:
        raise ValueError("unknown loss " + name)
    loss.backward()
    return {"value": loss.item(), "grad": x.grad.reshape(-1).tolist()}


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    json.dump([run(c) for c in cases], sys.stdout)


if __name__ == "__main__":
    main()
