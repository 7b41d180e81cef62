"""Imports a generated model.py, loads NN Studio's weights with strict=True, runs eval forward.

argv: model.py ClassName flags.json weights.pth input.pth out.pth
"""
import importlib.util
import json
import sys

import torch

spec = importlib.util.spec_from_file_location("generated_model", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
model = getattr(module, sys.argv[2])(**json.load(open(sys.argv[3])))
model.load_state_dict(torch.load(sys.argv[4], weights_only=True) if "weights_only" in torch.load.__code__.co_varnames
                      else torch.load(sys.argv[4]), strict=True)
model.eval()
with torch.no_grad():
    torch.save(model(torch.load(sys.argv[5])), sys.argv[6])
