"""A typical user program, type-checked with `mypy --strict` by tests/test_typing.py:
PyTorch's autograd tour, then a tiny linear regression trained by hand.

It also runs (`python tests/typing/sample_user_program.py`), so what mypy accepts
here is what ferrograd does."""

from __future__ import annotations

import ferrograd as torch
from ferrograd import Tensor


def autograd_tour() -> None:
    x = torch.ones(2, 2, requires_grad=True)
    print(x)

    y = x + 2
    print(y)
    print(y.grad_fn)

    z = y * y * 3
    out = z.mean()
    print(z, out)

    a = torch.rand(2, 2)
    a = (a * 3) / (a - 1)
    print(a.requires_grad)
    a.requires_grad_(True)
    print(a.requires_grad)
    b = (a * a).sum()
    print(b.grad_fn)

    out.backward()
    print(x.grad)

    x = torch.rand(3, requires_grad=True)
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    print(y)
    v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
    y.backward(v)
    print(x.grad)

    print(x.requires_grad)
    print((x**2).requires_grad)
    with torch.no_grad():
        print((x**2).requires_grad)

    print(x.requires_grad)
    y = x.detach()
    print(y.requires_grad)
    print(x.eq(y).all())


def inspect_graph(loss: Tensor) -> list[str]:
    """The names of the backward nodes reachable from `loss`."""
    names: list[str] = []
    pending = [loss.grad_fn]
    while pending:
        node = pending.pop()
        if node is None:
            continue
        names.append(node.name())
        pending.extend(next_node for next_node, _ in node.next_functions)
    return names


def predict(w: Tensor, b: Tensor, x: Tensor) -> Tensor:
    return x @ w + b


def train(steps: int = 200, lr: float = 0.1) -> float:
    torch.manual_seed(0)
    x = torch.randn(64, 3)
    true_w = torch.tensor([[2.0], [-1.0], [0.5]])
    y = x @ true_w + 0.3

    w = torch.zeros(3, 1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    seen_grads: list[float] = []

    def record(grad: Tensor) -> None:
        seen_grads.append(float(grad.abs().sum()))

    handle = w.register_hook(record)

    loss = torch.tensor(0.0)
    for step in range(steps):
        pred = predict(w, b, x)
        loss = ((pred - y) ** 2).mean()
        if step == 0:
            print("graph:", inspect_graph(loss))
        loss.backward()
        with torch.no_grad():
            for p in (w, b):
                grad = p.grad
                assert grad is not None
                p -= lr * grad
                p.grad = None
        if step % 50 == 0:
            print(f"step {step:3d}  loss {loss.item():.6f}")
    handle.remove()

    final = float(loss.detach())
    print("w:", w.detach().numpy().ravel().tolist(), "b:", b.item(), "shape:", tuple(w.shape))
    print("hook saw", len(seen_grads), "gradients; last", seen_grads[-1])
    assert w.size(0) == 3 and w.dtype == torch.float32 and torch.is_grad_enabled()
    return final


def main() -> None:
    autograd_tour()
    final_loss = train()
    assert final_loss < 1e-3, final_loss
    print("final loss", final_loss)


if __name__ == "__main__":
    main()
