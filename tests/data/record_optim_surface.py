"""Writes tests/data/optim_surface_expected.py with PyTorch: `python tests/data/record_optim_surface.py`."""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import optim_surface_cases as cases

OPTIMIZERS = ["ASGD", "Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "LBFGS", "Muon", "NAdam",
              "RAdam", "RMSprop", "Rprop", "SGD", "SparseAdam"]


def main() -> None:
    p = [torch.nn.Parameter(torch.ones(2, 2))]
    values = {
        "ADAFACTOR": {k: cases.adafactor_trajectory(torch, v) for k, v in cases.ADAFACTOR.items()},
        "MUON": {k: cases.muon_trajectory(torch, *v) for k, v in cases.MUON.items()},
        "GROUP_KEYS": {n: list(getattr(torch.optim, n)(p).param_groups[0]) for n in OPTIMIZERS},
        "REPRS": {n: repr(getattr(torch.optim, n)(p)).replace("torch.", "") for n in OPTIMIZERS},
        "AVERAGED": {k: {n: v.tolist() for n, v in cases.averaged_model(torch, k).state_dict().items()}
                     for k in cases.AVERAGED},
        "UPDATE_BN": cases.update_bn_result(torch),
        "SWALR": {k: cases.swalr_sequence(torch, v) for k, v in cases.SWALR.items()},
        "OPTIM_NAMES": sorted(n for n in dir(torch.optim) if not n.startswith("_")),
        "SWA_NAMES": sorted(torch.optim.swa_utils.__all__),
        "INIT_NAMES": sorted(torch.nn.init.__all__),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim_surface_expected.py")
    with open(path, "w") as f:
        f.write(f'"""Recorded from PyTorch {torch.__version__} by record_optim_surface.py; do not edit."""\n\n')
        f.writelines(f"{name} = {value!r}\n" for name, value in values.items())


if __name__ == "__main__":
    main()
