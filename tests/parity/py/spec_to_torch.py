"""Builds a torch.nn.Module tree from an NN Studio model file (the reference for extra cases)."""
import collections
import torch
import torch.nn as nn

ACTIVATIONS = {"ReLU": nn.ReLU, "Sigmoid": nn.Sigmoid, "Tanh": nn.Tanh, "Identity": nn.Identity}


class Chain(nn.ModuleList):
    """A ModuleList looped in order, as the seed's `for block in self.blocks`."""

    def forward(self, x):
        for m in self:
            x = m(x)
        return x


class Residual(nn.Module):
    def __init__(self, body, projection_name, projection, after_add):
        super().__init__()
        self.body_names = [n for n, _ in body]
        for n, m in body:
            self.add_module(n, m)
        self.projection_name = projection_name
        if projection is not None:
            self.add_module(projection_name, projection)
        self.after_add = after_add

    def forward(self, x):
        out = x
        for n in self.body_names:
            out = getattr(self, n)(out)
        out = out + (getattr(self, self.projection_name)(x) if self.projection_name else x)
        return self.after_add(out) if self.after_add is not None else out


def present(node, flags):
    w = node.get("when")
    if not w:
        return True
    return not flags[w[1:]] if w.startswith("!") else flags[w]


def activation(name):
    """A Residual's after_add: the activation with PyTorch's default options."""
    return getattr(nn, name)()


def build(node, shape, flags):
    """Returns (module, output per-sample shape)."""
    t = node["type"]
    if t in ("Sequential", "ModuleList"):
        kids = [node["template"]] * node["repeat"] if "template" in node else node["children"]
        named, i = [], 0
        for c in kids:
            if not present(c, flags):
                continue
            name = c.get("name") or str(i)
            if not c.get("name"):
                i += 1
            m, shape = build(c, shape, flags)
            named.append((name, m))
        if t == "Sequential":
            return nn.Sequential(collections.OrderedDict(named)), shape
        return Chain([m for _, m in named]), shape
    if t == "Residual":
        body, i, s = [], 0, shape
        for c in node["children"]:
            if not present(c, flags):
                continue
            name = c.get("name") or str(i)
            if not c.get("name"):
                i += 1
            m, s = build(c, s, flags)
            body.append((name, m))
        proj_name, proj = None, None
        if "projection" in node:
            proj_name = node["projection"].get("name", "projection")
            proj = nn.Linear(shape[-1], s[-1], bias=node["projection"].get("bias", True))
            bn = node["projection"].get("batch_norm", False)
            if bn is not False:  # torchvision's downsample: nn.Sequential(projection, BatchNorm)
                opts = bn if isinstance(bn, dict) else {}
                proj = nn.Sequential(proj, build(dict(opts, type="BatchNorm1d"), s, flags)[0])
        after = activation(node["after_add"]) if node.get("after_add") else None
        return Residual(body, proj_name, proj, after), s
    if t == "Linear":
        out = list(shape)
        out[-1] = node["out_features"]
        return nn.Linear(shape[-1], node["out_features"], bias=node.get("bias", True)), out
    if t == "BatchNorm1d":
        return nn.BatchNorm1d(shape[0], eps=node.get("eps", 1e-5), momentum=node.get("momentum", 0.1),
                              affine=node.get("affine", True),
                              track_running_stats=node.get("track_running_stats", True)), shape
    if t == "Dropout":
        return nn.Dropout(node.get("p", 0.5)), shape
    if t == "LeakyReLU":
        return nn.LeakyReLU(node.get("negative_slope", 0.01)), shape
    if t == "GELU":
        return nn.GELU(approximate=node.get("approximate", "none")), shape
    if t == "Softmax":
        return nn.Softmax(dim=node.get("dim", -1)), shape
    if t == "LogSoftmax":
        return nn.LogSoftmax(dim=node.get("dim", -1)), shape
    if t == "ELU":
        return nn.ELU(alpha=node.get("alpha", 1.0)), shape
    if t in ("SELU", "SiLU", "Mish"):
        return getattr(nn, t)(), shape
    if t == "Softplus":
        return nn.Softplus(beta=node.get("beta", 1.0), threshold=node.get("threshold", 20.0)), shape
    if t == "Hardtanh":
        return nn.Hardtanh(min_val=node.get("min_val", -1.0), max_val=node.get("max_val", 1.0)), shape
    if t == "PReLU":
        return nn.PReLU(num_parameters=node.get("num_parameters", 1), init=node.get("init", 0.25)), shape
    if t == "LayerNorm":
        return nn.LayerNorm(node.get("normalized_shape", [shape[-1]]), eps=node.get("eps", 1e-5),
                            elementwise_affine=node.get("elementwise_affine", True)), shape
    if t == "Flatten":
        start, end = node.get("start_dim", 1), node.get("end_dim", -1)
        full = [1] + list(shape)
        m = nn.Flatten(start, end)
        return m, list(m(torch.zeros(full)).shape[1:])
    return ACTIVATIONS[t](), shape


def model_from_spec(spec, flags=None):
    values = dict(spec.get("flags", {}))
    values.update(flags or {})
    module, _ = build(spec["root"], spec["input"]["shape"], values)
    return module
