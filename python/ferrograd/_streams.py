"""`Stream` and `Event` (PyTorch's device-generic `torch.Stream` and `torch.Event`) for
the devices there are: the CPU (and meta), where work is synchronous, streams are always
idle, and events cannot be recorded (PyTorch's CPU backend has none either)."""

from __future__ import annotations

import builtins
from typing import Any, Self

__all__ = ["Event", "Stream"]

_PACKAGE = __name__.split(".")[0]
_DEVICE_TYPE_CODES = {"cpu": 0, "meta": 14}  # c10::DeviceType


def _device_type(device: Any, owner: str) -> str:
    from ._device import device as device_class

    if device is None:
        return "cpu"
    if isinstance(device, builtins.bool) or not isinstance(device, (builtins.str, builtins.int, device_class)):
        raise TypeError(f"{owner}(): argument 'device' (position 1) must be {_PACKAGE}.device, not "
                        f"{type(device).__name__}")
    kind = device_class(device).type  # a bare index: past int64, negative, or no accelerator
    if kind not in _DEVICE_TYPE_CODES:
        raise RuntimeError(f"PyTorch is not linked with support for {kind} devices")
    return kind


def _no_events(kind: str) -> RuntimeError:
    return RuntimeError(f"{kind} backend doesn't support events.")


class Stream:
    """An in-order queue of work on a device; on the CPU work runs at once, so a stream
    is always idle. Usable as a context manager.

    Args:
        device: the device (default: the CPU, as no accelerator exists).
        priority: 0 or negative (higher priority); ignored.
        kwargs: `stream_id`, `device_index`, `device_type` (PyTorch's ways to name an
            existing stream).
    """

    def __init__(self, device: Any = None, *, priority: builtins.int = 0, **kwargs: Any) -> None:
        self._type = _device_type(device, "Stream")
        self.stream_id = kwargs.get("stream_id", 0)
        self.device_index = kwargs.get("device_index", -1)

    @property
    def device(self) -> Any:
        """The stream's device."""
        from ._device import device

        return device(self._type)

    @property
    def device_type(self) -> builtins.int:
        """The device type's code (PyTorch's c10::DeviceType: 0 for the CPU)."""
        return _DEVICE_TYPE_CODES[self._type]

    @property
    def native_handle(self) -> Any:
        """The backend's handle of the stream: none on the CPU."""
        raise RuntimeError("Backend doesn't support getting stream native handle.")

    def query(self) -> builtins.bool:
        """Whether all work queued on the stream has finished (always True here)."""
        return True

    def synchronize(self) -> None:
        """Waits for the stream's work (none is ever pending here)."""

    def record_event(self, event: Event | None = None) -> Event:
        """Records an event on the stream: the CPU backend has no events.

        Args:
            event: the event to record (a new one when None).
        """
        raise _no_events(self._type)

    def wait_event(self, event: Event) -> None:
        """Makes later work on the stream wait for `event` (nothing to wait for here).

        Args:
            event: the event.
        """

    def wait_stream(self, stream: Stream) -> None:
        """Makes later work wait for `stream`'s queued work: done with an event, which
        the CPU backend does not have.

        Args:
            stream: the stream to wait for.
        """
        raise _no_events(self._type)

    def is_capturing(self) -> builtins.bool:
        """Whether a graph capture is under way on the stream (never here)."""
        return False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def _key(self) -> tuple:
        return self._type, self.device_index, self.stream_id

    def __eq__(self, other: object) -> builtins.bool:
        return isinstance(other, Stream) and self._key() == other._key()

    def __hash__(self) -> builtins.int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (f"{_PACKAGE}.Stream device_type={self._type}, device_index={self.device_index}, "
                f"stream_id={self.stream_id}")


class Event:
    """A marker in a stream's work, to wait on or time; the CPU backend cannot record
    one (as in PyTorch), and an unrecorded event counts as completed.

    Args:
        device: the device (default: the CPU, as no accelerator exists).
        enable_timing: whether the event can measure elapsed time.
        blocking: ignored (as in PyTorch).
        interprocess: ignored (as in PyTorch).
    """

    def __init__(self, device: Any = None, *, enable_timing: builtins.bool = False, blocking: builtins.bool = False,
                 interprocess: builtins.bool = False) -> None:
        self._type = _device_type(device, "Event")
        self._timing = builtins.bool(enable_timing)
        self.event_id = 0

    @property
    def device(self) -> Any:
        """The event's device."""
        from ._device import device

        return device(self._type)

    def record(self, stream: Stream | None = None) -> None:
        """Records the event on `stream`: the CPU backend has no events.

        Args:
            stream: the stream (the current one when None).
        """
        raise _no_events(self._type)

    def query(self) -> builtins.bool:
        """Whether the work before the event has finished (True: nothing is pending)."""
        return True

    def synchronize(self) -> None:
        """Waits for the event (nothing to wait for here)."""

    def wait(self, stream: Stream | None = None) -> None:
        """Makes `stream`'s later work wait for the event (nothing to wait for here).

        Args:
            stream: the stream (the current one when None).
        """

    def elapsed_time(self, end_event: Event) -> float:
        """Milliseconds between this event and `end_event`, both recorded with timing.

        Args:
            end_event: the later event.
        """
        if not (self._timing and end_event._timing):
            raise ValueError("Both events must be created with argument 'enable_timing=True'.")
        raise _no_events(self._type)

    def ipc_handle(self) -> Any:
        """A handle to share the event with another process: not supported."""
        raise NotImplementedError(f"{_PACKAGE}.Event ipc is not supported yet, please open an issue if you need this!")

    @classmethod
    def from_ipc_handle(cls, device: Any, ipc_handle: Any) -> Event:
        """The event of another process's handle: not supported.

        Args:
            device: the device.
            ipc_handle: the handle.
        """
        raise NotImplementedError(f"{_PACKAGE}.Event ipc is not supported yet, please open an issue if you need this!")

    def __repr__(self) -> str:
        return (f"{_PACKAGE}.Event device_type={self._type}, device_index=-1, event_flag={builtins.int(self._timing)}, "
                f"event_id={self.event_id}")
