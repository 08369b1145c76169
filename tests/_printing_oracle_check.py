"""Compare ferrograd._printing against real PyTorch reprs on random tensors.

Not collected by pytest (no ``test_`` prefix). Run with ``python
tests/_printing_oracle_check.py [COUNT] [SEED]`` in an environment where torch is
installed; prints the mismatch count (and the first few mismatches) and exits
non-zero when any mismatch is found.
"""

from __future__ import annotations

import difflib
import importlib.util
import math
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

try:
    import torch
except ImportError:  # pragma: no cover - depends on the environment
    torch = None

PRINTING_PATH = Path(__file__).resolve().parents[1] / "python" / "ferrograd" / "_printing.py"
MISMATCHES_TO_SHOW = 5

DTYPE_NAMES = [
    "float32",
    "float64",
    "float16",
    "bfloat16",
    "int64",
    "int32",
    "int16",
    "int8",
    "uint8",
    "bool",
]
INTEGER_RANGES = {
    "int64": (-(2**62), 2**62),
    "int32": (-(2**31), 2**31 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "int8": (-128, 127),
    "uint8": (0, 255),
}
# Values at or near the switches between fixed, integral and scientific notation,
# plus subnormals and the largest finite values of the narrow float formats.
BOUNDARY_VALUES = np.array(
    [
        1.0,
        1000.0,
        1000.0001,
        1.0e8,
        1.00000001e8,
        1.0e-4,
        0.99999e-4,
        0.5,
        0.05,
        99999.5,
        65504.0,
        3.0e38,
        1.0e-45,
        5.0e-324,
        2.0**53,
        2.0**53 + 2,
        0.00005,
        0.00015,
        9.99995,
    ]
)
GRAD_OPS: list[tuple[str, Callable[[Any], Any]]] = [
    ("mul", lambda t: t * 1),
    ("add", lambda t: t + 0),
    ("neg", lambda t: -t),
    ("clone", lambda t: t.clone()),
]


def load_printing() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ferrograd_printing", PRINTING_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while executing
    spec.loader.exec_module(module)
    return module


@dataclass
class Case:
    dtype_name: str
    shape: tuple[int, ...]
    values: np.ndarray
    autograd: str  # "none" | "requires_grad" | "grad_fn" | "parameter" | "frozen_parameter"
    default_dtype_name: str
    options: dict[str, Any] = field(default_factory=dict)


def random_shape(rng: random.Random) -> tuple[int, ...]:
    ndim = rng.choice([0, 1, 1, 2, 2, 3, 4])
    big = rng.random() < 0.15
    dims: list[int] = []
    for _ in range(ndim):
        if rng.random() < 0.07:
            dims.append(0)
        elif big:
            dims.append(rng.randint(1, 60 if ndim <= 2 else 14))
        else:
            dims.append(rng.randint(1, 7))
    if ndim == 1 and big and rng.random() < 0.5:
        dims[0] = rng.randint(900, 2500)
    return tuple(dims)


def random_float_values(rng: random.Random, nprng: np.random.Generator, size: int) -> np.ndarray:
    style = rng.choice(
        ["normal", "wide", "integral", "tiny", "huge", "mixed", "const", "few", "boundary"]
    )
    if style == "normal":
        values = nprng.standard_normal(size) * 10 ** rng.randint(-3, 4)
    elif style == "wide":
        values = nprng.standard_normal(size) * 10.0 ** nprng.integers(-12, 12, size)
    elif style == "integral":
        values = np.round(nprng.standard_normal(size) * 10 ** rng.randint(0, 9))
    elif style == "tiny":
        values = nprng.standard_normal(size) * 10.0 ** rng.randint(-40, -4)
    elif style == "huge":
        values = nprng.standard_normal(size) * 10.0 ** rng.randint(8, 40)
    elif style == "const":
        values = np.full(size, rng.choice([0.0, -0.0, 1.0, 4.5, 1e-5, 1e9, 27.0, -3.0]))
    elif style == "few":
        values = nprng.choice([0.0, -0.0, 1.0, 0.5, 100.0, -7.25], size)
    elif style == "boundary":
        values = nprng.choice(BOUNDARY_VALUES, size) * rng.choice([1.0, -1.0])
    else:
        values = nprng.standard_normal(size) * 10 ** rng.randint(-2, 3)
    values = np.asarray(values, dtype=np.float64)
    if size and rng.random() < 0.35:
        specials = np.array([math.nan, math.inf, -math.inf, -0.0, 0.0])
        mask = nprng.random(size) < rng.choice([0.05, 0.3, 1.0])
        values[mask] = nprng.choice(specials, int(mask.sum()))
    return values


def random_values(
    rng: random.Random, nprng: np.random.Generator, dtype_name: str, size: int
) -> np.ndarray:
    if dtype_name == "bool":
        return nprng.random(size) < rng.random()
    if dtype_name in INTEGER_RANGES:
        low, high = INTEGER_RANGES[dtype_name]
        if rng.random() < 0.5:
            scale = 10 ** rng.randint(0, 5)
            low, high = max(low, -scale), min(high, scale)
        return nprng.integers(low, high, size, endpoint=True, dtype=np.int64)
    return random_float_values(rng, nprng, size)


def random_options(rng: random.Random) -> dict[str, Any]:
    if rng.random() < 0.6:
        return {}
    options: dict[str, Any] = {}
    if rng.random() < 0.2:
        options["profile"] = rng.choice(["default", "short", "full"])
    if rng.random() < 0.3:
        options["precision"] = rng.randint(0, 8)
    if rng.random() < 0.3:
        options["threshold"] = rng.choice([0, 5, 10, 50, 200, math.inf])
    if rng.random() < 0.3:
        options["edgeitems"] = rng.choice([0, 1, 2, 3, 5])
    if rng.random() < 0.3:
        options["linewidth"] = rng.choice([10, 40, 60, 120, 200])
    if rng.random() < 0.3:
        options["sci_mode"] = rng.choice([True, False, None])
    return options


def random_case(rng: random.Random, nprng: np.random.Generator) -> Case:
    dtype_name = rng.choice(DTYPE_NAMES)
    shape = random_shape(rng)
    size = math.prod(shape)
    values = random_values(rng, nprng, dtype_name, size)
    autograd = "none"
    if dtype_name in {"float32", "float64", "float16", "bfloat16"}:
        autograd = rng.choice(
            ["none", "none", "requires_grad", "grad_fn", "parameter", "frozen_parameter"]
        )
    default_dtype_name = "float64" if rng.random() < 0.2 else "float32"
    return Case(dtype_name, shape, values, autograd, default_dtype_name, random_options(rng))


def build_torch_tensor(case: Case) -> tuple[Any, str | None]:
    dtype = getattr(torch, case.dtype_name)
    if case.dtype_name in INTEGER_RANGES or case.dtype_name == "bool":
        tensor = torch.tensor(case.values.reshape(case.shape)).to(dtype)
    else:
        tensor = torch.tensor(case.values.reshape(case.shape), dtype=torch.float64).to(dtype)
    if case.autograd == "requires_grad":
        return tensor.requires_grad_(), None
    if case.autograd == "grad_fn":
        _, op = GRAD_OPS[sum(case.shape) % len(GRAD_OPS)]
        result = op(tensor.requires_grad_())
        return result, type(result.grad_fn).__name__
    if case.autograd == "parameter":
        return torch.nn.Parameter(tensor), None
    if case.autograd == "frozen_parameter":
        return torch.nn.Parameter(tensor, requires_grad=False), None
    return tensor, None


def torch_values_as_numpy(tensor: Any, dtype_name: str) -> np.ndarray:
    detached = tensor.detach()
    if dtype_name == "bfloat16":
        detached = detached.float()
    return detached.numpy()


def expected_repr(tensor: Any) -> str:
    return repr(tensor).replace("torch.", "ferrograd.")


def actual_repr(printing: ModuleType, case: Case, tensor: Any, grad_fn: str | None) -> str:
    values = torch_values_as_numpy(tensor, case.dtype_name)
    if case.autograd in {"parameter", "frozen_parameter"}:
        return printing.format_parameter(
            values,
            case.dtype_name,
            requires_grad=case.autograd == "parameter",
            default_dtype_name=case.default_dtype_name,
        )
    return printing.format_tensor(
        values,
        case.dtype_name,
        grad_fn=grad_fn,
        requires_grad=case.autograd == "requires_grad",
        default_dtype_name=case.default_dtype_name,
    )


def check_case(printing: ModuleType, case: Case) -> tuple[str, str]:
    torch.set_default_dtype(getattr(torch, case.default_dtype_name))
    tensor, grad_fn = build_torch_tensor(case)
    torch.set_printoptions(profile="default")
    printing.set_printoptions(profile="default")
    with torch._tensor_str.printoptions(**case.options):
        expected = expected_repr(tensor)
    with printing.printoptions(**case.options):
        actual = actual_repr(printing, case, tensor, grad_fn)
    torch.set_default_dtype(torch.float32)
    return expected, actual


def run(count: int, seed: int) -> int:
    printing = load_printing()
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    mismatches = 0
    for index in range(count):
        case = random_case(rng, nprng)
        expected, actual = check_case(printing, case)
        if expected != actual:
            mismatches += 1
            if mismatches <= MISMATCHES_TO_SHOW:
                print(
                    f"--- mismatch #{mismatches} (case {index}): {case.dtype_name} "
                    f"{case.shape} {case.autograd} default={case.default_dtype_name} "
                    f"options={case.options}"
                )
                diff = difflib.unified_diff(
                    expected.splitlines(), actual.splitlines(), "torch", "ferrograd", lineterm=""
                )
                print("\n".join(diff))
    print(f"checked {count} random tensors, mismatches: {mismatches}")
    return mismatches


def main() -> int:
    if torch is None:
        print("torch is not importable; nothing to compare against")
        return 0
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    return 1 if run(count, seed) else 0


if __name__ == "__main__":
    sys.exit(main())
