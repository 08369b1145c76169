"""The Tensor methods whose calls PyTorch hands a `TorchFunctionMode` with the receiver's
type among the types even for a plain tensor (`types == (Tensor,)`): those its C++
binding dispatches on the receiver alone (`abs`, `item`, `new_tensor`, the methods that
take no argument) and those written in Python (`split`, `norm`). The others' parser
lists only the arguments that override (none, for plain tensors)."""

SELF_TYPED_METHODS = frozenset({
    "__abs__", "__array__", "__bool__", "__complex__", "__dir__", "__dlpack__", "__dlpack_device__", "__float__",
    "__floordiv__", "__index__", "__int__", "__invert__", "__ipow__", "__iter__", "__len__", "__long__", "__neg__",
    "__nonzero__", "__pos__", "__pow__", "__rdiv__", "__repr__", "__reversed__", "__rfloordiv__", "__rlshift__",
    "__rmatmul__", "__rmod__", "__rpow__", "__rrshift__", "__rsub__", "__rtruediv__", "__str__", "_conj",
    "_conj_physical", "_dimI", "_dimV", "_indices", "_is_all_true", "_is_any_true", "_is_view", "_is_zerotensor",
    "_lazy_clone", "_neg_view", "_nnz", "_values", "abs", "abs_", "absolute", "absolute_", "acos", "acos_", "acosh",
    "acosh_", "adjoint", "angle", "arccos", "arccos_", "arccosh", "arccosh_", "arcsin", "arcsin_", "arcsinh",
    "arcsinh_", "arctan", "arctan_", "arctanh", "arctanh_", "argwhere", "asin", "asin_", "asinh", "asinh_", "atan",
    "atan_", "atanh", "atanh_", "backward", "bitwise_not", "bitwise_not_", "ccol_indices", "ceil", "ceil_",
    "coalesce", "col_indices", "conj", "conj_physical", "conj_physical_", "const_data_ptr", "corrcoef", "cos", "cos_",
    "cosh", "cosh_", "crow_indices", "data_ptr", "deg2rad", "deg2rad_", "dense_dim", "dequantize", "det", "detach",
    "detach_", "digamma", "digamma_", "dim", "dim_order", "element_size", "erf", "erf_", "erfc", "erfc_", "erfinv",
    "erfinv_", "exp", "exp2", "exp2_", "exp_", "expm1", "expm1_", "fix", "fix_", "fliplr", "flipud", "floor",
    "floor_", "frac", "frac_", "frexp", "geqrf", "get_device", "i0", "i0_", "indices", "int_repr", "inverse",
    "is_coalesced", "is_complex", "is_conj", "is_distributed", "is_floating_point", "is_inference", "is_neg",
    "is_nonzero", "is_shared", "is_signed", "isfinite", "isinf", "isnan", "isneginf", "isposinf", "isreal", "item",
    "lgamma", "lgamma_", "log", "log10", "log10_", "log1p", "log1p_", "log2", "log2_", "log_", "logdet",
    "logical_not", "logical_not_", "lu", "matrix_exp", "msort", "ndimension", "neg", "neg_", "negative", "negative_",
    "nelement", "new", "new_tensor", "norm", "numel", "positive", "q_per_channel_axis", "q_per_channel_scales",
    "q_per_channel_zero_points", "q_scale", "q_zero_point", "qscheme", "rad2deg", "rad2deg_", "ravel", "reciprocal",
    "reciprocal_", "relu", "relu_", "resize", "resolve_conj", "resolve_neg", "retain_grad", "row_indices", "rsqrt",
    "rsqrt_", "sgn", "sgn_", "share_memory_", "sigmoid", "sigmoid_", "sign", "sign_", "signbit", "sin", "sin_",
    "sinc", "sinc_", "sinh", "sinh_", "slogdet", "sparse_dim", "sqrt", "sqrt_", "square", "square_", "storage",
    "storage_offset", "storage_type", "t", "t_", "tan", "tan_", "tanh", "tanh_", "tolist", "trace", "trunc", "trunc_",
    "unique", "unique_consecutive", "untyped_storage", "values", "zero_",
})
