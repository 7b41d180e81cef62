"""NN Studio's CUDA backend against PyTorch on the same GPU, side by side in one run (issue 13).

For ShallowMLP, DeepMLP and ResidualNetwork at each batch size: `nnstudio-cli bench --device cuda --json`
(train step = forward, CrossEntropyLoss, backward, Adam step; with --cuda-graph as well when the CLI
offers it) and the same step in PyTorch, eager and captured whole as one CUDA graph (torch.cuda.graph,
Adam(capturable=True)), on random data resident on the GPU. Optionally a full Fashion-MNIST epoch of
DeepMLP (batch 256, Adam lr 1e-3, 10% held out as `nnstudio-cli train` does) on both.
Writes bench_cuda.md (Markdown table) and bench_cuda.json under --out, prints the table, and checks
the issue's targets at batch 256 (>= 10x PyTorch eager, >= 1.5x PyTorch with CUDA graphs); a missed
target is reported, not an error.

usage: python3 compare_pytorch_cuda.py CLI MODELS_DIR --out DIR [--batches 32 256 4096] [--steps N]
       [--fashion-mnist IDX_DIR]
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "parity", "py"))
from seed_models import DeepMLP, ResidualNetwork, ShallowMLP  # noqa: E402

MODELS = [("ShallowMLP", "shallow_mlp.json", ShallowMLP), ("DeepMLP", "deep_mlp.json", DeepMLP),
          ("ResidualNetwork", "residual_network.json", ResidualNetwork)]
DEV = torch.device("cuda")


def torch_step_setup(cls, batch, capturable):
    torch.manual_seed(0)
    model = cls().to(DEV).train()
    x = torch.randn(batch, 784, device=DEV)
    y = torch.randint(0, 10, (batch,), device=DEV)
    criterion = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, capturable=capturable)

    def step():
        opt.zero_grad(set_to_none=True)
        criterion(model(x), y).backward()
        opt.step()

    return step


def timed(run, steps, batch):
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(steps):
        run()
    torch.cuda.synchronize()
    return batch * steps / (time.perf_counter() - t0)


def torch_eager(cls, batch, steps):
    step = torch_step_setup(cls, batch, capturable=False)
    for _ in range(max(3, steps // 10)):
        step()
    return timed(step, steps, batch)


def torch_graph(cls, batch, steps):
    """Whole-step capture as in PyTorch's CUDA-graph documentation: warm up on a side stream, then
    capture forward, backward and the optimizer step, and replay."""
    step = torch_step_setup(cls, batch, capturable=True)
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            step()
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        step()
    for _ in range(3):
        graph.replay()
    return timed(graph.replay, steps, batch)


def ours(cli, model_file, batch, steps, graph):
    cmd = [cli, "bench", model_file, "--device", "cuda", "--batch-size", str(batch), "--steps", str(steps), "--json"]
    if graph:
        cmd.append("--cuda-graph")
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        return None, res.stderr.strip()[-400:]
    j = json.loads(res.stdout.strip().splitlines()[-1])
    if j.get("device", "cpu") == "cpu":
        return None, "fell back to the CPU: " + res.stderr.strip()[-400:]
    return j["train_samples_per_s"], res.stderr.strip()[-400:]


def cli_has_graph_option(cli):
    res = subprocess.run([cli, "bench", "--help"], capture_output=True, text=True)
    return "--cuda-graph" in res.stdout


def fashion_epoch_torch(idx_dir, batch):
    def idx(name, offset):
        with gzip.open(os.path.join(idx_dir, name)) as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset)

    images = idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255.0
    labels = idx("train-labels-idx1-ubyte.gz", 8).astype(np.int64)
    images = (images - images.mean()) / images.std()
    n_train = len(images) - len(images) // 10
    torch.manual_seed(0)
    x = torch.from_numpy(images[:n_train]).to(DEV)
    y = torch.from_numpy(labels[:n_train]).to(DEV)
    model = DeepMLP().to(DEV).train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    order = torch.randperm(n_train, device=DEV)
    for i in range(0, n_train, batch):
        sel = order[i:i + batch]
        opt.zero_grad(set_to_none=True)
        criterion(model(x[sel]), y[sel]).backward()
        opt.step()
    torch.cuda.synchronize()
    wall = time.perf_counter() - t0
    return {"wall_s": wall, "samples_per_s": n_train / wall, "train_samples": n_train}


def fashion_epoch_ours(cli, models_dir, idx_dir, batch, out_dir):
    report = os.path.join(out_dir, "fashion_mnist_nnstudio_cuda.json")
    env = dict(os.environ, NNSTUDIO_FASHION_MNIST_DIR=idx_dir)
    cmd = [cli, "train", os.path.join(models_dir, "deep_mlp.json"), "--data", "fashion-mnist", "--epochs", "1",
           "--batch-size", str(batch), "--device", "cuda", "--report", report]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if res.returncode != 0:
        return {"error": res.stderr.strip()[-600:]}
    with open(report) as f:
        r = json.load(f)
    r["process_wall_s"] = wall
    r["stderr_tail"] = res.stderr.strip()[-300:]
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("models_dir")
    ap.add_argument("--out", required=True)
    ap.add_argument("--batches", type=int, nargs="+", default=[32, 256, 4096])
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--fashion-mnist")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    print(f"PyTorch {torch.__version__} (CUDA {torch.version.cuda}) on {torch.cuda.get_device_name(0)}", flush=True)
    with_graph = cli_has_graph_option(args.cli)
    results = []
    header = ("| model | batch | NN Studio eager/s | NN Studio graph/s | PyTorch eager/s | PyTorch graph/s | "
              "vs eager | vs graph |")
    lines = [header, "|---|---|---|---|---|---|---|---|"]
    print("\n".join(lines), flush=True)
    for name, file, cls in MODELS:
        for batch in args.batches:
            steps = max(20, args.steps if batch <= 256 else args.steps // 4)
            oe, note_e = ours(args.cli, os.path.join(args.models_dir, file), batch, steps, False)
            og, note_g = ours(args.cli, os.path.join(args.models_dir, file), batch, steps, True) if with_graph \
                else (None, "bench has no --cuda-graph")
            pe = torch_eager(cls, batch, steps)
            pg = torch_graph(cls, batch, steps)
            best = max(v for v in (oe, og, 0.0) if v is not None)
            r = {"model": name, "batch": batch, "steps": steps, "nnstudio_eager": oe, "nnstudio_graph": og,
                 "torch_eager": pe, "torch_graph": pg, "vs_torch_eager": best / pe if best else None,
                 "vs_torch_graph": best / pg if best else None, "notes": [note_e, note_g]}
            results.append(r)

            def f(v):
                return "n/a" if v is None else f"{v:,.0f}"

            line = (f"| {name} | {batch} | {f(oe)} | {f(og)} | {f(pe)} | {f(pg)} | "
                    f"{(best / pe) if best else 0:.2f}x | {(best / pg) if best else 0:.2f}x |")
            lines.append(line)
            print(line, flush=True)
            if oe is None:
                print(f"   NN Studio eager: {note_e}", flush=True)
    summary = {"torch": torch.__version__, "gpu": torch.cuda.get_device_name(0), "bench": results}
    if args.fashion_mnist:
        summary["fashion_mnist_epoch_batch_256"] = {
            "nnstudio": fashion_epoch_ours(args.cli, args.models_dir, args.fashion_mnist, 256, args.out),
            "torch_eager": fashion_epoch_torch(args.fashion_mnist, 256)}
        print(json.dumps(summary["fashion_mnist_epoch_batch_256"], indent=1), flush=True)
    targets = [r for r in results if r["batch"] == 256]
    for r in targets:
        ok_e = (r["vs_torch_eager"] or 0) >= 10
        ok_g = (r["vs_torch_graph"] or 0) >= 1.5
        print(f"target {r['model']} batch 256: vs eager {(r['vs_torch_eager'] or 0):.2f}x (>= 10: {ok_e}), "
              f"vs graph {(r['vs_torch_graph'] or 0):.2f}x (>= 1.5: {ok_g})", flush=True)
    with open(os.path.join(args.out, "bench_cuda.md"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    with open(os.path.join(args.out, "bench_cuda.json"), "w") as fh:
        json.dump(summary, fh, indent=1)


if __name__ == "__main__":
    main()
