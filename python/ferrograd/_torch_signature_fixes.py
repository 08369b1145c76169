"""Overloads PyTorch's parser lists otherwise than its stubs, which `_torch_signatures`
is generated from: these take the place of those entries, with the defaults its
messages print."""

_FACTORY = ("*out:NT=None *dtype:Nd=None *layout:NY=None *device:DN=None *pin_memory:Nb=False "
            "*requires_grad:Nb=False")


def _spaced(base: str) -> tuple[str, ...]:
    """`linspace`/`logspace`: each bound a 0-dim tensor or a Number, the tensors first."""
    return tuple(f"start:{start} end:{end} steps:i{base} {_FACTORY}"
                 for start, end in (("T", "T"), ("n", "T"), ("T", "n"), ("n", "n")))


SIGNATURES = {
    "eye": ("eye", (f"n:i {_FACTORY}", f"n:i m:i {_FACTORY}")),
    "linspace": ("linspace", _spaced("")),
    "logspace": ("logspace", _spaced(" base:f=10.0")),
}
