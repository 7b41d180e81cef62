# PyTorch's side of training on the user's own terms (issue 11, cases 6-9): a small CSV, starting
# weights, and full-batch SGD + StepLR runs with MSELoss, L1Loss and BCEWithLogitsLoss on one-hot
# targets exactly as the exported train.py builds them (F.one_hot(y, C).to(out.dtype)); the final
# weights and the learning rate each epoch ran at. Also what PyTorch does with labels 1..C and
# with BatchNorm1d(track_running_stats=False) on one sample in eval mode.
# Usage: user_training.py DIR
import json, sys
import torch
import torch.nn.functional as F
from torch import nn

d = sys.argv[1]
torch.manual_seed(3)
n = 12
x = torch.randn(n, 4)
y = torch.arange(n) % 3
with open(d + "/data.csv", "w") as f:
    f.write("a,b,c,d,label\n")
    for row, label in zip(x.tolist(), y.tolist()):
        f.write(",".join(repr(v) for v in row) + f",{label}\n")
with open(d + "/one_based.csv", "w") as f:
    f.write("a,b,c,d,label\n")
    for row, label in zip(x.tolist(), y.tolist()):
        f.write(",".join(repr(v) for v in row) + f",{label + 1}\n")
start = nn.Sequential()
start.add_module("fc", nn.Linear(4, 3))
torch.save(start.state_dict(), d + "/start.pth")
x = torch.tensor([[float(repr(v)) for v in row] for row in x.tolist()])  # as the CSV holds them

report = {}
for loss_name in ["MSELoss", "L1Loss", "BCEWithLogitsLoss"]:
    net = nn.Sequential()
    net.add_module("fc", nn.Linear(4, 3))
    net.load_state_dict(torch.load(d + "/start.pth"))
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    loss_fn = getattr(nn, loss_name)()
    lrs = []
    for epoch in range(3):
        lrs.append(opt.param_groups[0]["lr"])  # the rate this epoch runs at
        opt.zero_grad()
        out = net(x)
        loss_fn(out, F.one_hot(y, out.shape[1]).to(out.dtype)).backward()
        opt.step()
        sched.step()
    torch.save(net.state_dict(), d + f"/expected_{loss_name}.pth")
    report[loss_name] = {"lrs": lrs}

try:  # labels 1..3 with 3 outputs
    nn.CrossEntropyLoss()(torch.zeros(n, 3), y + 1)
    report["one_based"] = "accepted"
except (IndexError, RuntimeError) as e:
    report["one_based"] = str(e)

bn = nn.BatchNorm1d(8, track_running_stats=False).eval()
try:
    bn(torch.randn(1, 8))
    report["bn_eval_single"] = "accepted"
except ValueError as e:
    report["bn_eval_single"] = str(e)
torch.save(torch.randn(1, 4), d + "/one_sample.pth")
print(json.dumps(report))
