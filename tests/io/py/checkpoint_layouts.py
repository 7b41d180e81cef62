# Writes TinyNet's weights in the layouts users save them in, with PyTorch, plus the input and
# PyTorch's eval output; prints a JSON report of what PyTorch itself does with each file.
# TinyNet (tiny_net.json beside this script) is the model. Run by any Python with torch: Debian's
# 1.13 (tst_checkpoint_layouts) and the current PyPI release (tests/interop/pypi_reference.sh).
# Usage: checkpoint_layouts.py DIR
import collections, copy, json, sys
import torch
from torch import nn

d = sys.argv[1]
torch.manual_seed(0)
net = nn.Sequential(collections.OrderedDict(
    fc1=nn.Linear(4, 8), bn1=nn.BatchNorm1d(8), act=nn.ReLU(), fc2=nn.Linear(8, 3)))
net.train()
for _ in range(3):
    net(torch.randn(16, 4))  # running statistics and a counter that are not the defaults
net.eval()
x = torch.randn(5, 4)
torch.save(x, d + "/x.pth")
torch.save(net(x).detach(), d + "/y.pth")
sd = net.state_dict()

opt_net = copy.deepcopy(net)
opt = torch.optim.Adam(opt_net.parameters(), lr=1e-3)
opt_net(x).sum().backward()
opt.step()


class Wrap(nn.Module):  # the module nesting that gives each wrapper's prefix
    def __init__(self, name, m):
        super().__init__()
        self.add_module(name, m)


files = {
    "plain.pth": sd,
    # nn.DataParallel(net).state_dict(): every key under "module."
    "dp.pth": nn.DataParallel(net).state_dict(),
    # torch.compile's OptimizedModule keeps the model as _orig_mod (torch 2.x; the same nesting here)
    "compiled.pth": Wrap("_orig_mod", net).state_dict(),
    # PyTorch's tutorial recipe for a training checkpoint
    "checkpoint.pth": {"epoch": 5, "model_state_dict": sd, "optimizer_state_dict": opt.state_dict(), "loss": 0.42},
    # Lightning: the LightningModule holds the net as self.model; optimizer states in a list
    "lightning.ckpt": {"epoch": 3, "global_step": 120, "pytorch-lightning_version": "1.9.0",
                       "state_dict": Wrap("model", net).state_dict(),
                       "optimizer_states": [opt.state_dict()], "lr_schedulers": [],
                       "hyper_parameters": {"lr": 0.001, "hidden": [8, 3], "name": "tiny", "dropout": None}},
    # the weights are not the first entry, and sit two levels down under a DataParallel prefix
    "first_not_weights.pth": {"meta": {"author": "x", "tags": ("a", "b"), "ratio": 0.5, "done": True, "id": b"\x00\xff",
                                       "device": torch.device("cuda", 0), "size": torch.Size([2, 3]), "seen": {1, 2}},
                              "optimizer": opt.state_dict(),
                              "train_state": {"step": 7, "ema": nn.DataParallel(net).state_dict()}},
}
old = net.state_dict()  # BatchNorm state from before num_batches_tracked (metadata version 1)
del old["bn1.num_batches_tracked"]
old._metadata["bn1"]["version"] = 1
files["old_bn.pth"] = old
missing = net.state_dict()  # version 2 state without its counter: PyTorch refuses it
del missing["bn1.num_batches_tracked"]
files["missing_counter.pth"] = missing

report = {}
for name, obj in files.items():
    torch.save(obj, d + "/" + name)
    try:  # PyTorch 1.13's restricted loader lacks some opcodes (floats) that later ones read
        loaded = torch.load(d + "/" + name, weights_only=True)
        weights_only = True
    except Exception:
        loaded = torch.load(d + "/" + name, weights_only=False)  # torch >= 2.6 defaults to True
        weights_only = False
    m = copy.deepcopy(net)
    with torch.no_grad():
        for p in m.parameters():
            p.zero_()
    entry = {"weights_only": weights_only}
    try:
        inner = loaded
        for key in {"checkpoint.pth": ["model_state_dict"], "lightning.ckpt": ["state_dict"],
                    "first_not_weights.pth": ["train_state", "ema"]}.get(name, []):
            inner = inner[key]
        torch.nn.modules.utils.consume_prefix_in_state_dict_if_present(inner, "module.")
        torch.nn.modules.utils.consume_prefix_in_state_dict_if_present(inner, "_orig_mod.")
        torch.nn.modules.utils.consume_prefix_in_state_dict_if_present(inner, "model.")
        m.load_state_dict(inner, strict=True)
        entry["strict_load"] = "ok"
        entry["num_batches_tracked"] = int(m.bn1.num_batches_tracked)
        entry["max_abs_diff"] = float((m(x) - net(x)).abs().max())
    except RuntimeError as e:
        entry["strict_load"] = str(e).replace("\n", " ")
    report[name] = entry
print(json.dumps(report))


# A safetensors file as newer tools write it: TinyNet's weights plus tensors of dtypes PyTorch
# 1.13 has no type for (written byte by byte, as the safetensors crate lays them out).
def safetensors_bytes(tensors):  # name -> (code, shape, raw bytes)
    header, offset, data = {}, 0, b""
    for name, (code, shape, raw) in tensors.items():
        header[name] = {"dtype": code, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return len(text).to_bytes(8, "little") + text + data


codes = {torch.float32: "F32", torch.int64: "I64"}
mixed = {k: (codes[v.dtype], list(v.shape), v.contiguous().numpy().tobytes()) for k, v in sd.items()}
mixed["extra.scale_f8"] = ("F8_E4M3", [4], bytes([0x38, 0x7E, 0x01, 0xB8]))  # 1, 448, 2^-9, -1
mixed["extra.count_u32"] = ("U32", [2], (4000000000).to_bytes(4, "little") + (7).to_bytes(4, "little"))
mixed["extra.phase_c64"] = ("C64", [1], torch.tensor([1.5 - 2j], dtype=torch.complex64).numpy().tobytes())
with open(d + "/mixed_dtypes.safetensors", "wb") as f:
    f.write(safetensors_bytes(mixed))

# Every dtype torch.save of PyTorch 1.13 can hold, for round trips through convert.
torch.save({"f32": torch.tensor([1.5, -0.0]), "f64": torch.tensor([1e300], dtype=torch.float64),
            "f16": torch.tensor([65504.0], dtype=torch.float16), "bf16": torch.tensor([-5.0], dtype=torch.bfloat16),
            "i64": torch.tensor([-2**63]), "i32": torch.tensor([7], dtype=torch.int32),
            "i16": torch.tensor([-300], dtype=torch.int16), "i8": torch.tensor([-128], dtype=torch.int8),
            "u8": torch.tensor([255], dtype=torch.uint8), "b": torch.tensor([True, False]),
            "c64": torch.tensor([1 + 2j, -3.5j], dtype=torch.complex64),
            "c128": torch.tensor([[1e-300 + 1j]], dtype=torch.complex128)}, d + "/dtypes.pth")
