"""The switches of `ferrograd.__future__` (PyTorch's `torch.__future__`): how
`Module._apply` (`to`, `double`, ...) hands back converted parameters."""

_overwrite_module_params_on_conversion: bool = False
_swap_module_params_on_conversion: bool = False


def set_overwrite_module_params_on_conversion(value: bool) -> None:
    """Whether a conversion replaces each parameter (and its `.grad`) by a new object
    instead of changing the existing one in place (the default keeps the objects).

    Args:
        value: the new setting.
    """
    global _overwrite_module_params_on_conversion
    _overwrite_module_params_on_conversion = value


def get_overwrite_module_params_on_conversion() -> bool:
    """The setting of `set_overwrite_module_params_on_conversion` (default False)."""
    return _overwrite_module_params_on_conversion


def set_swap_module_params_on_conversion(value: bool) -> None:
    """Whether a conversion swaps each parameter's contents with the converted tensor,
    keeping the parameter object (it takes precedence over the overwrite switch).

    Args:
        value: the new setting.
    """
    global _swap_module_params_on_conversion
    _swap_module_params_on_conversion = value


def get_swap_module_params_on_conversion() -> bool:
    """The setting of `set_swap_module_params_on_conversion` (default False)."""
    return _swap_module_params_on_conversion
