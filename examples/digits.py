"""Train an MLP and a small CNN on scikit-learn's bundled 8x8 digits with ferrograd.

    python examples/digits.py [--epochs 25] [--out digits_loss.png]

Needs the examples extra (`pip install ferrograd[examples]`: scikit-learn, matplotlib).
The code is plain PyTorch: replace the import below with `import torch` and it runs the
same way on PyTorch.
"""

from __future__ import annotations

import argparse
import time

import ferrograd as torch
import matplotlib
import numpy as np
from sklearn.datasets import load_digits

matplotlib.use("Agg")  # write files, never open a window
import matplotlib.pyplot as plt

nn = torch.nn
F = torch.nn.functional


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(64, 128)
        self.out = nn.Linear(128, 10)

    def forward(self, x):
        return self.out(F.relu(self.hidden(x.flatten(1))))


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 16, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.out = nn.Linear(16 * 4 * 4, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv(x)))
        return self.out(x.flatten(1))


def load(seed: int):
    """The digits as float32 images in [0, 1], split 80/20 with a seeded permutation."""
    digits = load_digits()
    images = torch.tensor(digits.images.astype(np.float32) / 16.0).unsqueeze(1)
    labels = torch.tensor(digits.target.astype(np.int64))
    order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(seed))
    cut = int(0.8 * len(labels))
    train, test = order[:cut], order[cut:]
    return (images[train], labels[train]), (images[test], labels[test])


def accuracy(model, images, labels) -> float:
    model.eval()
    with torch.no_grad():
        predicted = model(images).argmax(dim=1)
    model.train()
    return (predicted == labels).float().mean().item()


def train(name, model, data, epochs: int, seed: int):
    (train_x, train_y), (test_x, test_y) = data
    batches = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(train_x, train_y),
        batch_size=64,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    losses = []
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        total, count = 0.0, 0
        for x, y in batches:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(y)
            count += len(y)
        losses.append(total / count)
        acc = accuracy(model, test_x, test_y)
        print(f"{name} epoch {epoch:2d}/{epochs}  loss {losses[-1]:.4f}  "
              f"test accuracy {100 * acc:5.1f}%  elapsed {time.perf_counter() - start:5.1f}s",
              flush=True)
    return losses, acc


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="digits_loss.png", help="where to write the loss curves")
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    data = load(args.seed)
    curves = {}
    for name, model in (("mlp", MLP()), ("cnn", CNN())):
        losses, acc = train(name, model, data, args.epochs, args.seed)
        curves[name] = losses
        print(f"{name} final test accuracy {100 * acc:.1f}%")

    fig, ax = plt.subplots(figsize=(6, 4))
    for name, losses in curves.items():
        ax.plot(range(1, len(losses) + 1), losses, marker="o", label=name.upper())
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss (cross-entropy)")
    ax.set_yscale("log")
    ax.set_title(f"digits with {torch.__name__}")
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.out, dpi=100)
    print(f"loss curves written to {args.out}")


if __name__ == "__main__":
    main()
