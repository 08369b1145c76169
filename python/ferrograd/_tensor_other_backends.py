"""Tensor methods of devices, layouts and dtypes ferrograd does not have (XPU, IPU, MTIA,
quantized tensors, CUDA streams, the removed `reinforce`) and of nested tensors: each raises what a
CPU-only PyTorch raises for a dense CPU tensor, so ported code fails the same way.
`dequantize` of a dense tensor is PyTorch's cast to float32."""

from __future__ import annotations

from . import _core
from ._core import Tensor
from ._device_method_args import check_device_method

_QUANTIZED_ACCESSORS = ("int_repr", "q_scale", "q_zero_point", "q_per_channel_scales",
                        "q_per_channel_zero_points", "q_per_channel_axis", "qscheme")

__all__ = ["dequantize", "int_repr", "q_per_channel_axis", "q_per_channel_scales",
           "q_per_channel_zero_points", "q_scale", "q_zero_point"]

_REINFORCE_REMOVED = """reinforce() was removed.
Use torch.distributions instead.
See https://pytorch.org/docs/main/distributions.html

Instead of:

probs = policy_network(state)
action = probs.multinomial()
next_state, reward = env.step(action)
action.reinforce(reward)
action.backward()

Use:

probs = policy_network(state)
# NOTE: categorical is equivalent to what used to be called multinomial
m = torch.distributions.Categorical(probs)
action = m.sample()
next_state, reward = env.step(action)
loss = -m.log_prob(action) * reward
loss.backward()
"""


def _no_cpu_kernel(op: str, takes_nothing: bool = False):
    """The op without a CPU kernel; `takes_nothing`: as the Tensor method PyTorch binds
    without arguments, which Python refuses any argument of before the op runs."""

    def method(self: Tensor, *args, **kwargs):
        if takes_nothing and kwargs:
            raise TypeError(f"TensorBase.{op}() takes no keyword arguments")
        if takes_nothing and args:
            raise TypeError(f"TensorBase.{op}() takes no arguments ({len(args)} given)")
        raise NotImplementedError(
            f"Could not run 'aten::{op}' with arguments from the 'CPU' backend. This could be "
            "because the operator doesn't exist for this backend, or was omitted during the "
            "selective/custom build process (if using custom build)."
        )

    method.__name__ = method.__qualname__ = op
    method.__doc__ = f"PyTorch has no CPU kernel of `{op}` for a dense tensor: NotImplementedError."
    return method


def _to_padded_tensor(self: Tensor, padding: float, output_size=None) -> Tensor:
    """Nested tensors only (`ferrograd.nested`): PyTorch has no CPU kernel of
    `to_padded_tensor` for a dense tensor (NotImplementedError).

    Args:
        padding: the fill value.
        output_size: the size of the padded result.
    """
    from ._sparse_strided import no_kernel

    raise no_kernel("to_padded_tensor")


def _xpu(self: Tensor, *args, **kwargs) -> Tensor:
    """Raises: there is no XPU (PyTorch's AssertionError)."""
    check_device_method("xpu", args, kwargs)
    raise AssertionError("Torch not compiled with XPU enabled")


def _ipu(self: Tensor, *args, **kwargs) -> Tensor:
    """Raises: there is no IPU."""
    check_device_method("ipu", args, kwargs)
    raise RuntimeError("PyTorch is not linked with support for ipu devices")


def _mtia(self: Tensor, *args, **kwargs) -> Tensor:
    """Raises: there is no MTIA device (PyTorch's AssertionError)."""
    check_device_method("mtia", args, kwargs)
    raise AssertionError("Torch not compiled with MTIA enabled.")


def _reinforce(self: Tensor, reward) -> None:
    """Removed from PyTorch long ago: the RuntimeError points to torch.distributions.

    Args:
        reward: ignored.
    """
    raise RuntimeError(_REINFORCE_REMOVED)


def _record_stream(self: Tensor, s) -> None:
    """CUDA streams do not exist here; PyTorch's parser refuses any argument."""
    raise RuntimeError("unknown parameter type")


def dequantize(input: Tensor) -> Tensor:
    """A quantized tensor's float32 values; a dense tensor as float32.

    Args:
        input: the tensor (a dense one is returned itself when it is float32 already), or
            a list of quantized tensors (a tuple of their values returns).
    """
    if isinstance(input, (list, tuple)):  # PyTorch's list overload, which the CPU has no kernel for
        if not input:
            raise NotImplementedError(
                "There were no tensor arguments to this function (e.g., you passed an empty list of Tensors), but no "
                "fallback function is registered for schema aten::dequantize.")
        if all(getattr(t, "is_quantized", False) for t in input):
            return tuple(t.dequantize() for t in input)
        raise NotImplementedError("Could not run 'aten::dequantize.tensors' with arguments from the 'CPU' backend.")
    if input.is_quantized:
        return input.dequantize()
    return input if input.dtype == _core.float32 else input.to(_core.float32)


def _dequantize(self: Tensor) -> Tensor:
    return dequantize(self)


def install() -> None:
    T = Tensor
    for op in _QUANTIZED_ACCESSORS:
        setattr(T, op, _no_cpu_kernel(op, takes_nothing=True))
    T.to_padded_tensor = _to_padded_tensor
    T.xpu = _xpu
    T.ipu = _ipu
    T.mtia = _mtia
    T.reinforce = _reinforce
    T.record_stream = _record_stream
    T.dequantize = _dequantize


def _accessor(op: str):
    """The function form of a quantized tensor's accessor: the method for a quantized
    tensor, PyTorch's NotImplementedError for a dense one."""
    dense = _no_cpu_kernel(op)

    def function(input: Tensor) -> object:
        if getattr(input, "is_quantized", False):
            return getattr(input, op)()
        return dense(input)

    function.__name__ = function.__qualname__ = op
    function.__doc__ = (f"The `{op}` of a quantized tensor; PyTorch has no CPU kernel of it for a dense "
                        "tensor (NotImplementedError).\n\n    Args:\n        input: the quantized tensor.\n")
    return function


int_repr = _accessor("int_repr")
q_scale = _accessor("q_scale")
q_zero_point = _accessor("q_zero_point")
q_per_channel_scales = _accessor("q_per_channel_scales")
q_per_channel_zero_points = _accessor("q_per_channel_zero_points")
q_per_channel_axis = _accessor("q_per_channel_axis")
