"""Benchmarks NN Studio against PyTorch on this machine, side by side in one run.

For each model and batch size: `nnstudio-cli bench --json` (train step = forward, CrossEntropyLoss,
backward, Adam step; inference = eval forward without gradients; best of 2 runs) and the same work
in PyTorch (Debian's python3-torch), taking PyTorch's best of 1 and 2 threads. Prints samples/s and the
ratio NN Studio / PyTorch, and optionally writes the table as Markdown.

usage: /usr/bin/python3 compare_pytorch.py CLI MODELS_DIR [--steps N] [--markdown OUT.md]
       [--min-train-ratio R]   (exit 1 when any training ratio is below R)
"""
import argparse
import json
import os
import subprocess
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "parity", "py"))
from seed_models import DeepMLP, ResidualNetwork, ShallowMLP  # noqa: E402

MODELS = [("ShallowMLP", "shallow_mlp.json", ShallowMLP), ("DeepMLP", "deep_mlp.json", DeepMLP),
          ("ResidualNetwork", "residual_network.json", ResidualNetwork)]
BATCHES = [32, 128, 512]


def torch_rates(cls, batch, steps, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = cls()
    x = torch.randn(batch, 784)
    y = torch.randint(0, 10, (batch,))
    criterion = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        criterion(model(x), y).backward()
        opt.step()

    model.train()
    warmup = max(3, steps // 10)
    for _ in range(warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    train = batch * steps / (time.perf_counter() - t0)
    model.eval()
    with torch.no_grad():
        for _ in range(warmup):
            model(x)
        t0 = time.perf_counter()
        for _ in range(steps):
            model(x)
        infer = batch * steps / (time.perf_counter() - t0)
    return train, infer


def warm_up_pytorch():
    """Runs every model once at the largest batch before anything is measured. PyTorch's CPU
    allocator frees big tensors back to glibc, whose dynamic mmap threshold only rises after a
    large block was freed: until then every step maps and faults in fresh pages. Measured here,
    ResidualNetwork at batch 128 ran 11k samples/s in a fresh process and 20k after a larger
    model had run, so without this warm-up the comparison would flatter NN Studio."""
    for _, _, cls in MODELS:
        for threads in (1, 2):
            torch_rates(cls, max(BATCHES), 3, threads)


def ours(cli, model_file, batch, steps):
    out = subprocess.run([cli, "bench", model_file, "--batch-size", str(batch), "--steps", str(steps), "--json"],
                         check=True, capture_output=True, text=True).stdout
    j = json.loads(out.strip().splitlines()[-1])
    return j["train_samples_per_s"], j["infer_samples_per_s"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("models_dir")
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--markdown")
    ap.add_argument("--min-train-ratio", type=float, default=0.0)
    args = ap.parse_args()
    warm_up_pytorch()
    rows = []
    header = ("| model | batch | NN Studio train/s | PyTorch train/s | train ratio | NN Studio infer/s | "
              "PyTorch infer/s | infer ratio |")
    print(header)
    print("|---|---|---|---|---|---|---|---|")
    worst = float("inf")
    for name, file, cls in MODELS:
        for batch in BATCHES:
            runs = [ours(args.cli, os.path.join(args.models_dir, file), batch, args.steps) for _ in range(2)]
            ot, oi = max(r[0] for r in runs), max(r[1] for r in runs)
            best = [torch_rates(cls, batch, args.steps, t) for t in (1, 2)]
            pt, pi = max(b[0] for b in best), max(b[1] for b in best)
            worst = min(worst, ot / pt)
            row = (f"| {name} | {batch} | {ot:,.0f} | {pt:,.0f} | {ot / pt:.2f}x | {oi:,.0f} | {pi:,.0f} | "
                   f"{oi / pi:.2f}x |")
            rows.append(row)
            print(row, flush=True)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(header + "\n|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n")
    print(f"worst training ratio: {worst:.2f}x (PyTorch {torch.__version__}, best of 1 and 2 threads)")
    if worst < args.min_train_ratio:
        print(f"FAIL: a training ratio is below {args.min_train_ratio}x", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
