"""Sizes no machine can hold raise PyTorch's RuntimeError instead of ending the process.

Rust aborts the process when an allocation fails, so every size a user can ask for is
checked before the allocator sees it. The calls run in a child interpreter: a regression
then fails these tests instead of killing the test session.
"""

import functools
import subprocess
import sys
import textwrap

import pytest
from backend import MOD

HUGE = 2**40

# name -> the call, with `fg`, `F`, `x` (3 ones), `seq` (1x1x8) and `img` (1x1x4x4) in scope
CASES = {
    "randperm": "fg.randperm(B)",
    "arange": "fg.arange(B)",
    "linspace": "fg.linspace(0, 1, B)",
    "logspace": "fg.logspace(0, 1, B)",
    "rand": "fg.rand(B)",
    "randn": "fg.randn(B)",
    "randint": "fg.randint(0, 5, (B,))",
    "zeros": "fg.zeros(B, 8)",
    "repeat": "x.repeat(B)",
    "tile": "x.tile(B)",
    "repeat_interleave": "x.repeat_interleave(B)",
    "expand_contiguous": "x.expand(B, 3).contiguous()",
    "expand_add": "x.expand(B, 3) + 1",
    "broadcast_mul": "x.expand(B, 3) * x",
    "as_strided_contiguous": "x.as_strided((B,), (0,)).contiguous()",
    "one_hot": "F.one_hot(fg.tensor([1, 0]), B)",
    "multinomial": "fg.multinomial(fg.ones(3), B, True)",
    "pad_replicate": "F.pad(seq, (0, B), mode='replicate')",
    "interpolate": "F.interpolate(img, size=(B, 2))",
    "upsample": "fg.nn.Upsample(scale_factor=B)(seq)",
    "hann_window": "fg.hann_window(B)",
    "bartlett_window": "fg.bartlett_window(B)",
    "mvlgamma": "fg.mvlgamma(x + 10, B)",
    "tensor_split": "x.tensor_split(B)",
    "conv1d_padding": "F.conv1d(seq, fg.ones(1, 1, 1), padding=B)",
    "adaptive_avg_pool1d": "F.adaptive_avg_pool1d(seq, B)",
    "adaptive_max_pool1d": "F.adaptive_max_pool1d(seq, B)",
}

CHILD = """
import warnings
warnings.filterwarnings("ignore")
import {mod} as fg
F = fg.nn.functional
B = {huge}
x = fg.ones(3)
seq = fg.ones(1, 1, 8)
img = fg.ones(1, 1, 4, 4)
for name, call in {cases!r}.items():
    print(name, end=" ", flush=True)
    try:
        eval(call)
        print("returned", flush=True)
    except Exception as e:
        print(type(e).__name__, flush=True)
print("survived")
"""


@functools.cache
def outcomes() -> dict[str, str]:
    code = CHILD.format(mod=MOD, huge=HUGE, cases=CASES)
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=600, check=False)
    lines = done.stdout.splitlines()
    results = dict(line.split(" ", 1) for line in lines if " " in line)
    results["<exit>"] = f"{done.returncode} {done.stderr[-400:]}"
    results["<survived>"] = str(bool(lines) and lines[-1] == "survived")
    return results


def test_the_process_survives_every_huge_request():
    got = outcomes()
    assert got["<survived>"] == "True", got["<exit>"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_huge_request_raises_runtime_error(name):
    got = outcomes()
    assert got.get(name) == "RuntimeError", (name, got.get(name), got["<exit>"])


def test_the_message_names_the_bytes_asked_for():
    code = f"""
import {MOD} as fg
try:
    fg.arange({HUGE})
except RuntimeError as e:
    print(e)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=False).stdout
    # int64 elements: 8 bytes each
    assert f"you tried to allocate {HUGE * 8} bytes" in out, out


def _nested(depth, leaf, wrap=list):
    value = leaf
    for _ in range(depth):
        value = wrap([value])
    return value


@pytest.mark.parametrize(("wrap", "leaf", "name"), [
    (list, [1.0], "list"), (tuple, [1.0], "list"), (list, (1.0,), "tuple"), (list, [1], "list"), (list, [], "list"),
])
def test_sequences_nested_past_128_levels_raise_value_error(wrap, leaf, name):
    from backend import fg

    with pytest.raises(ValueError, match=f"too many dimensions '{name}'"):
        fg.tensor(_nested(128, leaf, wrap))
    with pytest.raises(ValueError, match="too many dimensions"):
        fg.tensor(_nested(100_000, leaf, wrap))


def test_128_levels_of_nesting_are_read():
    from backend import fg

    assert fg.tensor(_nested(127, [2.5])).dim() == 128
