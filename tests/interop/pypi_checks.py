# The checks of tests/interop/pypi_reference.sh, run by the venv's Python (the current PyPI torch
# and safetensors): files PyTorch writes in every checkpoint layout are read by nnstudio-cli, and
# files nnstudio-cli writes are read by torch.load(weights_only=True), load_state_dict(strict=True)
# and safetensors.torch.load_file, with identical tensors.
# Usage: pypi_checks.py NNSTUDIO_CLI SOURCE_DIR WORK_DIR
import collections, copy, io, json, os, shutil, subprocess, sys
import torch
from safetensors.torch import load_file, save as safetensors_save

cli, src, work = sys.argv[1:4]
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def run_cli(*args):
    r = subprocess.run([cli, *args], capture_output=True, text=True, timeout=300)
    return r.returncode, r.stdout + r.stderr


def same(a, b, ordered=True):  # name -> tensor dicts with the same keys (in order), dtypes, shapes and bits
    if (list(a) if ordered else sorted(a)) != (list(b) if ordered else sorted(b)):
        return "keys differ: %s vs %s" % (list(a), list(b))
    for k in a:
        x, y = a[k], b[k]
        if x.dtype != y.dtype or x.shape != y.shape:
            return "%s: %s %s vs %s %s" % (k, x.dtype, tuple(x.shape), y.dtype, tuple(y.shape))
        # bit patterns, so -0.0, NaN payloads and float8 codes compare exactly
        if not torch.equal(x.contiguous().reshape(-1).view(torch.uint8), y.contiguous().reshape(-1).view(torch.uint8)):
            return "%s: values differ" % k
    return ""


# 1. The layouts, written by this torch with the generator tst_checkpoint_layouts runs under 1.13.
gen = subprocess.run([sys.executable, os.path.join(src, "tests/io/py/checkpoint_layouts.py"), work],
                     capture_output=True, text=True, check=True)
report = json.loads(gen.stdout)
shutil.copy(os.path.join(src, "tests/io/py/tiny_net.json"), os.path.join(work, "tiny.json"))
model = os.path.join(work, "tiny.json")
x_path, y = os.path.join(work, "x.pth"), torch.load(os.path.join(work, "y.pth"), weights_only=True)
layouts = ["plain.pth", "dp.pth", "compiled.pth", "checkpoint.pth", "lightning.ckpt", "first_not_weights.pth",
           "old_bn.pth"]
prefixes = ["module.", "_orig_mod.", "model."]  # the wrappers' prefixes, removed as PyTorch's helper does
sd = torch.load(os.path.join(work, "plain.pth"), weights_only=True)
net = torch.nn.Sequential(collections.OrderedDict(  # TinyNet, as tiny_net.json declares it
    fc1=torch.nn.Linear(4, 8), bn1=torch.nn.BatchNorm1d(8), act=torch.nn.ReLU(), fc2=torch.nn.Linear(8, 3)))

for name in layouts:
    check(report[name]["strict_load"] == "ok", "torch %s loads %s strictly itself" % (torch.__version__, name))
    # nnstudio-cli reads it: forward equals this torch's eval forward
    out = os.path.join(work, "y_" + name + ".pth")
    code, text = run_cli("forward", model, "--weights", os.path.join(work, name), "--input", x_path, "--output", out)
    if code != 0:
        check(False, "forward --weights %s: %s" % (name, text.strip()))
        continue
    ours = torch.load(out, weights_only=True)
    check(torch.allclose(ours, y, rtol=1e-5, atol=1e-5),
          "forward --weights %s matches torch (max |diff| %.2g)" % (name, float((ours - y).abs().max())))
    # nnstudio-cli writes its weights: this torch and safetensors read them back, strictly
    for ext in (".pth", ".safetensors"):
        conv = os.path.join(work, "conv_" + name + ext)
        code, text = run_cli("convert", os.path.join(work, name), conv)
        if code != 0:
            check(False, "convert %s -> %s: %s" % (name, ext, text.strip()))
            continue
        try:
            loaded = torch.load(conv, weights_only=True) if ext == ".pth" else load_file(conv)
        except Exception as e:
            check(False, "convert %s -> %s: this torch/safetensors cannot read it: %s" % (name, ext, e))
            continue
        for p in prefixes:
            torch.nn.modules.utils.consume_prefix_in_state_dict_if_present(loaded, p)
        # old BatchNorm state has no num_batches_tracked: converting adds none
        expected = {k: v for k, v in sd.items() if k in loaded or name != "old_bn.pth"}
        diff = same(dict(loaded), expected, ordered=ext == ".pth")  # safetensors lists keys sorted
        check(diff == "", "convert %s -> %s: identical tensors %s" % (name, ext, diff))
        m = copy.deepcopy(net)
        try:
            m.load_state_dict(loaded, strict=True)
            m.eval()
            with torch.no_grad():
                diff = float((m(torch.load(x_path, weights_only=True)) - y).abs().max())
            check(diff == 0.0, "convert %s -> %s: load_state_dict(strict=True), forward diff %g" % (name, ext, diff))
        except Exception as e:
            check(False, "convert %s -> %s: load_state_dict(strict=True): %s" % (name, ext, str(e).replace("\n", " ")))

# 2. Every dtype this torch saves, through convert to .pth, and to .safetensors where the
# safetensors package itself can write the dtype (it has no code for complex128, complex32, ...).
def storable(make):  # the tensor, or None where this torch cannot make or save it
    try:
        t = make()
        torch.save(t, io.BytesIO())
        return t
    except Exception as e:
        print("note: %s" % str(e).split("\n")[0])
        return None


raw = torch.arange(6, dtype=torch.uint8) * 37 + 11  # bit patterns for the float8 types
candidates = {
    "f32": lambda: torch.tensor([1.5, -0.0]), "f64": lambda: torch.tensor([1e300], dtype=torch.float64),
    "f16": lambda: torch.tensor([65504.0], dtype=torch.float16),
    "bf16": lambda: torch.tensor([-5.0], dtype=torch.bfloat16), "i64": lambda: torch.tensor([-2**63]),
    "i32": lambda: torch.tensor([7], dtype=torch.int32), "i16": lambda: torch.tensor([-300], dtype=torch.int16),
    "i8": lambda: torch.tensor([-128], dtype=torch.int8), "u8": lambda: torch.tensor([255], dtype=torch.uint8),
    "b": lambda: torch.tensor([True, False]), "c64": lambda: torch.tensor([1 + 2j, -3.5j], dtype=torch.complex64),
    "c128": lambda: torch.tensor([[1e-300 + 1j]], dtype=torch.complex128),
    "c32": lambda: torch.tensor([1 - 1j], dtype=torch.complex32),
    "strided": lambda: torch.arange(12.0).reshape(3, 4).t(),  # a view: written contiguous
}
for name in ("float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e8m0fnu"):
    candidates[name] = lambda name=name: raw.view(getattr(torch, name)).reshape(2, 3)
for name, value in (("uint16", 65535), ("uint32", 4000000000), ("uint64", 2**64 - 1)):
    candidates[name] = lambda name=name, value=value: torch.tensor([value, 1], dtype=getattr(torch, name))
dtypes = {k: t for k, t in ((k, storable(f)) for k, f in candidates.items()) if t is not None}


def safetensors_writes(t):
    try:
        safetensors_save({"t": t.contiguous()})  # the package's own writer
        return True
    except Exception:
        return False


for ext in (".pth", ".safetensors"):
    keep = dtypes if ext == ".pth" else {k: v for k, v in dtypes.items() if safetensors_writes(v)}
    if ext == ".safetensors":
        print("note: the safetensors package writes no %s" % ", ".join(sorted(set(dtypes) - set(keep))))
    src_file = os.path.join(work, "dtypes_for" + ext + ".pth")
    torch.save(keep, src_file)
    conv = os.path.join(work, "all_dtypes_ours" + ext)
    code, text = run_cli("convert", src_file, conv)
    if code != 0:
        check(False, "convert every dtype -> %s: %s" % (ext, text.strip()))
        continue
    try:
        back = torch.load(conv, weights_only=True) if ext == ".pth" else load_file(conv)
    except Exception as e:
        check(False, "every dtype -> %s: this torch/safetensors cannot read ours: %s" % (ext, str(e).split("\n")[-3:]))
        continue
    diff = same({k: v.contiguous() for k, v in keep.items()}, dict(back), ordered=ext == ".pth")
    check(diff == "", "every dtype (%d: %s) round-trips through convert -> %s %s" % (len(keep), ", ".join(keep), ext, diff))

print("pypi_reference: %d failures" % len(failures))
sys.exit(1 if failures else 0)
