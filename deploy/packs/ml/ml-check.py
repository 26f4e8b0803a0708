#!/usr/bin/env python3
"""The ML part of the pack check (deploy/packs/pack-check.sh): every module the pack promises imports,
and a tiny network learns for a few optimisation steps on the CPU, and on the GPU where one is bound.
The modules are the pack's own list (MEDFORGE_PACK_PYTHON_MODULES, set in its Dockerfile). Prints one
line per device; exits non-zero naming what failed."""
import importlib
import os
import sys


def fail(message):
    print(f"ml check FAILED: {message}", file=sys.stderr)
    sys.exit(1)


modules = os.environ.get("MEDFORGE_PACK_PYTHON_MODULES", "").split()
if not modules:
    fail("MEDFORGE_PACK_PYTHON_MODULES names no modules (set it in the pack's Dockerfile)")
versions = []
for name in modules:
    try:
        module = importlib.import_module(name)
    except Exception as error:  # any import failure, with its reason
        fail(f"import {name}: {type(error).__name__}: {error}")
    versions.append(f"{name} {getattr(module, '__version__', '?')}")
print("ml check: imports " + ", ".join(versions))

import torch  # noqa: E402 (after the import check names a missing torch plainly)


def train(device):
    torch.manual_seed(0)
    inputs = torch.randn(256, 16, device=device)
    targets = (inputs[:, :4].sum(dim=1, keepdim=True) > 0).float()
    model = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1)).to(device)
    optimiser = torch.optim.Adam(model.parameters(), lr=0.05)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    losses = []
    for _ in range(30):
        optimiser.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimiser.step()
        losses.append(loss.item())
    if not losses[-1] < losses[0] * 0.7:
        fail(f"on {device}: the loss did not fall ({losses[0]:.3f} -> {losses[-1]:.3f})")
    name = torch.cuda.get_device_name(0) if device == "cuda" else "cpu"
    print(f"ml check: {device} ({name}): loss {losses[0]:.3f} -> {losses[-1]:.3f} in {len(losses)} steps")


train("cpu")
if torch.cuda.is_available():
    train("cuda")
elif os.environ.get("MEDFORGE_REQUIRE_CUDA") == "1":
    fail(f"no CUDA device visible (torch {torch.__version__}, CUDA build {torch.version.cuda})")
else:
    print(f"ml check: no GPU here (torch {torch.__version__}, CUDA build {torch.version.cuda or 'none'})")
