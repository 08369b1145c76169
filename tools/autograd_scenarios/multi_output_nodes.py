"""Nodes with several differentiable outputs (triangular_solve, lu_unpack,
native_group_norm): every output's grad_fn is the one node, each output has its
`output_nr`, and the gradients of all outputs flow into it, also when only some are used
or when the backward itself is differentiated."""

from autograd_scenarios import ACCEPTED, scenario
from autograd_scenarios.op_nodes import _saved


def _mod(x):
    return __import__(type(x).__module__.split(".")[0])


def _x(m):
    return m.tensor([[0.5, 1.5], [2.0, 0.75]], dtype=m.float64, requires_grad=True)


def _observe(m, x, make, loss, twice):
    """The node of `make(x)`'s outputs, their output numbers, its saved fields, and the
    gradient of `loss(outputs)` with respect to x, then that gradient differentiated again."""
    outs = make(x)
    node = next(o.grad_fn for o in outs if o.grad_fn is not None)
    shape = (node.name(), [o.grad_fn is node for o in outs], [o.output_nr for o in outs],
             [(type(f).__name__, i) for f, i in node.next_functions], _saved(node))
    grad, = m.autograd.grad(loss(make(x)), x, create_graph=True)
    if not twice:
        return shape, grad.detach()
    again, = m.autograd.grad(grad.sin().sum(), x, allow_unused=True)
    return shape, grad.detach(), again


def _made(name, make, loss, twice=True):
    def run(m):
        return _observe(m, _x(m), lambda x: make(_mod(x), x), loss, twice)

    run.__name__ = f"multi_output_{name}"
    return scenario(run)


_CASES = {
    "triangular_solve_both": (
        lambda m, x: tuple(m.triangular_solve(x * x, x.tril() + 1, upper=False, transpose=True)),
        lambda outs: (outs[0] * 2).sum() + (outs[1] * outs[1]).sum()),
    "triangular_solve_coefficient_only": (
        lambda m, x: tuple(m.triangular_solve(x.detach(), x.triu() + 1, unitriangular=True)),
        lambda outs: (outs[1] ** 3).sum()),
    "triangular_solve_solution_transposed": (
        lambda m, x: tuple(m.triangular_solve(x * x, x.triu() + 1, transpose=True)),
        lambda outs: (outs[0] ** 2).sum()),
    "lu_unpack_square": (
        lambda m, x: m.lu_unpack(*m.linalg.lu_factor(x * x))[1:],
        lambda outs: (outs[0] * 3).sum() + (outs[1] * outs[1]).sum()),
    "lu_unpack_wide_U": (
        lambda m, x: m.lu_unpack(*m.linalg.lu_factor(x.repeat(1, 2) + 1))[1:],
        lambda outs: (outs[1] ** 2).sum()),
    "lu_unpack_tall": (  # first order only: lu_factor's own double backward rounds differently
        lambda m, x: m.lu_unpack(*m.linalg.lu_factor(x.repeat(2, 1) + 1))[1:],
        lambda outs: (outs[0] * 2).sum() + outs[1].sum(), False),
    "native_group_norm_statistics": (
        lambda m, x: m.native_group_norm((x * x).reshape(1, 2, 2), x[0], None, 1, 2, 2, 1, 1e-5),
        lambda outs: outs[0].sin().sum() + (outs[1] * 2).sum() + (outs[2] ** 2).sum()),
    "native_group_norm_statistics_only": (
        lambda m, x: m.native_group_norm((x + 1).reshape(1, 2, 2), None, x[1], 1, 2, 2, 2, 1e-5),
        lambda outs: outs[2].sum() - outs[1].sum()),
    "group_norm_weighted_two_groups": (
        lambda m, x: (m.nn.functional.group_norm((x * x).reshape(1, 4, 1), 2, x[1].repeat(2), x[0].repeat(2)),),
        lambda outs: outs[0].sin().sum()),
}

for _n, _case in _CASES.items():
    _made(_n, *_case)

ACCEPTED["multi_output_native_group_norm_statistics_only"] = (
    "the second derivative through rstd: PyTorch's infinitely_differentiable_native_group_norm_backward gives "
    "-1/2 of the finite-difference value, ours agrees with finite differences (first order and graph match)")
