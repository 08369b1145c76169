"""`ferrograd.library` and `ferrograd.ops`: custom_op (schema inference, mutates_args
checks, register_autograd with gradcheck, the aliasing check), `ops.<ns>.<name>` lookup and
PyTorch's argument errors, Library("ns", "DEF").define/impl. Expected text from PyTorch 2.13
(the file also runs with FG_TEST_BACKEND=torch). Operator names are unique per test, as
definitions are process-wide."""

import importlib

import pytest
from backend import MOD, fg

L = importlib.import_module(f"{MOD}.library")
custom_op = L.custom_op
Tensor = fg.Tensor


def scale(x: Tensor, k: float) -> Tensor:
    return x * k


def test_custom_op_infers_its_schema_and_is_found_in_ops():
    op = custom_op("s18::scale", mutates_args=())(scale)
    assert repr(op) == "<CustomOpDef(s18::scale)>" and (op._namespace, op._name) == ("s18", "scale")
    assert op(fg.tensor([1.0, 2.0]), 3.0).tolist() == [3.0, 6.0]
    packet = fg.ops.s18.scale
    assert str(packet) == "s18.scale" and str(packet.default) == "s18.scale.default"
    assert repr(packet) == "<OpOverloadPacket(op='s18.scale')>"
    assert repr(packet.default) == "<OpOverload(op='s18.scale', overload='default')>"
    assert packet.default.name() == "s18::scale" and packet.overloads() == ["default"]
    assert str(packet.default._schema) == "s18::scale(Tensor x, float k) -> Tensor"
    assert packet(fg.ones(1), 2.0).tolist() == [2.0]


def test_inferred_schemas():
    def many(x: Tensor, y: Tensor | None, xs: list[Tensor], n: int, s: list[int], b: bool, st: str,
             f: float = 2.0) -> tuple[Tensor, Tensor]:
        return x.clone(), x.clone()

    def kw(x: Tensor, *, alpha: float = 1.0) -> Tensor:
        return x * alpha

    def copy_into(x: Tensor, out: Tensor) -> None:
        out.copy_(x)

    custom_op("s18::many", mutates_args=())(many)
    custom_op("s18::kw", mutates_args=())(kw)
    custom_op("s18::copy_into", mutates_args={"out"})(copy_into)
    custom_op("s18::copy_unknown", mutates_args="unknown")(copy_into)
    assert str(fg.ops.s18.many.default._schema) == (
        "s18::many(Tensor x, Tensor? y, Tensor[] xs, SymInt n, SymInt[] s, bool b, str st, float f=2.) "
        "-> (Tensor, Tensor)")
    assert str(fg.ops.s18.kw.default._schema) == "s18::kw(Tensor x, *, float alpha=1.) -> Tensor"
    assert str(fg.ops.s18.copy_into.default._schema) == "s18::copy_into(Tensor x, Tensor(a1!) out) -> ()"
    assert str(fg.ops.s18.copy_unknown.default._schema) == "s18::copy_unknown(Tensor(a0!) x, Tensor(a1!) out) -> ()"
    out = fg.zeros(2)
    assert fg.ops.s18.copy_into(fg.tensor([1.0, 2.0]), out) is None and out.tolist() == [1.0, 2.0]
    assert fg.ops.s18.kw(fg.ones(1), alpha=3.0).tolist() == [3.0]


@pytest.mark.parametrize("name, fn, mutates_args, message", [
    ("s18::bad1", scale, ("y",), ("^infer_schema\\(func\\): \\{'y'\\} in mutates_args were not found in the "
                                  "custom op's signature.")),
    ("s18::bad2", lambda x: x, (), "^infer_schema\\(func\\): Parameter x must have a type annotation."),
    ("s18::bad3", scale, "bad", ("^mutates_args must either be a sequence of the names of the arguments that "
                                 "are mutated or the string 'unknown'.")),
])
def test_custom_op_checks(name, fn, mutates_args, message):
    with pytest.raises(ValueError, match=message):
        custom_op(name, mutates_args=mutates_args)(fn)


def test_custom_op_needs_mutates_args_and_supported_types():
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'mutates_args'"):
        custom_op("s18::nomut")(scale)

    def takes_dict(x: Tensor, d: dict) -> Tensor:
        return x

    def varargs(x: Tensor, *args) -> Tensor:
        return x

    with pytest.raises(ValueError, match="^infer_schema\\(func\\): Parameter d has unsupported type <class 'dict'>."):
        custom_op("s18::takes_dict", mutates_args=())(takes_dict)
    with pytest.raises(ValueError, match="^infer_schema\\(func\\): We do not support positional-only args, varargs, "
                                         "or varkwargs."):
        custom_op("s18::varargs", mutates_args=())(varargs)


def test_calls_are_checked_against_the_schema():
    def times(x: Tensor, n: int) -> Tensor:
        return x * n

    op = custom_op("s18::times", mutates_args=())(times)
    decl = "Declaration: s18::times\\(Tensor x, SymInt n\\) -> Tensor"
    with pytest.raises(RuntimeError, match="^s18::times\\(\\) Expected a value of type 'int' for argument 'n' but "
                                           "instead found type 'float'.\nPosition: 1\nValue: 2.5\n" + decl):
        op(fg.ones(2), 2.5)
    with pytest.raises(RuntimeError, match="^s18::times\\(\\) expected at most 2 argument\\(s\\) but received 3 "
                                           "argument\\(s\\). " + decl):
        op(fg.ones(2), 2, 3)
    with pytest.raises(RuntimeError, match="^s18::times\\(\\) is missing value for argument 'n'. " + decl):
        op(fg.ones(2), m=2)
    with pytest.raises(AttributeError, match="^'_OpNamespace' 's18' object has no attribute 'nothere'$"):
        fg.ops.s18.nothere  # noqa: B018
    with pytest.raises(AttributeError, match="^The underlying op of 's18.times' has no overload name 'other'$"):
        fg.ops.s18.times.other  # noqa: B018


def test_register_autograd_gives_the_gradient():
    op = custom_op("s18::scale_grad", mutates_args=())(scale)
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = op(x, 3.0)
    assert type(y.grad_fn).__name__ == "GeneratedBackwardFor_s18_scale_grad_defaultBackward"
    with pytest.raises(RuntimeError, match="^Trying to backward through s18.scale_grad.default but no autograd "
                                           "formula was registered. Please use register_autograd to add one.$"):
        y.sum().backward()

    def setup_context(ctx, inputs, output):
        ctx.k = inputs[1]

    def backward(ctx, grad):
        return grad * ctx.k, None  # d(k x)/dx = k; k gets none

    op.register_autograd(backward, setup_context=setup_context)
    op(x, 3.0).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
    assert op(fg.ones(1), 2.0).grad_fn is None  # nothing requires grad
    x64 = fg.tensor([0.5, -1.5], dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(lambda t: op(t, 1.7), (x64,))


def test_a_backward_with_too_few_gradients_is_refused():
    def times2(x: Tensor, n: int) -> Tensor:
        return x * n

    op = custom_op("s18::times2", mutates_args=())(times2)
    op.register_autograd(lambda ctx, grad: grad * 2)
    with pytest.raises(RuntimeError, match="^function GeneratedBackwardFor_s18_times2_defaultBackward returned an "
                                           "incorrect number of gradients \\(expected 3, got 2\\)$"):
        op(fg.ones(2, requires_grad=True), 2).sum().backward()


def test_an_output_may_not_alias_an_input():
    def same(x: Tensor) -> Tensor:
        return x

    def view(x: Tensor) -> Tensor:
        return x.view(-1)

    for name, fn in (("s18::same", same), ("s18::view", view)):
        op = custom_op(name, mutates_args=())(fn)
        with pytest.raises(RuntimeError, match="The output of this custom operator \\(1\\) must not also be an input "
                                               "to this custom operator and \\(2\\) may not alias any inputs"):
            op(fg.ones(2))


def test_register_fake_and_kernel():
    op = custom_op("s18::scale_kernel", mutates_args=())(scale)

    def fake(x, k):
        return fg.empty_like(x)

    assert op.register_fake(fake) is fake

    @op.register_kernel("cpu")
    def doubled(x, k):
        return x * k * 2

    assert op(fg.ones(1), 3.0).tolist() == [6.0]


def test_library_define_and_impl():
    lib = L.Library("s18lib", "DEF")
    assert repr(lib) == "Library(kind=DEF, ns=s18lib, dispatch_key=)>" and (lib.ns, lib.kind) == ("s18lib", "DEF")
    assert lib.define("add1(Tensor x) -> Tensor") == "add1"
    assert lib.impl("add1", lambda x: x + 1, "CPU") is None
    assert fg.ops.s18lib.add1(fg.ones(2)).tolist() == [2.0, 2.0]
    with pytest.raises(RuntimeError, match="^Tried to register an operator \\(s18lib::add1\\(Tensor x\\) -> Tensor\\) "
                                           "with the same name and overload name multiple times."):
        lib.define("add1(Tensor x) -> Tensor")
    assert lib.define("double(Tensor x) -> Tensor") == "double"
    with pytest.raises(NotImplementedError, match="^Could not run 's18lib::double' with arguments from the 'CPU' "
                                                  "backend."):
        fg.ops.s18lib.double(fg.ones(2))
    lib.impl("double", lambda x: x * 2, "CompositeImplicitAutograd")  # differentiable through its own ops
    t = fg.ones(2, requires_grad=True)
    fg.ops.s18lib.double(t).sum().backward()
    assert t.grad.tolist() == [2.0, 2.0]


def test_a_kernel_may_come_before_its_definition():
    lib = L.Library("s18later", "DEF")
    lib.impl("later", lambda x: x * 5, "CPU")
    lib.define("later(Tensor x) -> Tensor")
    assert fg.ops.s18later.later(fg.ones(2)).tolist() == [5.0, 5.0]


def test_library_kinds():
    with pytest.raises(ValueError, match="^Unsupported kind: BAD$"):
        L.Library("s18lib", "BAD")
    with pytest.raises(RuntimeError, match='^def\\("x"\\): Cannot define an operator inside of a TORCH_LIBRARY_IMPL '
                                           "block."):
        L.Library("s18impl", "IMPL").define("x(Tensor a) -> Tensor")


def test_define_and_impl_functions():
    L.define("s18fn::f", "(Tensor x, float k) -> Tensor")
    assert str(fg.ops.s18fn.f.default._schema) == "s18fn::f(Tensor x, float k) -> Tensor"

    @L.impl("s18fn::f", "cpu")
    def f(x, k):
        return x * k

    assert f is None  # PyTorch's decorator returns nothing
    assert fg.ops.s18fn.f(fg.ones(2), 3.0).tolist() == [3.0, 3.0]
    with pytest.raises(RuntimeError, match="^s18fn::f\\(\\) is missing value for argument 'k'."):
        fg.ops.s18fn.f(fg.ones(2))
