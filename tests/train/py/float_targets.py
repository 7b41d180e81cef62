# PyTorch's side of training on float target columns (issue 11, "targets that fit the loss"): a
# regression CSV (targets y1, y2 between feature columns) trained full-batch with SGD and MSELoss /
# L1Loss, and a multi-label CSV (0/1 targets l1..l3) with BCEWithLogitsLoss; features normalised
# per feature over the training rows (population std, float64, as NN Studio does), targets as they
# are. Prints per epoch the train loss (full batch: the loss before the step) and, for multi-label,
# the share of entries whose sigmoid(logit) > 0.5 matches the target; saves the final weights.
# Usage: float_targets.py DIR
import json, sys
import torch
from torch import nn

d = sys.argv[1]
torch.manual_seed(11)
n = 16
x = torch.randn(n, 4)
w = torch.tensor([[0.5, -1.0, 2.0, 0.3], [1.5, 0.2, -0.7, 1.0]])
y = x @ w.T + 0.1 * torch.randn(n, 2) + torch.tensor([3.0, -2.0])  # regression targets, not in [0, 1]
labels = (torch.randn(n, 3) + x[:, :3] > 0).float()               # multi-label 0/1


def write(path, header, columns):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row in zip(*[c.tolist() for c in columns]):
            f.write(",".join(repr(v) if isinstance(v, float) else str(v) for v in row) + "\n")


# regression.csv: a, y1, b, c, y2, d
write(d + "/regression.csv", ["a", "y1", "b", "c", "y2", "d"], [x[:, 0], y[:, 0], x[:, 1], x[:, 2], y[:, 1], x[:, 3]])
# multilabel.csv: a, b, c, d, l1, l2, l3 (0/1 written as integers)
write(d + "/multilabel.csv", ["a", "b", "c", "d", "l1", "l2", "l3"],
      [x[:, 0], x[:, 1], x[:, 2], x[:, 3], labels[:, 0].int(), labels[:, 1].int(), labels[:, 2].int()])

for width in (2, 3):
    start = nn.Sequential()
    start.add_module("fc", nn.Linear(4, width))
    torch.save(start.state_dict(), d + f"/start{width}.pth")

x = torch.tensor([[float(repr(v)) for v in row] for row in x.tolist()])  # as the CSV holds them
y = torch.tensor([[float(repr(v)) for v in row] for row in y.tolist()])
xd = x.double()
mean = xd.mean(dim=0)
std = ((xd - mean) ** 2).mean(dim=0).sqrt().clamp_min(1e-8)
xn = (x - mean.float()) / std.float()

report = {}
for loss_name, target in [("MSELoss", y), ("L1Loss", y), ("BCEWithLogitsLoss", labels)]:
    width = target.shape[1]
    net = nn.Sequential()
    net.add_module("fc", nn.Linear(4, width))
    net.load_state_dict(torch.load(d + f"/start{width}.pth"))
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    loss_fn = getattr(nn, loss_name)()
    losses, accuracies = [], []
    for epoch in range(3):
        opt.zero_grad()
        out = net(xn)
        loss = loss_fn(out, target)
        losses.append(loss.item())
        accuracies.append(((out.detach() > 0) == (target > 0.5)).double().mean().item())
        loss.backward()
        opt.step()
    torch.save(net.state_dict(), d + f"/expected_{loss_name}.pth")
    report[loss_name] = {"losses": losses, "accuracies": accuracies}
print(json.dumps(report))
