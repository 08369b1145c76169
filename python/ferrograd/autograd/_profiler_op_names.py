"""How the profiler names ferrograd's functions: PyTorch's aten op for the same call.

A public function or Tensor method `f` is recorded as `aten::f` (`ferrograd.linalg.f` as
`aten::linalg_f`, and so on) unless it is listed here as one that PyTorch does not record
(it reads metadata, changes settings or is composed in Python), or PyTorch records it
under another name.
"""

from __future__ import annotations

# Tensor operators -> the aten op PyTorch records for them (`x + y` is aten::add)
OPERATORS = {
    "__add__": "add", "__radd__": "add", "__iadd__": "add_", "__sub__": "sub", "__rsub__": "rsub",
    "__isub__": "sub_", "__mul__": "mul", "__rmul__": "mul", "__imul__": "mul_", "__truediv__": "div",
    "__rtruediv__": "mul", "__itruediv__": "div_", "__floordiv__": "floor_divide",
    "__rfloordiv__": "floor_divide", "__ifloordiv__": "floor_divide_", "__mod__": "remainder",
    "__rmod__": "remainder", "__imod__": "remainder_", "__pow__": "pow", "__rpow__": "pow", "__ipow__": "pow_",
    "__matmul__": "matmul", "__rmatmul__": "matmul", "__neg__": "neg", "__pos__": "positive", "__abs__": "abs",
    "__invert__": "bitwise_not", "__and__": "__and__", "__rand__": "__and__", "__iand__": "__iand__",
    "__or__": "__or__", "__ror__": "__or__", "__ior__": "__ior__", "__xor__": "__xor__", "__rxor__": "__xor__",
    "__ixor__": "__ixor__", "__lshift__": "__lshift__", "__rlshift__": "__lshift__", "__ilshift__": "__ilshift__",
    "__rshift__": "__rshift__", "__rrshift__": "__rshift__", "__irshift__": "__irshift__", "__eq__": "eq",
    "__ne__": "ne", "__lt__": "lt", "__le__": "le", "__gt__": "gt", "__ge__": "ge", "__bool__": "is_nonzero",
    "__float__": "item", "__int__": "item", "__iter__": "unbind", "__getitem__": "", "__setitem__": "",
}
# operators whose tensor operand PyTorch lists second (`2 ** x` is pow(2, x))
SWAPPED_OPERANDS = frozenset({"__rpow__"})

# names PyTorch records under another aten name
RENAMED = {
    "float": "to", "double": "to", "half": "to", "bfloat16": "to", "long": "to", "int": "to", "short": "to",
    "char": "to", "byte": "to", "bool": "to", "cfloat": "to", "cdouble": "to", "type": "to", "unique": "_unique2",
    "tensor": "lift_fresh", "cross_entropy": "cross_entropy_loss", "logsigmoid": "log_sigmoid",
    "nll_loss": "nll_loss_nd",
}

# public names PyTorch does not record as ops
NOT_RECORDED = frozenset({
    # Tensor metadata, conversion to Python and hooks
    "size", "dim", "ndimension", "numel", "nelement", "stride", "is_contiguous", "is_floating_point", "is_complex",
    "is_signed", "is_conj", "is_neg", "is_inference", "element_size", "storage_offset", "data_ptr",
    "const_data_ptr", "get_device", "requires_grad_", "retain_grad", "register_hook", "backward", "is_set_to",
    "is_same_size", "contiguous", "tolist", "numpy", "dim_order", "untyped_storage", "storage", "storage_type",
    "is_shared", "share_memory_", "as_subclass", "new", "module_load", "apply_", "map_", "map2_", "new_tensor",
    "register_post_accumulate_grad_hook", "is_pinned", "pin_memory", "is_leaf", "has_names", "refine_names",
    "rename", "align_to", "cpu", "to_dense", "__len__", "__repr__", "__str__", "__format__", "__hash__",
    "__array__", "__array_wrap__", "__dlpack__", "__dlpack_device__", "__deepcopy__", "__copy__",
    "__reduce_ex__", "__reversed__", "__complex__", "__index__", "__contains__",
    # top-level functions that read settings or metadata, or are composed in Python
    "are_deterministic_algorithms_enabled", "asarray", "cond", "from_dlpack", "from_numpy", "frombuffer",
    "get_default_device", "get_default_dtype", "get_deterministic_debug_mode", "get_device_module",
    "get_float32_matmul_precision", "get_num_interop_threads", "get_num_threads", "get_rng_state",
    "is_anomaly_check_nan_enabled", "is_anomaly_enabled", "is_deterministic_algorithms_warn_only_enabled",
    "is_grad_enabled", "is_inference_mode_enabled", "is_storage", "is_tensor", "is_nonzero",
    "is_warn_always_enabled", "manual_seed", "seed", "initial_seed", "pca_lowrank", "set_anomaly_enabled",
    "set_default_device", "set_default_dtype", "set_default_tensor_type", "set_deterministic_debug_mode",
    "set_float32_matmul_precision", "set_flush_denormal", "set_num_interop_threads", "set_num_threads",
    "set_rng_state", "set_warn_always", "svd_lowrank", "sym_float", "sym_fresh_size", "sym_int", "sym_ite",
    "sym_max", "sym_min", "sym_not", "sym_sqrt", "sym_sum", "typename", "unravel_index",
    "use_deterministic_algorithms", "result_type", "promote_types", "can_cast", "save", "load",
    # nn.functional helpers composed in Python
    "affine_grid", "check_mixed_dtype", "dropout1d", "dropout2d", "dropout3d", "fold", "gaussian_nll_loss",
    "gumbel_softmax", "install", "install_activations", "integer_hardtanh", "interpolate", "is_integral",
    "linear_cross_entropy", "local_response_norm", "lp_pool1d", "lp_pool2d", "lp_pool3d",
    "multi_head_attention_forward", "multilabel_soft_margin_loss", "need_floating_kernel", "need_floating_loss",
    "need_int", "need_int64_elements", "normalize", "refuse_grad", "scalar_name", "softmin", "softsign",
    "tanhshrink", "triplet_margin_with_distance_loss", "upsample", "upsample_bilinear", "upsample_nearest",
})

# PyTorch lists one input per schema argument, defaults included: the number of arguments
# of ops with one schema (the Python call's extra arguments, such as `inplace`, dropped)
SCHEMA_LENGTHS = {
    "relu": 1, "sigmoid": 1, "tanh": 1, "silu": 1, "sqrt": 1, "exp": 1, "t": 1, "detach": 1, "gelu": 2,
    "leaky_relu": 2, "hardtanh": 3, "elu": 4, "dropout": 3, "softmax": 3, "log_softmax": 3, "mse_loss": 3,
    "l1_loss": 3, "nll_loss_nd": 5, "layer_norm": 6, "conv2d": 7, "max_pool2d": 6, "avg_pool2d": 7, "linear": 3,
    "cross_entropy_loss": 6, "binary_cross_entropy_with_logits": 5, "scaled_dot_product_attention": 8,
    "zeros_like": 6, "ones_like": 6, "full": 6, "transpose": 3, "reshape": 2, "permute": 2, "flatten": 3,
    "clamp": 3, "where": 3, "unbind": 2, "select": 3, "slice": 5, "unsqueeze": 2, "index": 2, "view": 2, "to": 5,
    "clone": 2, "cat": 2, "stack": 2, "fill_": 2, "copy_": 3, "index_put_": 4, "matmul": 2, "mm": 2,
}
# ... and the shortest schema of ops with several (`x.sum()` lists 2 inputs, `x.sum(1)` 4)
MIN_SCHEMA_LENGTHS = {
    "add": 3, "sub": 3, "rsub": 3, "add_": 3, "sub_": 3, "sum": 2, "mean": 2, "zeros": 5, "ones": 5, "empty": 6,
    "randn": 5, "rand": 5, "arange": 5,
}

# module -> the prefix of its aten names (`ferrograd.linalg.solve` is aten::linalg_solve)
MODULE_PREFIXES = {
    "ferrograd": "", "ferrograd.nn.functional": "", "ferrograd.linalg": "linalg_", "ferrograd.special": "special_",
    "ferrograd.fft": "fft_",
}
