"""Every public callable of ferrograd has a docstring, so that `help()` is useful.

The test walks the real objects (whatever the installed package holds, Rust-made
functions and methods included: pyo3 turns `///` comments into `__doc__`) and reports
every public function, class and method whose `inspect.getdoc` is empty. A method may
take its docstring from the class it overrides (`Linear.forward` from `Module.forward`),
as `help()` does. It tests ferrograd's own text, so it runs on ferrograd under either
test backend.
"""

import enum
import importlib
import inspect
import re
import types

import ferrograd

# The public modules whose public names are checked.
MODULES = (
    "ferrograd",
    "ferrograd.accelerator",
    "ferrograd.autograd",
    "ferrograd.autograd.functional",
    "ferrograd.autograd.profiler",
    "ferrograd.autograd.profiler_util",
    "ferrograd.cuda",
    "ferrograd.cuda.amp",
    "ferrograd.func",
    "ferrograd.futures",
    "ferrograd.library",
    "ferrograd.linalg",
    "ferrograd.masked",
    "ferrograd.mps",
    "ferrograd.mps.profiler",
    "ferrograd.multiprocessing",
    "ferrograd.nn",
    "ferrograd.nn.functional",
    "ferrograd.nn.init",
    "ferrograd.nn.modules.utils",
    "ferrograd.nn.utils",
    "ferrograd.nn.utils.prune",
    "ferrograd.ops",
    "ferrograd.optim",
    "ferrograd.optim.lr_scheduler",
    "ferrograd.profiler",
    "ferrograd.quasirandom",
    "ferrograd.serialization",
    "ferrograd.signal.windows",
    "ferrograd.special",
    "ferrograd.testing",
    "ferrograd.utils",
    "ferrograd.utils.benchmark",
    "ferrograd.utils.module_tracker",
    "ferrograd.utils.data",
    "ferrograd.viz",
)


def _is_ours(obj) -> bool:
    module = getattr(obj, "__module__", None) or ""
    if module.startswith("ferrograd"):
        return True
    # methods of pyo3 classes carry no __module__; their class does
    owner = getattr(obj, "__objclass__", None)
    return owner is not None and (getattr(owner, "__module__", "") or "").startswith("ferrograd")


def _has_doc(obj) -> bool:
    doc = inspect.getdoc(obj)
    return isinstance(doc, str) and doc.strip() != ""


def _public_names(module) -> list[str]:
    names = set(getattr(module, "__all__", ()))
    names |= {n for n in dir(module) if not n.startswith("_")}
    return sorted(names)


def _methods(cls):
    """(name, attribute) for the public callables a class defines itself."""
    for name, raw in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(raw, (staticmethod, classmethod)):
            raw = raw.__func__
        if isinstance(raw, property) or not callable(raw):
            continue
        if isinstance(raw, type):
            continue  # a class held as an attribute (`cls_to_become`) is checked where it is public
        yield name, getattr(cls, name)


def undocumented(modules=MODULES) -> list[str]:
    """Qualified names of the public callables without a docstring."""
    missing: list[str] = []
    seen: set[int] = set()

    def check(qualname: str, obj) -> None:
        if id(obj) in seen or isinstance(obj, types.ModuleType) or not callable(obj):
            return
        if not _is_ours(obj):
            return
        seen.add(id(obj))
        if not _has_doc(obj):
            missing.append(qualname)
        if isinstance(obj, type):
            for name, method in _methods(obj):
                check(f"{qualname}.{name}", method)

    for module_name in modules:
        module = importlib.import_module(module_name)
        for name in _public_names(module):
            check(f"{module_name}.{name}", getattr(module, name))
    return missing


# Modules whose public callables must name every parameter in their docstring
# (`help()` then explains each argument). Grows as modules are documented.
ARGUMENT_DOCUMENTED_MODULES = (
    "ferrograd",
    "ferrograd.accelerator",
    "ferrograd.autograd",
    "ferrograd.autograd.functional",
    "ferrograd.autograd.profiler",
    "ferrograd.autograd.profiler_util",
    "ferrograd.cuda",
    "ferrograd.cuda.amp",
    "ferrograd.func",
    "ferrograd.futures",
    "ferrograd.library",
    "ferrograd.linalg",
    "ferrograd.masked",
    "ferrograd.mps",
    "ferrograd.mps.profiler",
    "ferrograd.multiprocessing",
    "ferrograd.nn",
    "ferrograd.nn.functional",
    "ferrograd.nn.init",
    "ferrograd.nn.modules.utils",
    "ferrograd.nn.utils",
    "ferrograd.nn.utils.prune",
    "ferrograd.ops",
    "ferrograd.optim",
    "ferrograd.optim.lr_scheduler",
    "ferrograd.profiler",
    "ferrograd.quasirandom",
    "ferrograd.serialization",
    "ferrograd.signal.windows",
    "ferrograd.special",
    "ferrograd.testing",
    "ferrograd.utils",
    "ferrograd.utils.benchmark",
    "ferrograd.utils.module_tracker",
    "ferrograd.utils.data",
    "ferrograd.viz",
)

# Modules walked by every public name, not only `__all__`: the top-level namespace
# attaches most of its functions (`ferrograd.sum`, `ferrograd.sin`) outside `__all__`.
_WHOLE_NAMESPACE_MODULES = {"ferrograd"}

# Parameters a docstring need not name: the receiver and catch-alls.
_IMPLICIT_PARAMETERS = {"self", "cls", "args", "kwargs"}


def _parameters(obj) -> list[str] | None:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    return [name for name in signature.parameters if name not in _IMPLICIT_PARAMETERS]


def undocumented_arguments(modules=ARGUMENT_DOCUMENTED_MODULES) -> list[str]:
    """`qualname: param, ...` for each public callable whose docstring does not name
    all its parameters (as words of the text). A class is checked by its constructor,
    which its docstring documents, as PyTorch's do."""
    missing: list[str] = []
    seen: set[int] = set()

    def check(qualname: str, obj) -> None:
        if id(obj) in seen or isinstance(obj, types.ModuleType) or not callable(obj):
            return
        if not _is_ours(obj):
            return
        seen.add(id(obj))
        # an Enum's constructor (`value, names, module, ...`) is the enum machinery's, not its API
        params = None if isinstance(obj, enum.EnumMeta) else _parameters(obj)
        words = set(re.findall(r"\w+", inspect.getdoc(obj) or ""))
        lacking = [p for p in params or () if p not in words]
        if lacking:
            missing.append(f"{qualname}: {', '.join(lacking)}")
        if isinstance(obj, type):
            for name, method in _methods(obj):
                check(f"{qualname}.{name}", method)

    for module_name in modules:
        module = importlib.import_module(module_name)
        names = getattr(module, "__all__", None)
        if not names or module_name in _WHOLE_NAMESPACE_MODULES:
            names = _public_names(module)
        for name in sorted(names):
            check(f"{module_name}.{name}", getattr(module, name))
    return missing


def test_every_parameter_is_named_in_its_docstring():
    missing = undocumented_arguments()
    assert missing == [], f"{len(missing)} callables with undocumented parameters:\n" + "\n".join(missing)


def test_the_argument_walk_reports_an_undocumented_parameter():
    module = types.ModuleType("ferrograd._argument_probe")

    def complete(x, dim=0):
        """Args:
        x: the input.
        dim: the dimension.
        """

    def partial(x, keepdim=False, *args, **kwargs):
        """Args:
        x: the input.
        """

    for obj in (complete, partial):
        obj.__module__ = module.__name__
    module.complete, module.partial = complete, partial
    import sys

    sys.modules[module.__name__] = module
    try:
        assert undocumented_arguments((module.__name__,)) == ["ferrograd._argument_probe.partial: keepdim"]
    finally:
        del sys.modules[module.__name__]


def test_every_public_callable_has_a_docstring():
    missing = undocumented()
    assert missing == [], f"{len(missing)} public callables without a docstring:\n" + "\n".join(missing)


def test_tensor_methods_made_in_rust_and_python_are_walked():
    # The walk reaches Rust-made methods (pyo3 descriptors) and Python-attached ones.
    for name in ("add", "sum", "backward", "gather", "numpy"):
        method = getattr(ferrograd.Tensor, name)
        assert _is_ours(method), name
        assert _has_doc(method), name
    assert "Args:" in inspect.getdoc(ferrograd.Tensor.sum)
    assert "Args:" in inspect.getdoc(ferrograd.Tensor.backward)


def test_the_walk_reports_an_undocumented_function():
    # The check must be able to fail: a module with one undocumented public function
    # and one undocumented method is reported, by name.
    module = types.ModuleType("ferrograd._docstring_probe")

    def documented():
        """Has a docstring."""

    def bare():
        pass

    class Probe:
        """A class with one undocumented method."""

        def method(self):
            pass

    for obj in (documented, bare, Probe, Probe.method):
        obj.__module__ = module.__name__
    module.documented, module.bare, module.Probe = documented, bare, Probe
    import sys

    sys.modules[module.__name__] = module
    try:
        assert undocumented((module.__name__,)) == [
            "ferrograd._docstring_probe.Probe.method",
            "ferrograd._docstring_probe.bare",
        ]
    finally:
        del sys.modules[module.__name__]


def test_help_of_tensor_creation_shows_its_arguments():
    doc = inspect.getdoc(ferrograd.tensor)
    assert doc and "dtype" in doc and "requires_grad" in doc


def _help_text(obj) -> str:
    import pydoc

    return pydoc.render_doc(obj, renderer=pydoc.plaintext)


def test_help_of_common_functions_names_their_arguments():
    # help() shows each argument of the functions users reach for first
    expected = {
        ferrograd.sum: ("input", "dim", "keepdim", "dtype"),
        ferrograd.randn: ("size", "generator", "dtype", "requires_grad"),
        ferrograd.Tensor.view: ("shape", "dtype"),
        ferrograd.Tensor.sum: ("dim", "keepdim", "dtype"),
        ferrograd.cat: ("tensors", "dim"),
        ferrograd.sin: ("input",),
        ferrograd.atan2: ("input", "other"),
        ferrograd.Tensor.atan2_: ("other",),
        ferrograd.var: ("dim", "unbiased", "keepdim", "correction"),
    }
    for obj, names in expected.items():
        text = _help_text(obj)
        args = text.split("Args:", 1)
        assert len(args) == 2, f"{obj.__name__}: no Args section"
        for name in names:
            assert re.search(rf"\b{name}\b", args[1]), f"{obj.__name__}: {name} not described"


def test_method_forms_of_functions_keep_the_functions_arguments():
    # `t.gather(dim, index)` documents the same arguments as `ferrograd.gather`
    for name in ("gather", "unique", "quantile", "fmod", "scatter_reduce"):
        method_doc = inspect.getdoc(getattr(ferrograd.Tensor, name))
        params = _parameters(getattr(ferrograd.Tensor, name))
        assert params, name
        assert all(re.search(rf"\b{p}\b", method_doc) for p in params), name
