"""`save` and `load` in PyTorch's checkpoint format: `torch.load` reads what `save`
writes and `load` reads what `torch.save` wrote.

The file is a zip archive of uncompressed records: `archive/data.pkl` (the object, a
protocol-2 pickle whose tensors name their storages by persistent id, see
`_torch_pickle`), `archive/data/<key>` (each storage's elements, raw, in the byte order
of `archive/byteorder`), `archive/version`, `archive/.format_version`,
`archive/.storage_alignment` and `archive/.data/serialization_id`. Records start at
64-byte boundaries (padding in the local header's extra field), as PyTorch writes them.
Tensors that share a storage share it again after loading.

Files from ferrograd's earlier plain-pickle `save` still load.
"""

from __future__ import annotations

import io
import os
import pickle
import sys
from typing import TYPE_CHECKING, Any

from . import _core
from ._core import Tensor
from ._pickling import tensor_from_bytes

if TYPE_CHECKING:
    import zipfile

__all__ = ["load", "save"]

_ALIGNMENT = 64
_ARCHIVE = "archive"
_ZIP_MAGIC = b"PK\x03\x04"
# The first object of PyTorch's pre-1.6 (non-zip) files.
_LEGACY_TORCH_MAGIC = 0x1950A86A20F9469CFC6C


def save(obj: Any, f, pickle_module=pickle, pickle_protocol: int = 2,
         _use_new_zipfile_serialization: bool = True, **_kwargs: Any) -> None:
    """Writes `obj` (tensors, parameters, state dicts, containers, numbers, strings) to a
    path or a binary file, in PyTorch's zip format (`torch.load` reads it).

    Args:
        obj: the object to save.
        f: a path, or a binary file open for writing.
        pickle_module: accepted for PyTorch compatibility; ferrograd's own pickler is used.
        pickle_protocol: accepted for PyTorch compatibility; protocol 2 is written.
        _use_new_zipfile_serialization: accepted; the zip format is always written.
        _kwargs: other keywords of PyTorch's, ignored.
    """
    from . import _torch_pickle

    data_pkl, storages = _torch_pickle.dumps(obj)
    if isinstance(f, (str, os.PathLike)):
        parent = os.path.dirname(os.path.abspath(f))
        if not os.path.isdir(parent):
            raise RuntimeError(f"Parent directory {parent} does not exist.")
        with open(f, "wb") as fh:
            _write_archive(fh, data_pkl, storages)
    else:
        _write_archive(f, data_pkl, storages)


def _write_archive(fh, data_pkl: bytes, storages) -> None:
    import secrets
    import zipfile

    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        _add_record(zf, "data.pkl", data_pkl)
        _add_record(zf, ".format_version", b"1")
        _add_record(zf, ".storage_alignment", str(_ALIGNMENT).encode())
        _add_record(zf, "byteorder", sys.byteorder.encode())
        for ref in storages:
            _add_record(zf, f"data/{ref.key}", _core._storage_bytes(ref.tensor))
        _add_record(zf, "version", b"3\n")
        _add_record(zf, ".data/serialization_id", str(secrets.randbits(128)).zfill(40).encode())


def _add_record(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    import zipfile

    info = zipfile.ZipInfo(f"{_ARCHIVE}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    zip64_extra = 20 if len(data) * 1.05 > zipfile.ZIP64_LIMIT else 0
    start = zf.fp.tell() + 30 + len(info.filename.encode()) + 4 + zip64_extra  # type: ignore[union-attr]
    pad = -start % _ALIGNMENT
    # An extra field of id "FB" that only pads: the record's data lands on a boundary.
    info.extra = b"FB" + pad.to_bytes(2, "little") + b"Z" * pad
    zf.writestr(info, data)


def load(f, map_location=None, pickle_module=None, *, weights_only: bool | None = None, mmap=None,
         **_kwargs: Any) -> Any:
    """Reads a checkpoint written by `save` or by `torch.save`, from a path, a binary
    file or bytes.

    Args:
        f: a path, a binary file open for reading, or bytes.
        map_location: where storages go: None, 'cpu', a device, a dict from saved
            locations to devices, or a callable. Only the CPU exists, so storages saved
            on CUDA need a CPU mapping.
        pickle_module: accepted for PyTorch compatibility; ferrograd's unpickler is used.
        weights_only: True (also for None, the default) loads only tensors, parameters,
            containers, numbers and strings, and any other global in the file raises
            `pickle.UnpicklingError` naming it; False trusts the file.
        mmap: True (a path only) makes the tensors borrow a private copy-on-write
            mapping of the file instead of reading it: pages load when touched, writes
            never reach the file.
        _kwargs: other keywords of PyTorch's, ignored.
    """
    restricted = weights_only is not False
    if mmap:
        if not isinstance(f, (str, os.PathLike)):
            raise ValueError("f must be a file path in order to use the mmap argument")
        return _load_mapped(f, map_location, restricted)
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as fh:
            return _load_stream(fh, map_location, restricted)
    if isinstance(f, (bytes, bytearray, memoryview)):
        return _load_stream(io.BytesIO(bytes(f)), map_location, restricted)
    if not (hasattr(f, "seekable") and f.seekable()):
        f = io.BytesIO(f.read())
    return _load_stream(f, map_location, restricted)


def _load_stream(fh, map_location, restricted: bool) -> Any:
    start = fh.tell()
    magic = fh.read(4)
    fh.seek(start)
    if magic == _ZIP_MAGIC:
        return _load_archive(fh, map_location, restricted)
    if not magic:  # PyTorch's weights-only unpickler raises it bare
        raise EOFError("" if restricted else "Ran out of input")
    obj = _unpickle(fh, None, restricted)
    if isinstance(obj, int) and obj == _LEGACY_TORCH_MAGIC:
        raise RuntimeError(
            "this file is in PyTorch's legacy (pre-1.6, non-zip) format, which ferrograd does not "
            "read: load it with torch and save it again with torch.save"
        )
    return obj


def _load_mapped(path, map_location, restricted: bool) -> Any:
    import mmap

    with open(path, "rb") as fh:
        if fh.read(4) != _ZIP_MAGIC:
            fh.seek(0)
            return _load_stream(fh, map_location, restricted)
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_COPY)
    return _load_archive(io.BytesIO(mapped), map_location, restricted, mapped)


# struct formats of the dtypes a mapped record can be viewed as without copying.
_FORMATS = {"bool": "?", "uint8": "B", "int8": "b", "int16": "h", "int32": "i", "int64": "q",
            "float16": "e", "float32": "f", "float64": "d", "uint16": "H", "uint32": "I", "uint64": "Q"}


def _mapped_storage(zf: zipfile.ZipFile, mapped, name: str, dtype, nbytes: int) -> Tensor | None:
    """The record's bytes in the mapping as a borrowing 1-D tensor, or None when they
    cannot be viewed in place (compressed, misaligned, or no struct format)."""
    import struct
    import zipfile

    fmt = _FORMATS.get(repr(dtype).split(".", 1)[1])
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if fmt is None or info.compress_type != zipfile.ZIP_STORED or info.file_size < nbytes:
        return None
    n_name, n_extra = struct.unpack_from("<HH", mapped, info.header_offset + 26)
    start = info.header_offset + 30 + n_name + n_extra
    if start % dtype.itemsize or start + nbytes > len(mapped):
        return None
    return _core._from_buffer(memoryview(mapped)[start : start + nbytes].cast(fmt), dtype)


def _load_archive(fh, map_location, restricted: bool, mapped=None) -> Any:
    import zipfile

    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, EOFError, ValueError) as e:
        raise RuntimeError(
            f"PytorchStreamReader failed reading zip archive: failed finding central directory ({e})"
        ) from None
    with zf:
        pkl_names = [n for n in zf.namelist() if n == "data.pkl" or n.endswith("/data.pkl")]
        if not pkl_names:
            raise RuntimeError("PytorchStreamReader failed locating file data.pkl: file not found")
        prefix = pkl_names[0][: -len("data.pkl")]
        byteorder = "little"
        if prefix + "byteorder" in zf.namelist():
            byteorder = _read_record(zf, prefix + "byteorder").decode(errors="replace").strip()
            if byteorder not in ("little", "big"):
                raise RuntimeError(f"Unknown endianness type: {byteorder}")

        def load_storage(dtype_name: str, key: str, numel: int, location: str) -> Tensor:
            dtype = getattr(_core, dtype_name, None)
            if not isinstance(dtype, _core.dtype):
                raise RuntimeError(f"the file holds a storage of dtype {dtype_name}, which ferrograd does not have")  # noqa: TRY004
            _check_location(location, map_location)
            nbytes = numel * dtype.itemsize
            name = f"{prefix}data/{key}"
            if mapped is not None and byteorder == sys.byteorder and nbytes:
                storage = _mapped_storage(zf, mapped, name, dtype, nbytes)
                if storage is not None:
                    return storage
            raw = _read_record(zf, name)
            if len(raw) < nbytes:
                raise RuntimeError(
                    f"storage data/{key} holds {len(raw)} bytes, but {numel} {dtype_name} elements need "
                    f"{nbytes}: the file is truncated or corrupted"
                )
            raw = raw[:nbytes]
            part = dtype.to_real() if dtype.is_complex else dtype  # swap each part
            if byteorder != sys.byteorder and part.itemsize > 1:
                import numpy as np

                raw = np.frombuffer(raw, dtype=f"u{part.itemsize}").byteswap().tobytes()
            storage = tensor_from_bytes(raw, dtype)
            if callable(map_location):
                moved = map_location(storage, location)
                if isinstance(moved, Tensor):
                    storage = moved
            return storage

        return _unpickle(io.BytesIO(_read_record(zf, prefix + "data.pkl")), load_storage, restricted)


def _read_record(zf: zipfile.ZipFile, name: str) -> bytes:
    import zipfile

    try:
        return zf.read(name)
    except KeyError:
        raise RuntimeError(f"PytorchStreamReader failed locating file {name}: file not found") from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
        raise RuntimeError(f"PytorchStreamReader failed reading file {name}: {e}") from None


def _check_location(location: str, map_location) -> None:
    if map_location is None and location.startswith("cuda"):
        raise RuntimeError(
            "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. "
            "If you are running on a CPU-only machine, please use torch.load with "
            "map_location=torch.device('cpu') to map your storages to the CPU."
        )
    target = map_location.get(location, location) if isinstance(map_location, dict) else map_location
    if target is None or callable(target):
        return
    from ._device import check_device, device

    if device(target).type == "cuda":  # PyTorch's message when the target has no CUDA either
        _check_location(location if location.startswith("cuda") else "cuda", None)
    check_device(target)


def _unpickle(fh, storage_loader, restricted: bool) -> Any:
    from . import _torch_pickle

    unpickler = _torch_pickle.SafeUnpickler(fh, storage_loader, restricted=restricted)
    try:
        return unpickler.load()
    except (pickle.UnpicklingError, RuntimeError, MemoryError):
        raise
    except (EOFError, ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as e:
        raise pickle.UnpicklingError(f"the pickled data is corrupted or truncated: {type(e).__name__}: {e}") from e
