"""The seed article's training example in PyTorch, on the same data and setup as
`nnstudio-cli train resources/models/deep_mlp.json`: Fashion-MNIST (Debian's IDX files, global
standardisation from the training split, 10% validation), DeepMLP with Kaiming-uniform init and
zero biases, Adam lr 1e-3, batch 128, 5 epochs, validation each epoch, test at the end.
Prints one JSON line: wall time, test accuracy, peak RSS (MB).

usage: /usr/bin/python3 fashion_mnist_pytorch.py [--epochs N] [--threads N]
"""
import argparse
import gzip
import json
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "parity", "py"))
from seed_models import DeepMLP  # noqa: E402

DIR = "/usr/share/datasets/fashion-mnist"


def idx(name, offset):
    with gzip.open(os.path.join(DIR, name)) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    t0 = time.perf_counter()
    x_train = torch.from_numpy(idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255)
    y_train = torch.from_numpy(idx("train-labels-idx1-ubyte.gz", 8).astype(np.int64))
    x_test = torch.from_numpy(idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255)
    y_test = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64))
    perm = torch.randperm(len(x_train))
    val_idx, train_idx = perm[:6000], perm[6000:]
    mean, std = x_train[train_idx].mean(), x_train[train_idx].std()
    x_train, x_test = (x_train - mean) / std, (x_test - mean) / std

    model = DeepMLP()

    def init_kaiming(m):
        if isinstance(m, nn.Linear):
            nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)

    model.apply(init_kaiming)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x_train[train_idx], y_train[train_idx]),
                                         batch_size=128, shuffle=True)

    def evaluate(x, y):
        model.eval()
        with torch.no_grad():
            out = model(x)
            return criterion(out, y).item(), (out.argmax(1) == y).float().mean().item()

    for epoch in range(args.epochs):
        model.train()
        for xb, yb in loader:
            optimizer.zero_grad()
            criterion(model(xb), yb).backward()
            optimizer.step()
        val_loss, val_acc = evaluate(x_train[val_idx], y_train[val_idx])
        print(f"epoch {epoch + 1}: val loss {val_loss:.4f} acc {val_acc:.4f}", file=sys.stderr)
    test_loss, test_acc = evaluate(x_test, y_test)
    wall = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"framework": f"pytorch {torch.__version__}", "threads": args.threads, "epochs": args.epochs,
                      "wall_time_s": wall, "test_accuracy": test_acc, "test_loss": test_loss, "peak_rss_mb": peak_mb}))


if __name__ == "__main__":
    main()
