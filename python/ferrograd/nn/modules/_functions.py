"""Autograd Functions of the module machinery (PyTorch's `torch.nn.modules._functions`)."""

from __future__ import annotations

from ...autograd.function import Function

__all__ = ["BackwardHookFunction"]


class BackwardHookFunction(Function):
    """Passes its tensors through unchanged, as one graph node (`BackwardHookFunctionBackward`)
    whose hooks see the gradients of all of them together: a module's full backward hooks
    hang on the node of its inputs and the node of its outputs."""

    @staticmethod
    def forward(ctx, *args):
        ctx.mark_non_differentiable(*[arg for arg in args if not arg.requires_grad])
        return args

    @staticmethod
    def backward(ctx, *args):
        return args
