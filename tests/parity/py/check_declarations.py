"""Checks the layer declarations against real PyTorch.

argv: cases.json. Each case: {"text": "nn.LayerNorm([4])", "state": [[name, shape], ...]}: the
declaration's constructor text must build in PyTorch, and the module's state_dict must have
exactly the declared names, in order, with the declared shapes. Prints one line per mismatch;
exits 1 if there is any.
"""
import json
import sys

import torch  # noqa: F401  (nn.* texts may name torch)
import torch.nn as nn

problems = []
for case in json.load(open(sys.argv[1])):
    try:
        module = eval(case["text"], {"nn": nn, "torch": torch})
    except Exception as e:  # noqa: BLE001
        problems.append(f"{case['text']}: does not build in PyTorch: {e}")
        continue
    actual = [[k, list(v.shape)] for k, v in module.state_dict().items()]
    if actual != case["state"]:
        problems.append(f"{case['text']}: PyTorch's state_dict {actual}, declared {case['state']}")
print("\n".join(problems), file=sys.stderr)
sys.exit(1 if problems else 0)
