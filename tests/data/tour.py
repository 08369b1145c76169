import ferrograd as torch

# the tutorial's text, verbatim: not to be reformatted
# fmt: off

# 1. A leaf that tracks gradients
x = torch.ones(2, 2, requires_grad=True)
print(x)

# 2. An op records its backward node
y = x + 2
print(y)
print(y.grad_fn)

# 3. More ops, a reduction
z = y * y * 3
out = z.mean()
print(z, out)

# 4. Turning tracking on in place
a = torch.rand(2, 2)
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn)

# 5. Backward from a scalar
out.backward()
print(x.grad)

# 6. A vector-Jacobian product
x = torch.rand(3, requires_grad=True)
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
print(y)
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)

# 7. Stopping tracking
print(x.requires_grad)
print((x**2).requires_grad)
with torch.no_grad():
    print((x**2).requires_grad)

# 8. Detach: same data, no gradient
print(x.requires_grad)
y = x.detach()
print(y.requires_grad)
print(x.eq(y).all())
