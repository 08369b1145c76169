"""Less common public names of PyTorch's tensor API: `norm_except_dim`, `hash_tensor`,
`embedding_renorm_`, and the Tensor members `to_dense`, `module_load`, `grad_dtype`,
`is_distributed`, `volatile` and the removed `eig`/`solve`/`symeig` (which raise
PyTorch's RuntimeError)."""

from __future__ import annotations

import inspect
import warnings

from . import _core
from ._argcheck import int_list, need_int, need_int64, need_tensor, type_name
from ._core import Tensor
from ._numpy import np

__all__ = ["embedding_renorm_", "hash_tensor", "norm_except_dim"]


def norm_except_dim(v: Tensor, pow: int = 2, dim: int = 0) -> Tensor:
    """The `pow`-norm of `v` over every dimension but `dim`, kept with size 1 (the norm
    of the whole tensor for dim -1), as weight normalisation uses it.

    Args:
        v: the tensor.
        pow: the order of the norm (default 2).
        dim: the dimension kept (default 0); -1 for the norm of everything.
    """
    need_tensor("norm_except_dim", "v", 1, v)
    need_int("norm_except_dim", "pow", 2, pow)  # PyTorch's binding takes an int order
    need_int("norm_except_dim", "dim", 3, dim)
    need_int64(pow)
    need_int64(dim)
    if dim == -1:
        return v.norm(pow)
    if v.dim() == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    if not -v.dim() <= dim < v.dim():
        raise IndexError(f"Dimension out of range (expected to be in range of [{-v.dim()}, {v.dim() - 1}], but got {dim})")
    if dim == 0 and v.numel() == 0 and v.shape[0] == 0:  # its view(size(0), -1)
        raise RuntimeError("cannot reshape tensor of 0 elements into shape [0, -1] because the unspecified "
                           "dimension size -1 can be any value and is ambiguous")
    dims = tuple(d for d in range(v.dim()) if d != dim)
    return v.norm(pow, dim=dims, keepdim=True)


def hash_tensor(input: Tensor, dim=(), *, keepdim: bool = False, mode: int = 0) -> Tensor:
    """An xor of the elements' bits (each widened to its 64-bit float or integer kind),
    over `dim` (every dimension by default), as uint64.

    Args:
        input: the tensor.
        dim: a dimension or tuple of them; () for all.
        keepdim: keep the reduced dimensions with size 1.
        mode: the hash; only 0 (xor reduction) exists.
    """
    need_tensor("hash_tensor", "input", 1, input)
    if dim is None:  # PyTorch's optional int list: every dimension
        dim = ()
    first = dim[0] if isinstance(dim, (tuple, list)) and dim else None
    dim = int_list("hash_tensor", "dim", 2, dim)
    if first is not None and (isinstance(first, bool) or not isinstance(first, int)):
        raise TypeError("hash_tensor(): argument 'dim' (position 2) must be tuple of ints, but found element of type "
                        f"{type_name(first)} at pos 0")
    need_int64(dim)
    if mode != 0:
        raise RuntimeError(f"Unknown hash_tensor mode: {mode}")
    if input.dtype.is_complex:
        from ._dtype_names import scalar_name

        raise NotImplementedError(f"\"xor_sum_cpu\" not implemented for '{scalar_name(input.dtype)}'")
    source = input.detach()
    if source.dtype is _core.bfloat16:  # NumPy has no bfloat16; float32 holds it exactly
        source = source.float()
    values = source.numpy()
    wide = np.float64 if values.dtype.kind == "f" else np.int64
    bits = values.astype(wide).view(np.uint64)
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    nd = max(values.ndim, 1)
    for d in dims:
        if not -nd <= d < nd:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], but got {d})")
    seen: set[int] = set()
    for d in dims:
        if d % nd in seen:
            raise RuntimeError(f"dim {d % nd} appears multiple times in the list of dims")
        seen.add(d % nd)
    if values.ndim == 0:
        dims = ()  # a 0-dim tensor's only dim is itself: the hash is its own bits
    if not dims and values.size == 0:
        raise RuntimeError("hash_tensor: Expected reduction dim to be specified for input.numel() == 0. Specify the "
                           "reduction dim with the 'dim' argument.")
    for d in dims:
        if values.shape[d] == 0:
            raise IndexError(f"hash_tensor: Expected reduction dim {d} to have non-zero size.")
    axis = tuple(d % max(values.ndim, 1) for d in dims) if dims else None
    hashed = np.bitwise_xor.reduce(bits, axis=axis, keepdims=keepdim)
    from ._creation import tensor

    return tensor(np.asarray(hashed, dtype=np.uint64), dtype=_core.uint64)


def embedding_renorm_(input: Tensor, indices: Tensor, max_norm: float, norm_type: float) -> Tensor:
    """In place, each row of `input` named in `indices` scaled down to `max_norm` when
    its `norm_type`-norm exceeds it (as `embedding(..., max_norm=)` does); returns it.

    Args:
        input: the embedding matrix (rows are embeddings).
        indices: the rows to renormalise (repeats count once).
        max_norm: the largest norm kept.
        norm_type: the order of the norm.
    """
    from ._random_fill import refuse_grad_leaf
    from .nn._embedding_bag import embedding_renorm_ as renorm

    refuse_grad_leaf(input)
    return renorm(input, indices, max_norm, norm_type)


_REMOVED = {
    "eig": ("This function was deprecated since version 1.9 and is now removed. `torch.linalg.eig` returns complex "
            "tensors of dtype `cfloat` or `cdouble` rather than real tensors mimicking complex tensors.\n\n"
            "L, _ = torch.eig(A) should be replaced with:\nL_complex = torch.linalg.eigvals(A)\n\nand\n\n"
            "L, V = torch.eig(A, eigenvectors=True) should be replaced with:\n"
            "L_complex, V_complex = torch.linalg.eig(A)"),
    "solve": ("This function was deprecated since version 1.9 and is now removed. `torch.solve` is deprecated in "
              "favor of `torch.linalg.solve`. `torch.linalg.solve` has its arguments reversed and does not return "
              "the LU factorization.\n\nTo get the LU factorization see `torch.lu`, which can be used with "
              "`torch.lu_solve` or `torch.lu_unpack`.\nX = torch.solve(B, A).solution should be replaced with:\n"
              "X = torch.linalg.solve(A, B)"),
    "symeig": ("This function was deprecated since version 1.9 and is now removed. The default behavior has changed "
               "from using the upper triangular portion of the matrix by default to using the lower triangular "
               "portion.\n\nL, _ = torch.symeig(A, upper=upper) should be replaced with:\n"
               "L = torch.linalg.eigvalsh(A, UPLO='U' if upper else 'L')\n\nand\n\n"
               "L, V = torch.symeig(A, eigenvectors=True) should be replaced with:\n"
               "L, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')"),
}


def _removed(name: str):
    # PyTorch's Python methods, whose signatures Python checks before the body raises
    def eig(self: Tensor, eigenvectors=False):
        raise RuntimeError(_REMOVED["eig"])

    def symeig(self: Tensor, eigenvectors=False):
        raise RuntimeError(_REMOVED["symeig"])

    def solve(self: Tensor, other):
        raise RuntimeError(_REMOVED["solve"])

    method = {"eig": eig, "symeig": symeig, "solve": solve}[name]
    method.__name__, method.__qualname__ = name, f"Tensor.{name}"
    argument = "other: the right-hand side." if name == "solve" else "eigenvectors: whether they were wanted."
    method.__doc__ = (f"Removed from PyTorch in 1.9: raises its RuntimeError naming the `linalg` replacement "
                      f"({name}).\n\nArgs:\n    {argument}\n")
    return method


def _install() -> None:
    T = Tensor

    def to_dense(self: Tensor, dtype=None, *, masked_grad=None) -> Tensor:
        """This tensor (already strided), or a copy in `dtype` when one is given.

        Args:
            dtype: the dtype wanted; None keeps this tensor's.
            masked_grad: for sparse layouts only; ignored here.
        """
        from ._python_dtypes import python_type_dtype

        dtype = python_type_dtype(dtype)  # `float` is float64, as in PyTorch's parser
        if dtype is not None and not isinstance(dtype, _core.dtype):
            raise TypeError(f"to_dense(): argument 'dtype' (position 1) must be torch.dtype, not {type_name(dtype)}")
        return self if dtype is None or dtype == self.dtype else self.to(dtype)

    def module_load(self: Tensor, other: Tensor, assign: bool = False) -> Tensor:
        """What `load_state_dict` swaps in for this parameter or buffer: `other` detached
        with `assign`, else this tensor after copying `other` into it, detached.

        Args:
            other: the value in the state dict.
            assign: the `assign` argument of `load_state_dict`.
        """
        if assign:
            return other.detach()
        return self.copy_(other).detach()

    def is_distributed(self: Tensor, *args, **kwargs) -> bool:
        """False: no tensor is distributed here."""
        if args or kwargs:  # PyTorch's method takes nothing: Python's refusal, naming its class
            from ._parser_check import no_arguments_error

            raise no_arguments_error("TensorBase.is_distributed", args, kwargs)  # type: ignore[misc]
        return False

    def volatile(self: Tensor) -> bool:
        warnings.warn("volatile was removed (Variable.volatile is always False)", UserWarning, stacklevel=2)
        return False

    is_distributed.__signature__ = inspect.Signature(  # type: ignore[attr-defined]  # extra arguments are only refused
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)])
    module_load.__qualname__ = "Tensor.module_load"  # as PyTorch's Python method is named in errors
    T.to_dense = to_dense
    T.module_load = module_load
    T.is_distributed = is_distributed
    T.volatile = property(volatile, doc="Always False (removed from PyTorch), with its warning.")
    T.grad_dtype = property(lambda self: self.dtype, doc="The dtype a gradient of this tensor has: its own.")
    T.hash_tensor = lambda self, dim=(), *, keepdim=False, mode=0: hash_tensor(self, dim, keepdim=keepdim, mode=mode)
    for name in _REMOVED:
        setattr(T, name, _removed(name))


_install()
