"""The safetensors format: `save_file`/`load_file` for paths, `save`/`load` for bytes.

Layout: an 8-byte little-endian header length N, N bytes of JSON (`{"name": {"dtype":
"F32", "shape": [2, 3], "data_offsets": [begin, end]}, ..., "__metadata__": {str:
str}}`, padded with spaces to a multiple of 8), then the tensors' raw little-endian
bytes, offsets counted from the end of the header. Every tensor is written as a
contiguous copy; the format has no sharing.
"""

from __future__ import annotations

import json
import os
import struct
import sys

from .. import _core
from .._core import Tensor

__all__ = ["SafetensorError", "load", "load_file", "save", "save_file"]

# safetensors' dtype codes by ferrograd dtype name (only those ferrograd has are used).
_CODES = {
    "bool": "BOOL", "uint8": "U8", "int8": "I8", "int16": "I16", "int32": "I32", "int64": "I64",
    "float16": "F16", "bfloat16": "BF16", "float32": "F32", "float64": "F64",
    "uint16": "U16", "uint32": "U32", "uint64": "U64",
}
_NAMES = {v: k for k, v in _CODES.items()}
_MAX_HEADER = 100 * 1024 * 1024


class SafetensorError(RuntimeError):
    """A file or buffer that is not valid safetensors."""


def _dtype_name(t: Tensor) -> str:
    return repr(t.dtype).split(".", 1)[1]


def save(tensors: dict[str, Tensor], metadata: dict[str, str] | None = None) -> bytes:
    """The safetensors bytes of a dict of tensors."""
    if not isinstance(tensors, dict):
        raise TypeError(f"expected a dict of tensors, got {type(tensors).__name__}")
    header: dict[str, object] = {}
    if metadata is not None:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise TypeError("safetensors metadata must map str to str")
        header["__metadata__"] = dict(metadata)
    chunks = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name]
        if not isinstance(name, str) or not isinstance(t, Tensor):
            raise TypeError(f"expected str keys and Tensor values, got {name!r}: {type(t).__name__}")
        dtype = _dtype_name(t)
        if dtype not in _CODES:
            raise SafetensorError(f"safetensors cannot store dtype {dtype}")
        raw = t.detach()._bytes()
        if sys.byteorder != "little" and t.element_size() > 1:
            import numpy as np

            raw = np.frombuffer(raw, dtype=f"u{t.element_size()}").byteswap().tobytes()
        header[name] = {"dtype": _CODES[dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def save_file(tensors: dict[str, Tensor], filename: str | os.PathLike, metadata: dict[str, str] | None = None) -> None:
    """Writes a dict of tensors to `filename` in the safetensors format."""
    data = save(tensors, metadata)
    with open(filename, "wb") as fh:
        fh.write(data)


def _parse_header(data: bytes) -> tuple[dict, int]:
    if len(data) < 8:
        raise SafetensorError("the data is too short to hold a safetensors header")
    (n,) = struct.unpack("<Q", data[:8])
    if n > _MAX_HEADER or 8 + n > len(data):
        raise SafetensorError(f"header of {n} bytes does not fit in {len(data)} bytes of data")
    try:
        header = json.loads(data[8 : 8 + n].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise SafetensorError(f"the header is not valid JSON: {e}") from None
    if not isinstance(header, dict):
        raise SafetensorError("the header must be a JSON object")
    return header, 8 + n


def load(data: bytes) -> dict[str, Tensor]:
    """The tensors stored in safetensors bytes."""
    data = bytes(data)
    header, start = _parse_header(data)
    body = len(data) - start
    out: dict[str, Tensor] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        try:
            code, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        except (TypeError, KeyError, ValueError):
            raise SafetensorError(f"tensor {name!r}: header entry {info!r:.100} is malformed") from None
        dtype = getattr(_core, _NAMES.get(code, ""), None)
        if not isinstance(dtype, _core.dtype):
            raise SafetensorError(f"tensor {name!r}: dtype {code} is not supported by ferrograd")
        if not (isinstance(shape, list) and all(isinstance(d, int) and d >= 0 for d in shape)):
            raise SafetensorError(f"tensor {name!r}: invalid shape {shape!r}")
        numel = 1
        for d in shape:
            numel *= d
        if not (isinstance(begin, int) and isinstance(end, int) and 0 <= begin <= end <= body):
            raise SafetensorError(f"tensor {name!r}: data offsets {[begin, end]} lie outside the {body} data bytes")
        if end - begin != numel * dtype.itemsize:
            raise SafetensorError(
                f"tensor {name!r}: {end - begin} bytes for shape {shape} of {code} ({numel * dtype.itemsize} needed)"
            )
        raw = data[start + begin : start + end]
        if sys.byteorder != "little" and dtype.itemsize > 1:
            import numpy as np

            raw = np.frombuffer(raw, dtype=f"u{dtype.itemsize}").byteswap().tobytes()
        out[name] = _core._tensor_from_bytes(raw, dtype).reshape(tuple(shape))
    return out


def load_file(filename: str | os.PathLike, device: str = "cpu") -> dict[str, Tensor]:
    """The tensors stored in a safetensors file."""
    with open(filename, "rb") as fh:
        return load(fh.read())


def metadata(data: bytes) -> dict[str, str] | None:
    """The `__metadata__` of safetensors bytes (None when there is none)."""
    header, _ = _parse_header(bytes(data))
    return header.get("__metadata__")
