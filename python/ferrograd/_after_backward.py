"""Callbacks that run once the backward pass running now has finished (PyTorch's
`Variable._execution_engine.queue_callback`), per thread."""

from __future__ import annotations

import operator
import threading
import warnings

from . import _backward_python_errors

_state = threading.local()


def queue() -> list:
    """This thread's queue of callbacks waiting for the running backward pass."""
    q = getattr(_state, "queue", None)
    if q is None:
        q = _state.queue = []
    return q


def in_backward() -> bool:
    """Whether this thread is running a backward pass now (PyTorch's graph task id is
    not -1)."""
    return getattr(_state, "depth", 0) > 0


def engine_flag(value) -> bool:
    """`retain_graph`/`create_graph` as PyTorch's engine reads them (an unsigned byte:
    a bool, or an integer 0..255 or object with `__index__`, true when nonzero)."""
    if isinstance(value, bool):
        return value
    try:
        number = operator.index(value)
    except TypeError:
        raise TypeError(f"'{type(value).__name__}' object cannot be interpreted as an integer") from None
    if not -(2**63) <= number < 2**63:
        raise OverflowError("Python int too large to convert to C long")
    if number < 0:
        raise OverflowError("unsigned byte integer is less than minimum")
    if number > 255:
        raise OverflowError("unsigned byte integer is greater than maximum")
    return number != 0


def _checkpoint_valid_stack() -> list:
    stack = getattr(_state, "checkpoint_valid", None)
    if stack is None:
        stack = _state.checkpoint_valid = []
    return stack


def _kind_stack() -> list:
    stack = getattr(_state, "kinds", None)
    if stack is None:
        stack = _state.kinds = []
    return stack


def running_grad() -> bool:
    """Whether the innermost backward pass this thread runs is an `autograd.grad` call."""
    stack = _kind_stack()
    return bool(stack) and stack[-1] == "_grad"


def is_checkpoint_valid() -> bool:
    """False while this thread runs a backward pass started by `autograd.grad` or by
    `backward(inputs=...)` (PyTorch's `_is_checkpoint_valid`)."""
    stack = _checkpoint_valid_stack()
    return stack[-1] if stack else True


def run(call, *args):
    """`call(*args)` (a backward entry point), then the callbacks queued during it; if it
    raises, those callbacks are dropped."""
    q = queue()
    mark = len(q)
    _state.depth = getattr(_state, "depth", 0) + 1
    valid = _checkpoint_valid_stack()
    # PyTorch's reentrant checkpoint refuses passes that compute only some gradients:
    # autograd.grad, and backward with `inputs`
    name = getattr(call, "__name__", "")
    valid.append(not (name == "_grad" or (name.endswith("_backward") and args and args[-1] is not None)))
    kinds = _kind_stack()
    kinds.append(name)
    try:
        try:
            result = call(*args)
        except RuntimeError as e:
            del q[mark:]
            _raise_with_forward_trace_warned(e)
            raise
        except BaseException:
            del q[mark:]
            raise
        from ._grad_mode import set_grad_enabled

        # PyTorch runs them under the pass's grad mode: on only when it creates a graph
        create_graph = args[4] if name == "_grad" else args[3]
        with set_grad_enabled(bool(create_graph)):
            _run_queued(q, mark)
    finally:
        _state.depth -= 1
        valid.pop()
        kinds.pop()
        _backward_python_errors.take()  # keep no exception (and its frames) alive
    return result


def _run_queued(q: list, mark: int) -> None:
    """Runs the callbacks queued since `mark`, in order, while the pass still counts as
    running: as in PyTorch, a callback may queue another, which runs in turn. If one
    raises, the rest are dropped."""
    try:
        while len(q) > mark:
            q.pop(mark)()
    except BaseException:
        del q[mark:]
        raise


# where PyTorch's C++ warns of an anomaly (its warnings end with that source line)
_ANOMALY_SOURCE = "/__w/pytorch/pytorch/torch/csrc/autograd/python_anomaly_mode.cpp:"
_TRACE_MARK = "\n\nThe forward call that created "


def _raise_with_forward_trace_warned(e: RuntimeError) -> None:
    """In anomaly mode the core appends the failing node's forward traceback to the
    message; PyTorch shows it as a warning and raises the bare message. The in-place
    write the core names in a version-counter error moves to a note."""
    message, site = _split_write_site(str(e))
    at = message.find(_TRACE_MARK)
    if at < 0:
        _warn_no_forward_trace(message)
        if site is not None:
            raise _with_note(type(e)(message), site) from None
        return
    head, rest = message[:at], message[at + len(_TRACE_MARK):]
    name, _, trace = rest.partition(" was:\n")
    warnings.warn(
        f"Error detected in {name}. Traceback of forward call that caused the error:\n{trace}"
        f" (Triggered internally at {_ANOMALY_SOURCE}122.)",
        UserWarning,
        stacklevel=4,
    )
    original = _backward_python_errors.take() if head == _backward_python_errors.MARKER else None
    if original is not None:
        raise original from None
    raise _with_note(type(e)(head), site) from None


_WRITE_SITE = " It was last modified in place by "


def _split_write_site(message: str) -> tuple[str, str | None]:
    """The core's version-counter error names the in-place write that bumped the version
    (op and line), which PyTorch's message does not: the message without that sentence,
    and the sentence (None when there is none)."""
    at = message.find(_WRITE_SITE)
    if at < 0:
        return message, None
    end = message.find(" Hint: ", at)
    end = end if end >= 0 else len(message)
    return message[:at] + message[end:], message[at + 1:end]


def _with_note(error: BaseException, note: str | None) -> BaseException:
    """`error`, with `note` shown under its traceback (`str(error)` stays PyTorch's)."""
    if note is not None:
        error.add_note(note)
    return error


def _warn_no_forward_trace(message: str) -> None:
    """PyTorch's warning for a node that failed in anomaly mode without a forward
    traceback (made before anomaly detection was on). The core names the node only in
    its NaN message, so only that failure warns."""
    from . import _core

    if not (message.startswith("Function '") and "' returned nan values" in message):
        return
    if not _core.is_anomaly_enabled():
        return
    name = message[len("Function '"):message.index("' returned nan values")]
    warnings.warn(
        f"Error detected in {name}. No forward pass information available. Enable detect anomaly "
        f"during forward pass for more information. (Triggered internally at {_ANOMALY_SOURCE}100.)",
        UserWarning,
        stacklevel=5,
    )


_create_graph_warned = False


def warn_create_graph_once() -> None:
    """PyTorch's one-time warning for `backward(create_graph=True)`: the gradient held
    in `.grad` keeps the graph that made it alive."""
    global _create_graph_warned
    if _create_graph_warned:
        return
    _create_graph_warned = True
    from ._user_warning import warn_at_caller

    warn_at_caller(
        "Using backward() with create_graph=True will create a reference cycle between the "
        "parameter and its gradient which can cause a memory leak. We recommend using "
        "autograd.grad when creating the graph to avoid this. If you have to use this "
        "function, make sure to reset the .grad fields of your parameters to None after use "
        "to break the cycle and avoid the leak. (Triggered internally at "
        "/__w/pytorch/pytorch/torch/csrc/autograd/engine.cpp:1307.)",
    )
