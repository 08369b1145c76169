"""einsum's whole recorded graph (ATen's decomposition: permute, unsqueeze, diagonal, sum,
reshape, bmm, view and mul nodes), the result's strides, and the gradients."""

from autograd_scenarios import scenario

_EQUATIONS = {
    "matmul": ("ij,jk->ik", [(2, 3), (3, 4)]),
    "matmul_transposed_out": ("ij,jk->ki", [(2, 3), (3, 4)]),
    "matmul_implicit": ("ij,jk", [(2, 3), (3, 4)]),
    "matmul_bt": ("ij,kj->ik", [(2, 3), (4, 3)]),
    "batched": ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
    "batched_swapped_out": ("bij,bjk->kbi", [(2, 2, 3), (2, 3, 4)]),
    "attention": ("bhqd,bhkd->bhqk", [(1, 2, 3, 2), (1, 2, 4, 2)]),
    "outer": ("i,j->ij", [(3,), (4,)]),
    "dot": ("i,i->", [(3,), (3,)]),
    "hadamard": ("ij,ij->ij", [(2, 3), (2, 3)]),
    "trace": ("ii->", [(3, 3)]),
    "diagonal": ("ii->i", [(3, 3)]),
    "diagonal_batched": ("bii->bi", [(2, 3, 3)]),
    "sum_all": ("ij->", [(2, 3)]),
    "sum_rows": ("ij->j", [(2, 3)]),
    "transpose": ("ij->ji", [(2, 3)]),
    "ellipsis_matmul": ("...ij,...jk->...ik", [(2, 2, 3), (2, 3, 4)]),
    "ellipsis_broadcast": ("...ij,jk", [(5, 2, 3), (3, 4)]),
    "ellipsis_sum": ("i...->...", [(2, 3, 4)]),
    "matvec": ("ij,j->i", [(2, 3), (3,)]),
    "chain3": ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    "bilinear_form": ("bn,anm,bm->ba", [(2, 3), (4, 3, 5), (2, 5)]),
    "size_one_broadcast": ("ab,cb->a", [(2, 3), (1, 3)]),
}


def _node(fn):
    if fn is None:
        return None
    saved = {}
    for n in sorted(dir(fn)):
        if n.startswith("_saved_"):
            v = getattr(fn, n)
            saved[n] = tuple(v.shape) if hasattr(v, "shape") else v
    # ReshapeAliasBackward0 keeps no `_saved_self_sym_sizes` in the core (NEEDS RUST, apart)
    if fn.name() == "ReshapeAliasBackward0":
        saved = {}
    if not hasattr(fn, "next_functions"):
        return fn.name(), saved
    return fn.name(), saved, [(_node(f), i) for f, i in fn.next_functions]


def _make(name, equation, shapes):
    def run(m):
        xs = []
        for k, shape in enumerate(shapes):
            n = 1
            for s in shape:
                n *= s
            xs.append((m.arange(n, dtype=m.float64).reshape(shape) / (k + 2) - 1).requires_grad_())
        y = m.einsum(equation, *xs)
        graph = _node(y.grad_fn)
        (y * (m.arange(y.numel(), dtype=m.float64).reshape(y.shape) + 1)).sum().backward()
        return graph, y.stride(), y.detach(), [x.grad for x in xs]

    run.__name__ = f"einsum_graph_{name}"
    return scenario(run)


for _n, (_eq, _shapes) in _EQUATIONS.items():
    _make(_n, _eq, _shapes)
