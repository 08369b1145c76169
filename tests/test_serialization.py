"""save/load in PyTorch's checkpoint format, pickle and copy of tensors, parameters and
modules, and the safetensors format.

Interop with PyTorch is checked when torch is importable; without it the same tests
check the archive layout that PyTorch reads (records, persistent ids, globals).
"""

import copy
import importlib.util
import io
import json
import pickle
import pickletools
import struct
import zipfile
from collections import OrderedDict

import numpy as np
import pytest
from backend import fg

nn = fg.nn
HAVE_TORCH = importlib.util.find_spec("torch") is not None
if HAVE_TORCH:
    import torch


def roundtrip(obj, **load_kw):
    buf = io.BytesIO()
    fg.save(obj, buf)
    buf.seek(0)
    return fg.load(buf, **load_kw)


def saved_bytes(obj) -> bytes:
    buf = io.BytesIO()
    fg.save(obj, buf)
    return buf.getvalue()


def pickle_globals(data: bytes) -> set:
    """The `module name` of every GLOBAL opcode of a protocol-2 pickle."""
    return {arg for op, arg, _ in pickletools.genops(data) if op.name == "GLOBAL"}


# ---- save / load ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("values", "dtype"),
    [([[1.5, -2.0], [3.25, 0.0]], "float32"), ([1e-300, 2.5], "float64"), ([-(2**62), 7], "int64"),
     ([True, False, True], "bool")],
)
def test_tensors_round_trip_with_dtype_shape_and_values(values, dtype):
    t = fg.tensor(values, dtype=getattr(fg, dtype))
    u = roundtrip(t)
    assert u.dtype == getattr(fg, dtype)
    assert tuple(u.shape) == np.array(values).shape
    assert u.tolist() == values


def test_zero_dim_and_empty_tensors_round_trip():
    out = roundtrip({"s": fg.tensor(3.5), "e": fg.zeros(0, 3)})
    assert out["s"].item() == 3.5 and tuple(out["s"].shape) == ()
    assert tuple(out["e"].shape) == (0, 3)


def test_views_sharing_a_storage_stay_shared():
    x = fg.arange(12.0).reshape(3, 4)
    out = roundtrip({"x": x, "row": x[1], "col": x[:, 2], "t": x.t()})
    assert out["row"].tolist() == [4.0, 5.0, 6.0, 7.0]
    assert out["col"].tolist() == [2.0, 6.0, 10.0]
    assert out["t"].stride() == (1, 4) and out["col"].stride() == (4,)
    assert out["row"].storage_offset() == 4
    out["x"][1, 2] = 100.0
    assert out["row"][2].item() == 100.0 and out["col"][1].item() == 100.0
    assert out["t"][2, 1].item() == 100.0


def test_containers_numbers_and_strings_round_trip():
    obj = {"list": [fg.ones(2), 3], "tuple": (fg.zeros(1), "a"), "od": OrderedDict(b=fg.tensor([1, 2])),
           "n": 2.5, "i": -7, "s": "text", "none": None, "bytes": b"\x00\xff", "set": {1, 2}, "flag": True}
    out = roundtrip(obj)
    assert out["list"][0].tolist() == [1.0, 1.0] and out["list"][1] == 3
    assert isinstance(out["tuple"], tuple) and out["tuple"][1] == "a"
    assert type(out["od"]) is OrderedDict and out["od"]["b"].tolist() == [1, 2]
    assert (out["n"], out["i"], out["s"], out["none"], out["bytes"], out["set"], out["flag"]) == (
        2.5, -7, "text", None, b"\x00\xff", {1, 2}, True)


def test_parameters_and_requires_grad_round_trip():
    p = nn.Parameter(fg.tensor([1.0, 2.0]))
    q = nn.Parameter(fg.tensor([3.0]), requires_grad=False)
    leaf = fg.tensor([4.0], requires_grad=True)
    out = roundtrip([p, q, leaf])
    assert type(out[0]) is nn.Parameter and out[0].requires_grad and out[0].tolist() == [1.0, 2.0]
    assert type(out[1]) is nn.Parameter and not out[1].requires_grad
    assert type(out[2]) is fg.Tensor and out[2].requires_grad and out[2].is_leaf


def test_state_dicts_round_trip_into_a_new_model(tmp_path):
    fg.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
    path = tmp_path / "model.pt"
    fg.save(model.state_dict(), path)
    sd = fg.load(path)
    assert list(sd) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    other = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
    other.load_state_dict(sd)
    x = fg.tensor([[0.5, -1.0, 2.0]])
    assert other(x).tolist() == model(x).tolist()


def test_paths_strings_and_file_objects(tmp_path):
    t = fg.tensor([1.0, 2.0])
    fg.save(t, str(tmp_path / "a.pt"))
    fg.save(t, tmp_path / "b.pt")
    with open(tmp_path / "c.pt", "wb") as fh:
        fg.save(t, fh)
    for name in ("a.pt", "b.pt", "c.pt"):
        assert fg.load(tmp_path / name).tolist() == [1.0, 2.0]
        assert fg.load(str(tmp_path / name)).tolist() == [1.0, 2.0]
    with open(tmp_path / "c.pt", "rb") as fh:
        assert fg.load(fh).tolist() == [1.0, 2.0]


def test_the_file_is_a_pytorch_zip_archive_with_aligned_records():
    x = fg.arange(6.0).reshape(2, 3)
    data = saved_bytes({"x": x, "row": x[1], "p": nn.Parameter(fg.ones(2, dtype=fg.float64))})
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = zf.namelist()
    prefix = names[0].split("/")[0]
    assert names[0] == f"{prefix}/data.pkl"
    for rec in ("byteorder", "version", "data/0", "data/1", ".data/serialization_id"):
        assert f"{prefix}/{rec}" in names
    assert f"{prefix}/data/2" not in names  # the row shares x's storage
    assert zf.read(f"{prefix}/byteorder") == b"little"
    assert zf.read(f"{prefix}/version") == b"3\n"
    assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())
    assert np.frombuffer(zf.read(f"{prefix}/data/0"), dtype="<f4").tolist() == [0, 1, 2, 3, 4, 5]
    assert np.frombuffer(zf.read(f"{prefix}/data/1"), dtype="<f8").tolist() == [1, 1]
    for info in zf.infolist():
        if "/data/" in info.filename:
            n_name, n_extra = struct.unpack("<HH", data[info.header_offset + 26: info.header_offset + 30])
            assert (info.header_offset + 30 + n_name + n_extra) % 64 == 0
    pkl = zf.read(f"{prefix}/data.pkl")
    assert pkl[:2] == b"\x80\x02"  # protocol 2, as torch.save writes
    assert pickle_globals(pkl) <= {
        "torch._utils _rebuild_tensor_v2", "torch._utils _rebuild_parameter", "torch FloatStorage",
        "torch DoubleStorage", "collections OrderedDict",
    }
    assert "torch FloatStorage" in pickle_globals(pkl)


def test_pytorch_reads_what_save_writes(tmp_path):
    x = fg.arange(6.0).reshape(2, 3)
    fg.save({"x": x, "col": x[:, 1], "p": nn.Parameter(fg.tensor([0.5])), "i": fg.tensor([1, 2]),
             "b": fg.tensor([True, False]), "n": 3}, tmp_path / "f.pt")
    if HAVE_TORCH:
        out = torch.load(tmp_path / "f.pt")  # weights_only=True: only allowed globals
        assert isinstance(out["x"], torch.Tensor) and out["x"].dtype == torch.float32
        assert out["x"].tolist() == [[0, 1, 2], [3, 4, 5]] and out["col"].tolist() == [1, 4]
        assert out["col"].untyped_storage().data_ptr() == out["x"].untyped_storage().data_ptr()
        assert isinstance(out["p"], torch.nn.Parameter) and out["p"].requires_grad
        assert out["i"].dtype == torch.int64 and out["b"].dtype == torch.bool and out["n"] == 3
        mm = torch.load(tmp_path / "f.pt", mmap=True)  # needs the 64-byte aligned records
        assert mm["x"].tolist() == [[0, 1, 2], [3, 4, 5]]
    else:
        zf = zipfile.ZipFile(tmp_path / "f.pt")
        globals_ = pickle_globals(zf.read(zf.namelist()[0]))
        assert {"torch._utils _rebuild_tensor_v2", "torch._utils _rebuild_parameter", "torch FloatStorage",
                "torch LongStorage", "torch BoolStorage"} <= globals_


def test_load_reads_what_pytorch_saved():
    if HAVE_TORCH:
        buf = io.BytesIO()
        x = torch.arange(6.0).reshape(2, 3)
        lin = torch.nn.Linear(2, 1)
        with torch.no_grad():
            lin.weight.copy_(torch.tensor([[0.25, -0.5]]))
            lin.bias.fill_(1.5)
        torch.save({"x": x, "row": x[1], "sd": lin.state_dict(), "p": torch.nn.Parameter(torch.ones(2)),
                    "d": torch.tensor([1.0], dtype=torch.float64), "bytes": b"ab", "size": x.shape}, buf)
        data = buf.getvalue()
    else:
        data = saved_bytes({"x": fg.arange(6.0).reshape(2, 3)})
        x = fg.load(io.BytesIO(data))["x"]
        data = saved_bytes({
            "x": x, "row": x[1], "sd": OrderedDict(weight=fg.tensor([[0.25, -0.5]]), bias=fg.tensor([1.5])),
            "p": nn.Parameter(fg.ones(2)), "d": fg.tensor([1.0], dtype=fg.float64), "bytes": b"ab",
            "size": x.shape})
    out = fg.load(io.BytesIO(data))
    assert isinstance(out["x"], fg.Tensor) and out["x"].tolist() == [[0, 1, 2], [3, 4, 5]]
    out["x"][1, 0] = -1.0
    assert out["row"].tolist() == [-1.0, 4.0, 5.0]
    assert list(out["sd"]) == ["weight", "bias"] and out["sd"]["weight"].tolist() == [[0.25, -0.5]]
    assert type(out["p"]) is nn.Parameter and out["p"].requires_grad
    assert out["d"].dtype == fg.float64 and out["bytes"] == b"ab" and tuple(out["size"]) == (2, 3)


def test_model_and_optimizer_checkpoints_cross_over():
    fg.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    opt = fg.optim.Adam(model.parameters(), lr=0.1)
    model(fg.ones(4, 3)).sum().backward()
    opt.step()
    data = saved_bytes({"model": model.state_dict(), "optim": opt.state_dict()})
    lib = torch if HAVE_TORCH else fg  # without torch: back into ferrograd
    ckpt = lib.load(io.BytesIO(data))
    other = lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.BatchNorm1d(2))
    other.load_state_dict(ckpt["model"])
    other_opt = lib.optim.Adam(other.parameters(), lr=0.5)
    other_opt.load_state_dict(ckpt["optim"])
    assert other_opt.param_groups[0]["lr"] == 0.1 and other[1].num_batches_tracked.item() == 1
    assert other[0].weight.tolist() == model[0].weight.tolist()
    back = io.BytesIO()
    lib.save({"model": other.state_dict(), "optim": other_opt.state_dict()}, back)
    again = fg.load(io.BytesIO(back.getvalue()))
    model.load_state_dict(again["model"])
    opt.load_state_dict(again["optim"])
    assert opt.state_dict()["state"][0]["step"].item() == 1.0


def _mapped_from(path, ptr: int) -> bool:
    """Whether address `ptr` lies in a mapping of the file at `path` (Linux)."""
    with open("/proc/self/maps") as fh:
        for line in fh:
            fields = line.split()
            lo, hi = (int(a, 16) for a in fields[0].split("-"))
            if lo <= ptr < hi and fields[-1] == str(path.resolve()):
                return True
    return False


def test_mmap_loads_borrow_a_private_mapping_of_the_file(tmp_path):
    path = tmp_path / "m.pt"
    x = fg.arange(1024.0)
    fg.save({"x": x, "tail": x[1000:], "flags": fg.tensor([True, False])}, path)
    out = fg.load(path, mmap=True)
    assert out["tail"].tolist() == [float(v) for v in range(1000, 1024)]
    assert out["flags"].tolist() == [True, False]
    assert _mapped_from(path, out["x"].data_ptr())
    out["x"][1000] = -1.0  # copy-on-write: the view sees it, the file does not
    assert out["tail"][0].item() == -1.0
    assert fg.load(path)["x"][1000].item() == 1000.0
    with pytest.raises(ValueError, match="file path"):
        fg.load(io.BytesIO(path.read_bytes()), mmap=True)


class Evil:
    def __reduce__(self):
        return (print, ("pwned",))


def test_loading_refuses_code_and_names_the_global(capsys):
    data = bytearray(saved_bytes({"a": fg.ones(1)}))
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as w:
        for name in zf.namelist():
            body = zf.read(name)
            if name.endswith("data.pkl"):
                body = pickle.dumps({"x": Evil()}, protocol=2)
            w.writestr(name, body)
    with pytest.raises(pickle.UnpicklingError, match="print"):
        fg.load(io.BytesIO(out.getvalue()))
    assert "pwned" not in capsys.readouterr().out


def test_plain_pickles_of_other_objects_are_refused_too(tmp_path):
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps(Evil(), protocol=2))
    with pytest.raises(pickle.UnpicklingError, match="print"):
        fg.load(path)


def test_truncated_and_corrupted_files_raise_clear_errors():
    data = saved_bytes({"x": fg.arange(100.0)})
    with pytest.raises(RuntimeError, match="central directory"):
        fg.load(io.BytesIO(data[: len(data) // 2]))
    zf = zipfile.ZipFile(io.BytesIO(data))
    cut = io.BytesIO()
    with zipfile.ZipFile(cut, "w") as w:
        for name in zf.namelist():
            body = zf.read(name)
            w.writestr(name, body[: len(body) // 2] if name.endswith("data.pkl") else body)
    with pytest.raises(pickle.UnpicklingError):
        fg.load(io.BytesIO(cut.getvalue()))


def test_garbage_is_an_unpickling_error():
    with pytest.raises(pickle.UnpicklingError):
        fg.load(io.BytesIO(b"\x80\x02not a pickle at all"))


# ---- pickle and copy -------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
def test_pickle_keeps_dtype_shape_and_values(dtype):
    t = fg.tensor([[1, 0, 3], [0, 5, 1]], dtype=getattr(fg, dtype))
    u = pickle.loads(pickle.dumps(t))
    assert u.dtype == t.dtype and tuple(u.shape) == (2, 3) and u.tolist() == t.tolist()
    assert u.data_ptr() != t.data_ptr()


def test_pickle_keeps_requires_grad_and_makes_a_leaf():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    for src in (x, y):
        u = pickle.loads(pickle.dumps(src))
        assert u.requires_grad and u.is_leaf and u.grad_fn is None
    assert pickle.loads(pickle.dumps(y)).tolist() == [2.0, 4.0]


def test_copy_shares_storage_and_deepcopy_does_not():
    t = fg.tensor([1.0, 2.0])
    c = copy.copy(t)
    c[0] = 5.0
    assert t.tolist() == [5.0, 2.0]
    d = copy.deepcopy(t)
    d[1] = -1.0
    assert t.tolist() == [5.0, 2.0] and d.tolist() == [5.0, -1.0]


def test_deepcopy_of_a_leaf_keeps_its_grad():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    d = copy.deepcopy(x)
    assert d.requires_grad and d.is_leaf and d.grad.tolist() == [3.0, 3.0]
    assert d.grad.data_ptr() != x.grad.data_ptr()


def test_deepcopy_of_a_non_leaf_raises():
    x = fg.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="Only Tensors created explicitly by the user"):
        copy.deepcopy(x * 2)


def test_python_attributes_survive_pickle_and_deepcopy():
    t = fg.tensor([1.0])
    t.note = "kept"
    assert pickle.loads(pickle.dumps(t)).note == "kept"
    assert copy.deepcopy(t).note == "kept"


def test_deepcopy_memo_keeps_shared_references_shared():
    t = fg.ones(2)
    a, b = copy.deepcopy([t, t])
    assert a is b and a is not t


def test_parameter_pickle_copy_and_deepcopy():
    p = nn.Parameter(fg.tensor([1.5, -2.0]))
    p.grad = fg.tensor([1.0, 1.0])
    for q in (pickle.loads(pickle.dumps(p)), copy.deepcopy(p), copy.copy(p)):
        assert type(q) is nn.Parameter and q.requires_grad and q.tolist() == [1.5, -2.0]
        assert q.grad is None  # PyTorch does not carry a parameter's grad through these
    assert copy.copy(p).data_ptr() == p.data_ptr()
    assert copy.deepcopy(p).data_ptr() != p.data_ptr()


def test_modules_pickle_and_deepcopy():
    fg.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    x = fg.tensor([[0.5, -1.5]])
    for m in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model)):
        assert type(m) is nn.Sequential and m(x).tolist() == model(x).tolist()
        assert all(type(p) is nn.Parameter for p in m.parameters())
        assert m[0].weight.data_ptr() != model[0].weight.data_ptr()
    out = roundtrip(model, weights_only=False)
    assert out(x).tolist() == model(x).tolist()


def test_a_whole_module_needs_weights_only_false():
    with pytest.raises(pickle.UnpicklingError, match="Linear"):
        roundtrip(nn.Linear(2, 1))


# ---- safetensors (a ferrograd module; the format checked byte by byte) ------------------
def _safetensors():
    import ferrograd
    from ferrograd.utils import safetensors

    return ferrograd, safetensors


def test_safetensors_bytes_follow_the_format():
    ferrograd, st = _safetensors()
    data = st.save({"b": ferrograd.tensor([1, 2], dtype=ferrograd.int64), "a": ferrograd.tensor([[1.5, 2.0]])},
                   metadata={"format": "pt"})
    (n,) = struct.unpack("<Q", data[:8])
    assert n % 8 == 0
    header = json.loads(data[8: 8 + n])
    assert header["__metadata__"] == {"format": "pt"}
    assert header["a"] == {"dtype": "F32", "shape": [1, 2], "data_offsets": [0, 8]}
    assert header["b"] == {"dtype": "I64", "shape": [2], "data_offsets": [8, 24]}
    body = data[8 + n:]
    assert np.frombuffer(body[:8], "<f4").tolist() == [1.5, 2.0]
    assert np.frombuffer(body[8:24], "<i8").tolist() == [1, 2]


def test_safetensors_round_trip_files(tmp_path):
    ferrograd, st = _safetensors()
    x = ferrograd.arange(6.0, dtype=ferrograd.float64).reshape(2, 3)
    tensors = {"x": x.t(), "mask": ferrograd.tensor([True, False]), "s": ferrograd.tensor(2.5)}
    st.save_file(tensors, tmp_path / "m.safetensors", metadata={"k": "v"})
    out = st.load_file(tmp_path / "m.safetensors")
    assert out["x"].tolist() == [[0, 3], [1, 4], [2, 5]] and out["x"].dtype == ferrograd.float64
    assert out["mask"].tolist() == [True, False] and out["s"].item() == 2.5 and tuple(out["s"].shape) == ()
    assert st.metadata((tmp_path / "m.safetensors").read_bytes()) == {"k": "v"}


def test_safetensors_reads_a_hand_written_file():
    _, st = _safetensors()
    header = json.dumps({"w": {"dtype": "F64", "shape": [2], "data_offsets": [0, 16]}}).encode()
    data = struct.pack("<Q", len(header)) + header + np.array([0.5, -4.0], "<f8").tobytes()
    assert st.load(data)["w"].tolist() == [0.5, -4.0]


def test_safetensors_files_cross_with_the_safetensors_library():
    ferrograd, st = _safetensors()
    ours = st.save({"a": ferrograd.arange(6.0).reshape(2, 3), "m": ferrograd.tensor([True, False])})
    arrays = {"x": np.arange(4, dtype=np.float64).reshape(2, 2), "i": np.array([3, -1], dtype=np.int64)}
    if importlib.util.find_spec("safetensors") is not None:
        import safetensors.numpy as reference

        back = reference.load(ours)
        assert back["a"].dtype == np.float32 and back["a"].tolist() == [[0, 1, 2], [3, 4, 5]]
        assert back["m"].tolist() == [True, False]
        theirs = reference.save(arrays, metadata={"who": "safetensors"})
    else:  # the same file, written by hand after the format's description
        header = {"__metadata__": {"who": "safetensors"},
                  "i": {"dtype": "I64", "shape": [2], "data_offsets": [0, 16]},
                  "x": {"dtype": "F64", "shape": [2, 2], "data_offsets": [16, 48]}}
        text = json.dumps(header).encode()
        text += b" " * (-len(text) % 8)
        theirs = struct.pack("<Q", len(text)) + text + arrays["i"].tobytes() + arrays["x"].tobytes()
    out = st.load(theirs)
    assert out["x"].tolist() == [[0.0, 1.0], [2.0, 3.0]] and out["i"].tolist() == [3, -1]
    assert st.metadata(theirs) == {"who": "safetensors"}


def test_safetensors_refuses_bad_headers():
    _, st = _safetensors()
    with pytest.raises(st.SafetensorError):
        st.load(b"\x05\x00")
    with pytest.raises(st.SafetensorError):
        st.load(struct.pack("<Q", 1000) + b"{}")
    header = json.dumps({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 8]}}).encode()
    with pytest.raises(st.SafetensorError, match="bytes for shape"):
        st.load(struct.pack("<Q", len(header)) + header + bytes(8))
    header = json.dumps({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 80]}}).encode()
    with pytest.raises(st.SafetensorError, match="outside"):
        st.load(struct.pack("<Q", len(header)) + header + bytes(8))


# ---- files of ferrograd's earlier plain-pickle save (a ferrograd matter) ----------------
class _Reduces:
    def __init__(self, fn, args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return (self.fn, self.args)


def test_files_of_the_old_pickle_format_still_load():
    import ferrograd
    from ferrograd import _tensor
    from ferrograd.nn import parameter

    old = pickle.dumps({
        "w": _Reduces(_tensor._rebuild, (np.arange(3.0, dtype=np.float32), True)),
        "p": _Reduces(parameter._rebuild_parameter, (np.ones(2), True)),
        "epoch": 4,
    }, protocol=2)
    out = ferrograd.load(io.BytesIO(old))
    assert out["w"].tolist() == [0.0, 1.0, 2.0] and out["w"].dtype == ferrograd.float32 and out["w"].requires_grad
    assert type(out["p"]) is ferrograd.nn.Parameter and out["p"].dtype == ferrograd.float64
    assert out["epoch"] == 4


def test_a_storage_record_with_a_bad_checksum_is_refused():
    import ferrograd  # PyTorch's reader does not check the records' CRC-32; ferrograd does

    buf = io.BytesIO()
    ferrograd.save({"x": ferrograd.arange(100.0)}, buf)
    data = bytearray(buf.getvalue())
    info = next(i for i in zipfile.ZipFile(io.BytesIO(bytes(data))).infolist() if i.filename.endswith("data/0"))
    n_name, n_extra = struct.unpack("<HH", data[info.header_offset + 26: info.header_offset + 30])
    data[info.header_offset + 30 + n_name + n_extra + 5] ^= 0xFF
    with pytest.raises(RuntimeError, match="PytorchStreamReader failed reading file .*data/0"):
        ferrograd.load(io.BytesIO(bytes(data)))

