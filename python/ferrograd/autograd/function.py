"""Custom differentiable operations: `Function`, its context, `once_differentiable`.

`MyFn.apply(*args)` runs `MyFn.forward` without recording, then records one node whose
backward calls `MyFn.backward`. The context object of the call is the node's grad_fn,
an instance of the class `MyFnBackward`, as in PyTorch.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from typing import Any

from .. import _core
from .._backward_python_errors import remembering
from .._core import Tensor
from .._grad_mode import no_grad

__all__ = [
    "BackwardCFunction",
    "Function",
    "FunctionCtx",
    "InplaceFunction",
    "once_differentiable",
]

_FunctionBase = _core._FunctionBase


class FunctionCtx:
    """What `forward` (or `setup_context`) tells `backward` through `ctx`."""

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    f"save_for_backward can only save variables, but argument {i} is of type "
                    f"{type(t).__name__}"
                )
        self.to_save = tensors

    def save_for_forward(self, *tensors: Tensor | None) -> None:
        self.saved_for_forward = tensors

    def mark_dirty(self, *args: Tensor) -> None:
        self.dirty_tensors = args

    def mark_shared_storage(self, *pairs: Any) -> None:
        warnings.warn(
            "mark_shared_storage is deprecated. Tensors with shared storages are automatically "
            "tracked. Note that calls to `set_()` are not tracked",
            DeprecationWarning,
            stacklevel=2,
        )

    def mark_non_differentiable(self, *args: Tensor) -> None:
        self.non_differentiable = args

    def set_materialize_grads(self, value: bool) -> None:
        self.materialize_grads = value


def _without_non_diff_grads(grads: tuple, non_diff: tuple) -> tuple:
    """`ctx._materialize_non_diff_grads = False`: the non-differentiable outputs' gradients
    (zeros the engine made up) reach backward as None."""
    return tuple(None if i in non_diff else g for i, g in enumerate(grads))


def _refuse_complex_grad_of_real(node: Any, position: int) -> None:
    """PyTorch's engine error for a complex gradient of a real forward input."""
    edge = position - sum(not t for t in node._ferro_arg_is_tensor[:position])
    next_node, nr = node.next_functions[edge]
    if next_node is None:
        return
    try:
        dtype = _core._node_input_metadata(next_node)[nr][1]
    except TypeError:  # a node composed in Python (or another custom Function): no metadata to check
        return
    if not dtype.is_complex:
        raise RuntimeError(
            "Expected isFloatingType(grad.scalar_type()) || (input_is_complex == grad_is_complex) "
            "to be true, but got false.  (Could this error message be improved?  If so, please "
            "report an enhancement request to PyTorch.)"
        )


class BackwardCFunction(_FunctionBase, FunctionCtx):
    """The base of the `<Name>Backward` classes: a context that is also a graph node."""

    _forward_cls: type[Function]
    _ferro_arg_is_tensor: tuple[bool, ...]

    def apply(self, *args: Any) -> Any:
        """Runs the user's backward (or vjp) on this context."""
        cls = self._forward_cls
        backward_fn = cls.backward
        vjp_fn = cls.vjp
        if backward_fn is not Function.backward and vjp_fn is not Function.vjp:
            raise RuntimeError(
                "Implementing both 'backward' and 'vjp' for a custom Function is not allowed. "
                "You should only implement one of them."
            )
        user_fn = vjp_fn if vjp_fn is not Function.vjp else backward_fn
        return user_fn(self, *args)

    @remembering
    def _ferro_backward(self, grads: tuple) -> tuple:
        """Calls backward and checks what it returned (one entry per forward argument)."""
        if self.__dict__.get("_materialize_non_diff_grads", True) is False:
            grads = _without_non_diff_grads(grads, self.__dict__.get("_ferro_non_diff_outputs", ()))
        result = self.apply(*grads)
        if not isinstance(result, tuple):
            result = (result,)
        expected = len(self._ferro_arg_is_tensor)
        if len(result) > expected and all(r is None for r in result[expected:]):
            result = result[:expected]
        name = type(self).__name__
        if len(result) != expected:
            raise RuntimeError(
                f"function {name} returned an incorrect number of gradients "
                f"(expected {expected}, got {len(result)})"
            )
        for i, (r, is_tensor) in enumerate(zip(result, self._ferro_arg_is_tensor)):
            if r is None:
                continue
            if not is_tensor:
                raise RuntimeError(
                    f"function {name} returned a gradient different than None at position "
                    f"{i + 1}, but the corresponding forward input was not a Variable"
                )
            if not isinstance(r, Tensor):
                # PyTorch raises RuntimeError here, not TypeError.
                raise RuntimeError(f"expected Variable or None (got {type(r).__name__})")  # noqa: TRY004
            if r.is_complex():
                _refuse_complex_grad_of_real(self, i)
        return result

    @property
    def metadata(self) -> dict:
        d = self.__dict__.get("_metadata")
        if d is None:
            d = self.__dict__["_metadata"] = {}
        return d

    @property
    def saved_tensors(self) -> tuple:
        """The tensors `save_for_backward` kept (inside `jvp`: those of `save_for_forward`)."""
        for_jvp = self.__dict__.get("_ferro_saved_for_jvp")
        if for_jvp is not None:
            return for_jvp
        return _FunctionBase.saved_tensors.__get__(self)

    @property
    def saved_variables(self) -> tuple:
        warnings.warn(
            "'saved_variables' is deprecated; use 'saved_tensors'", DeprecationWarning, stacklevel=2
        )
        return self.saved_tensors

    def __call__(self, *args: Any) -> Any:
        return self.apply(*args)

    def __del__(self) -> None:
        # A context that owns its node hands it back when the node is still in use.
        self._ferro_finalize()


BackwardCFunction.__module__ = "ferrograd.autograd.function"


class FunctionMeta(type):
    """Gives each Function subclass its context class `<Name>Backward`."""

    def __init__(cls, name: str, bases: tuple, attrs: dict) -> None:
        backward_name = attrs.get("_ferro_node_name", name + "Backward")
        # a node standing in for one of PyTorch's built-in nodes prints as those do,
        # `<CloneBackward0 object at ...>` (their classes live in `builtins`)
        module = "builtins" if "_ferro_node_name" in attrs else "ferrograd.autograd.function"
        backward_attrs = {"_forward_cls": cls, "__module__": module, **attrs.get("_ferro_node_attrs", {})}
        if backward_name == "NotImplemented":
            # PyTorch names its node of an op without a derivative by the C++ class
            backward_attrs["name"] = lambda self: "torch::autograd::NotImplemented"
        backward_cls = type(backward_name, (BackwardCFunction,), backward_attrs)
        backward_cls.__qualname__ = backward_name
        cls._backward_cls = backward_cls
        super().__init__(name, bases, attrs)


def _setup_context_defined(cls: type) -> bool:
    return cls.setup_context is not Function.setup_context  # type: ignore[attr-defined]


def _bind_defaults(fn: Any, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """The arguments of a setup_context-style forward with its defaults filled in."""
    bound = inspect.signature(fn).bind(*args, **kwargs)
    bound.apply_defaults()
    return tuple(bound.args), dict(bound.kwargs)


class Function(metaclass=FunctionMeta):
    """Base class of custom autograd operations (override `forward` and `backward`)."""

    _backward_cls: type[BackwardCFunction]
    # set True in a subclass to vmap it by running its forward per sample (PyTorch's name)
    generate_vmap_rule = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(
            f"{type(self)} should not be instantiated. Methods on autograd functions are all "
            "static, so you should invoke them on the class itself. Instantiating an autograd "
            "function will raise an error in a future version of PyTorch.",
            DeprecationWarning,
            stacklevel=2,
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. Please use "
            "new-style autograd function with static forward method. (Example: "
            "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)"
        )

    @staticmethod
    def forward(*args: Any, **kwargs: Any) -> Any:
        """The forward computation; define it in a subclass as a staticmethod.

        Args:
            *args: the inputs (with `setup_context`), or `ctx` followed by them.
            **kwargs: keyword inputs.
        """
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> Any:
        """Saves what backward needs on `ctx` (the new-style alternative to a `ctx` forward).

        Args:
            ctx: the context object.
            inputs: the forward's inputs.
            output: the forward's output.
        """
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        """The gradients of the inputs from those of the outputs; define it in a subclass.

        Args:
            ctx: the context object (saved tensors, needs_input_grad).
            *grad_outputs: one gradient per output.
        """
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )

    vjp = backward

    @staticmethod
    def jvp(ctx: Any, *grad_inputs: Any) -> Any:
        """Forward-mode derivative: the output tangents from the input tangents (used
        under `forward_ad.dual_level`).

        Args:
            ctx: the context object.
            *grad_inputs: one tangent per input.
        """
        raise NotImplementedError(
            "You must implement the jvp function for custom autograd.Function to use it with "
            "forward mode AD."
        )

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Runs the function on `args`, recording one node for backward.

        Args:
            *args: the forward's inputs.
            **kwargs: keyword inputs.
        """
        new_style = _setup_context_defined(cls)
        _check_vmap_support(cls, new_style)
        if new_style:
            args, kwargs = _bind_defaults(cls.forward, args, kwargs)
        tangents = _input_tangents(cls, args)
        ctx = cls._backward_cls()
        is_tensor = tuple(isinstance(a, Tensor) for a in args)
        needs = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        is_executable = _core.is_grad_enabled() and any(needs)
        ctx.needs_input_grad = needs
        ctx._ferro_arg_is_tensor = is_tensor
        ctx.materialize_grads = True
        with no_grad():
            if new_style:
                output = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, output)
            else:
                output = cls.forward(ctx, *args, **kwargs)
        single = not isinstance(output, tuple)
        outputs = (output,) if single else output
        d = ctx.__dict__
        to_save = d.pop("to_save", None)
        dirty = d.pop("dirty_tensors", ())
        non_diff = d.pop("non_differentiable", ())
        if non_diff:
            ctx._ferro_non_diff_outputs = tuple(
                i for i, o in enumerate(outputs) if any(o is t for t in non_diff))
        if is_executable and to_save:
            _refuse_inference_saved(to_save)
        if is_executable and dirty:
            if any(not any(t is a for a in args) for t in dirty):
                warnings.warn(
                    "ctx.mark_dirty() received a tensor that was not an input. Only input Tensors that have "
                    "been mutated should be passed to ctx.mark_dirty().",
                    UserWarning,
                    stacklevel=2,
                )
            if len(outputs) > 1:
                _refuse_dirty_view(dirty, outputs)
        wrapped = _core._function_record(
            ctx,
            type(ctx).__name__,
            args,
            outputs,
            is_executable,
            list(dirty),
            list(non_diff),
            None if to_save is None else list(to_save),
            bool(ctx.materialize_grads),
        )
        if tangents is not None:
            wrapped = _with_tangents(cls, ctx, wrapped, tangents)
        return wrapped[0] if single else wrapped

    @staticmethod
    def vmap(info: Any, in_dims: Any, *args: Any) -> Any:
        """Batching rule for vmap (not supported by ferrograd).

        Args:
            info: the batch information.
            in_dims: the batched dimension of each input.
            *args: the inputs.
        """
        raise NotImplementedError("vmap is not supported for custom autograd.Function in ferrograd.")


_FUNC_NOTES = "For more details, please see https://pytorch.org/docs/main/notes/extending.func.html"


def _check_vmap_support(cls: type, new_style: bool) -> None:
    """PyTorch's refusals of a user's Function under `func.vmap`: it needs `setup_context`
    (a `ctx` forward cannot be transformed), then a `vmap` rule or `generate_vmap_rule`.
    ferrograd's vmap runs the samples one at a time, so any rule it allows gives the same
    results; its own Functions stand for PyTorch's C++ ops, which vmap supports."""
    from ..func._vmap_refusals import vmap_active

    if not vmap_active() or cls.__module__.split(".")[0] == "ferrograd":
        return
    if not new_style:
        raise RuntimeError("In order to use an autograd.Function with functorch transforms (vmap, grad, jvp, jacrev, "
                           f"...), it must override the setup_context staticmethod. {_FUNC_NOTES}")
    if cls.vmap is Function.vmap and not cls.generate_vmap_rule:  # type: ignore[attr-defined]
        raise RuntimeError(f"You tried to vmap over {cls.__name__}, but it does not have vmap support. Please override "
                           f"and implement the vmap staticmethod or set generate_vmap_rule=True. {_FUNC_NOTES}")


def _input_tangents(cls: type, args: tuple) -> list | None:
    """The forward-AD tangent of each argument (None for one without), or None when no
    argument is a dual tensor; PyTorch's error for a Function without `jvp`."""
    from . import forward_ad

    if not forward_ad._ACTIVE:
        return None
    tangents = [forward_ad.unpack_dual(a).tangent if isinstance(a, Tensor) else None
                for a in args]
    if all(t is None for t in tangents):
        return None
    if cls.jvp is Function.jvp:
        raise NotImplementedError(
            "You must implement the jvp function for custom autograd.Function to use it with "
            "forward mode AD."
        )
    # as PyTorch, jvp gets zeros for a tensor argument without a tangent
    return [_zeros_like(a) if t is None and isinstance(a, Tensor) else t
            for a, t in zip(args, tangents)]


def _zeros_like(t: Tensor) -> Tensor:
    from .._creation import zeros_like

    return zeros_like(t.detach())


def _with_tangents(cls: type, ctx: Any, outputs: tuple, tangents: list) -> tuple:
    """The outputs as dual tensors whose tangents are what the Function's `jvp` returns."""
    from . import forward_ad

    # PyTorch's jvp reads only what save_for_forward kept as ctx.saved_tensors (none:
    # an empty tuple, even after save_for_backward), then drops them.
    saved = ctx.__dict__.pop("saved_for_forward", None)
    ctx.__dict__["_ferro_saved_for_jvp"] = () if saved is None else tuple(saved)
    try:
        with no_grad():
            out_tangents = cls.jvp(ctx, *tangents)
    finally:
        ctx.__dict__.pop("_ferro_saved_for_jvp", None)
    # Only a tuple counts as several tangents, even for a Function with one output.
    if not isinstance(out_tangents, tuple):
        out_tangents = (out_tangents,)
    if len(out_tangents) != len(outputs):
        raise RuntimeError(
            "Function's jvp returned an invalid number of forward gradients (expected "
            f"{len(outputs)} but got {len(out_tangents)})"
        )
    for i, t in enumerate(out_tangents):
        if t is not None and not isinstance(t, Tensor):
            raise RuntimeError(f"expected Variable or None (got {type(t).__name__}) for grad output {i}.")
    return tuple(
        forward_ad.make_dual(o.detach(), t)
        if isinstance(o, Tensor) and isinstance(t, Tensor) else o
        for o, t in zip(outputs, out_tangents)
    )


def _refuse_inference_saved(to_save: tuple) -> None:
    """PyTorch's error for an inference tensor saved by a Function whose node is recorded."""
    if any(isinstance(t, Tensor) and t.is_inference() for t in to_save):
        raise RuntimeError(
            "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
            "inference mode in computation tracked by autograd. To work around this, you can make a "
            "clone to get a normal tensor and use it in autograd, or use `ferrograd.no_grad()` instead "
            "of `ferrograd.inference_mode()`."
        )


_DIRTY_VIEW_MESSAGE = (
    "If your Function modifies inplace an input that is a view of another Tensor, your Function "
    "cannot return more than one Tensor. This is not supported by the current autograd engine. You "
    "should either make sure the input is not a view (using .clone() for example) or make your "
    "Function only return one Tensor (potentially splitting it into two Functions: one doing the "
    "inplace that returns a single Tensor and a second one that does the other operations). You can "
    "ask on the forum https://discuss.pytorch.org/ if you need help to do this change."
)


def _refuse_dirty_view(dirty: Any, outputs: tuple) -> None:
    """PyTorch rewrites the history of a view modified in place by a Function only when
    the Function has one output: a returned dirty view among several is refused."""
    for t in dirty:
        if not isinstance(t, Tensor) or t._base is None or not any(o is t for o in outputs):
            continue
        if t.is_leaf and t.requires_grad:
            return  # the leaf error comes first
        raise RuntimeError(_DIRTY_VIEW_MESSAGE)


class InplaceFunction(Function):
    """A Function with an `inplace` flag (PyTorch's legacy helper)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace


class _DelayedErrorHolder:
    message = (
        "trying to differentiate twice a function that was marked with @once_differentiable"
    )


def once_differentiable(fn: Any) -> Any:
    """Decorates a `Function.backward` as not differentiable: it runs without recording,
    and differentiating its result again raises.

    Args:
        fn: the `backward(ctx, *grad_outputs)` static method to wrap.
    """

    @functools.wraps(fn)
    def wrapper(ctx: Any, *args: Any) -> Any:
        with no_grad():
            outputs = fn(ctx, *args)
        if not _core.is_grad_enabled():
            return outputs
        requires_grad = any(isinstance(a, Tensor) and a.requires_grad for a in args)
        if not requires_grad:
            return outputs
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        tensors = [o if isinstance(o, Tensor) else None for o in outs]
        aliased = _core._delayed_error(_DelayedErrorHolder.message, tensors)
        result = tuple(a if a is not None else o for a, o in zip(aliased, outs))
        return result[0] if single else result

    return wrapper
