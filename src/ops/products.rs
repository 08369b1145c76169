//! Fused products recorded as one node, as PyTorch records them: `beta * input + alpha *
//! product(a, b)` for `addmm`, `baddbmm`, `addbmm`, `addmv`, `addr`, and `cdist`.

use super::binary::{add, div, mul, pow, sub};
use super::compare::eq;
use super::creation::zeros_like;
use super::index::where_;
use super::matmul::{bmm, mm, mv};
use super::reduce::sum;
use super::unary::{abs, neg, sign};
use super::view::{expand, transpose, unsqueeze};
use super::{reduce_grad, scalar};
use crate::autograd::node::SavedArg;
use crate::autograd::record::save_args;
use crate::autograd::{needs_grad, record, GradModeGuard, SavedTensor};
use crate::error::{Error, Result};
use crate::tensor::{DType, Scalar, Tensor};

/// The product inside a fused `input + product` op.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Product {
    /// `addmm`: `a @ b` of matrices.
    Mm,
    /// `baddbmm`: batched `a @ b`.
    Bmm,
    /// `addbmm`: batched `a @ b` summed over the batch.
    SummedBmm,
    /// `addmv`: matrix times vector.
    Mv,
    /// `addr`: outer product of vectors.
    Outer,
}

impl Product {
    pub fn from_name(op: &str) -> Option<Product> {
        Some(match op {
            "addmm" => Product::Mm,
            "baddbmm" => Product::Bmm,
            "addbmm" => Product::SummedBmm,
            "addmv" => Product::Mv,
            "addr" => Product::Outer,
            _ => return None,
        })
    }

    fn node_name(self) -> &'static str {
        match self {
            Product::Mm => "AddmmBackward0",
            Product::Bmm => "BaddbmmBackward0",
            Product::SummedBmm => "AddbmmBackward0",
            Product::Mv => "AddmvBackward0",
            Product::Outer => "AddrBackward0",
        }
    }

    /// The product's shape, read off the operands' shapes (None when their ranks are
    /// wrong; the product itself then reports that).
    pub fn output_shape(self, a: &Tensor, b: &Tensor) -> Option<Vec<usize>> {
        let (sa, sb) = (a.shape(), b.shape());
        Some(match (self, sa.len(), sb.len()) {
            (Product::Mm, 2, 2) => vec![sa[0], sb[1]],
            (Product::Bmm, 3, 3) => vec![sa[0], sa[1], sb[2]],
            (Product::SummedBmm, 3, 3) => vec![sa[1], sb[2]],
            (Product::Mv, 2, 1) => vec![sa[0]],
            (Product::Outer, 1, 1) => vec![sa[0], sb[0]],
            _ => return None,
        })
    }

    fn apply(self, a: &Tensor, b: &Tensor) -> Result<Tensor> {
        match self {
            Product::Mm => mm(a, b),
            Product::Bmm => bmm(a, b),
            Product::SummedBmm => {
                // summed in the product's own dtype: integers are not widened to int64
                let p = bmm(a, b)?;
                let dtype = p.dtype();
                sum(&p, Some(&[0]), false, Some(dtype))
            }
            Product::Mv => mv(a, b),
            Product::Outer => {
                if a.ndim() != 1 || b.ndim() != 1 {
                    return Err(Error::runtime(format!(
                        "addr: Expected 1-D argument vec1, but got {}-D",
                        if a.ndim() != 1 { a.ndim() } else { b.ndim() }
                    )));
                }
                mul(&unsqueeze(a, 1)?, &unsqueeze(b, 0)?)
            }
        }
    }

    /// The gradients of `product(a, b)` for the incoming gradient `g`.
    fn grads(self, g: &Tensor, a: &Tensor, b: &Tensor) -> Result<(Tensor, Tensor)> {
        Ok(match self {
            Product::Mm => (mm(g, &transpose(b, 0, 1)?)?, mm(&transpose(a, 0, 1)?, g)?),
            Product::Bmm => (bmm(g, &transpose(b, 1, 2)?)?, bmm(&transpose(a, 1, 2)?, g)?),
            Product::SummedBmm => {
                let sizes = [
                    a.shape()[0] as i64,
                    g.shape()[0] as i64,
                    g.shape()[1] as i64,
                ];
                let ge = expand(&unsqueeze(g, 0)?, &sizes)?;
                (
                    bmm(&ge, &transpose(b, 1, 2)?)?,
                    bmm(&transpose(a, 1, 2)?, &ge)?,
                )
            }
            Product::Mv => (
                mm(&unsqueeze(g, 1)?, &unsqueeze(b, 0)?)?,
                mv(&transpose(a, 0, 1)?, g)?,
            ),
            Product::Outer => (mv(g, b)?, mv(&transpose(g, 0, 1)?, a)?),
        })
    }
}

fn is_zero(s: Scalar) -> bool {
    s.to_f64() == 0.0
}

fn is_one(s: Scalar) -> bool {
    s.to_f64() == 1.0
}

fn scaled(t: &Tensor, s: Scalar) -> Result<Tensor> {
    if is_one(s) {
        Ok(t.clone())
    } else {
        mul(t, &scalar(s))
    }
}

/// PyTorch refuses an `input` (self) whose dtype differs from the factors' (no promotion),
/// each product with its own message; factors of different dtypes are the product's to
/// report.
fn check_input_dtype(kind: Product, input: &Tensor, a: &Tensor, b: &Tensor) -> Result<()> {
    let (di, d) = (input.dtype(), a.dtype());
    if di == d || b.dtype() != d || kind == Product::Outer {
        return Ok(());
    }
    Err(Error::runtime(match kind {
        Product::Mv => format!(
            "addmv input tensors must have the same dtype, but got {}, {}, and {}",
            di.kernel_name(),
            d.kernel_name(),
            d.kernel_name()
        ),
        Product::Bmm => format!(
            "Input dtypes must be the same, got: input {}, batch1: {}, batch2: {}",
            di.cpp_name(),
            d.cpp_name(),
            d.cpp_name()
        ),
        _ => format!(
            "self and mat2 must have the same dtype, but got {} and {}",
            di.kernel_name(),
            d.kernel_name()
        ),
    }))
}

/// `beta * input + alpha * product(a, b)`, `input` broadcast to the product's shape; with
/// `beta == 0` the input is ignored (its NaNs do not propagate), as in PyTorch.
pub fn add_product(
    kind: Product,
    input: &Tensor,
    a: &Tensor,
    b: &Tensor,
    beta: Scalar,
    alpha: Scalar,
) -> Result<Tensor> {
    if kind != Product::Mv {
        if let Some([input, a, b]) = crate::autograd::autocast::lower_precision([input, a, b])? {
            return add_product(kind, &input, &a, &b, beta, alpha);
        }
    }
    check_input_dtype(kind, input, a, b)?;
    let out = {
        let _no = GradModeGuard::new(false);
        // float16/bfloat16: the whole `beta * input + alpha * product` in float32, rounded
        // once at the end, as PyTorch computes it
        let dtype = a.dtype();
        let narrow = dtype.is_floating()
            && dtype.is_narrow()
            && b.dtype() == dtype
            && input.dtype() == dtype;
        let wide = |t: &Tensor| {
            if narrow {
                super::cast::cast_raw(t, DType::F32)
            } else {
                t.clone()
            }
        };
        let p = scaled(&kind.apply(&wide(a), &wide(b))?, alpha)?;
        let sizes: Vec<i64> = p.shape().iter().map(|&s| s as i64).collect();
        let base = expand(&wide(input), &sizes)?;
        let r = if is_zero(beta) && kind == Product::Outer {
            // addr promotes with the input even when it ignores its values
            let dtype = crate::tensor::dtype::promote_types(base.dtype(), p.dtype());
            super::cast::cast_raw(&p, dtype)
        } else if is_zero(beta) {
            p
        } else {
            add(&scaled(&base, beta)?, &p)?
        };
        if narrow {
            super::cast::cast_raw(&r, dtype)
        } else {
            super::cast::clone_detached(&r)?
        }
    };
    if needs_grad(&[input, a, b]) {
        let saved = smallvec::smallvec![SavedTensor::input(a), SavedTensor::input(b)];
        let (ishape, idtype) = (input.shape().to_vec(), input.dtype());
        record(
            kind.node_name(),
            &[input, a, b],
            &[&out],
            saved,
            move |ctx| {
                let g = ctx.grad();
                let gi = if !ctx.needs(0) {
                    None
                } else if is_zero(beta) {
                    Some(reduce_grad(&zeros_like(g)?, &ishape, idtype)?)
                } else {
                    Some(reduce_grad(&scaled(g, beta)?, &ishape, idtype)?)
                };
                let (ga, gb) = if ctx.needs(1) || ctx.needs(2) {
                    // complex products differentiate with the conjugated factors
                    let conj =
                        |t: &Tensor| super::complex_math::conj_physical(t, "ConjPhysicalBackward0");
                    let (ga, gb) = kind.grads(g, &conj(ctx.saved(0))?, &conj(ctx.saved(1))?)?;
                    (Some(scaled(&ga, alpha)?), Some(scaled(&gb, alpha)?))
                } else {
                    (None, None)
                };
                Ok(vec![
                    gi,
                    ga.filter(|_| ctx.needs(1)),
                    gb.filter(|_| ctx.needs(2)),
                ])
            },
        );
        let mut args = vec![
            ("alpha", SavedArg::Scalar(alpha)),
            ("beta", SavedArg::Scalar(beta)),
        ];
        if kind == Product::Mm {
            const NAMES: [&str; 4] = [
                "mat1_sym_sizes",
                "mat1_sym_strides",
                "mat2_sym_sizes",
                "mat2_sym_strides",
            ];
            args.extend(super::matmul::mm_layout_args(a, b, NAMES));
        }
        save_args(&out, args);
    }
    Ok(out)
}

/// `x1[..., i, :] - x2[..., j, :]` for every pair: shape `[..., P, R, M]`.
fn pair_differences(x1: &Tensor, x2: &Tensor) -> Result<Tensor> {
    sub(&unsqueeze(x1, -2)?, &unsqueeze(x2, -3)?)
}

/// p-norm distances of the differences (last dim) for `p >= 0`.
fn distances(diff: &Tensor, p: f64) -> Result<Tensor> {
    let last = [-1i64];
    let a = abs(diff)?;
    if p == 0.0 {
        let nonzero = super::compare::ne(&a, &scalar(Scalar::Int(0)))?;
        return sum(
            &super::cast::to_dtype(&nonzero, diff.dtype())?,
            Some(&last),
            false,
            None,
        );
    }
    if p.is_infinite() {
        return super::reduce::amax(&a, Some(&last), false);
    }
    if p == 1.0 {
        return sum(&a, Some(&last), false, None);
    }
    if p == 2.0 {
        return super::unary::sqrt(&sum(&mul(&a, &a)?, Some(&last), false, None)?);
    }
    let s = sum(
        &pow(&a, &scalar(Scalar::Float(p)))?,
        Some(&last),
        false,
        None,
    )?;
    pow(&s, &scalar(Scalar::Float(1.0 / p)))
}

/// `cdist(x1, x2, p)`: p-norm distance between each row of `x1` and each row of `x2`
/// (`CdistBackward0`).
pub fn cdist(x1: &Tensor, x2: &Tensor, p: f64) -> Result<Tensor> {
    if x1.ndim() < 2 {
        return Err(Error::runtime(format!(
            "cdist only supports at least 2D tensors, X1 got: {}D",
            x1.ndim()
        )));
    }
    if x2.ndim() < 2 {
        return Err(Error::runtime(format!(
            "cdist only supports at least 2D tensors, X2 got: {}D",
            x2.ndim()
        )));
    }
    let (m1, m2) = (x1.shape()[x1.ndim() - 1], x2.shape()[x2.ndim() - 1]);
    if m1 != m2 {
        return Err(Error::runtime(format!(
            "X1 and X2 must have the same number of columns. X1: {m1} X2: {m2}"
        )));
    }
    if p < 0.0 || p.is_nan() {
        return Err(Error::runtime("cdist only supports non-negative p values"));
    }
    if !x1.dtype().is_floating() || !x2.dtype().is_floating() {
        return Err(Error::runtime(format!(
            "cdist only supports floating-point dtypes, X1 got: {}",
            x1.dtype().legacy_name().trim_end_matches("Tensor")
        )));
    }
    let out = {
        let _no = GradModeGuard::new(false);
        super::cast::clone_detached(&distances(&pair_differences(x1, x2)?, p)?)?
    };
    if needs_grad(&[x1, x2]) {
        let saved = vec![
            SavedTensor::input(x1),
            SavedTensor::input(x2),
            SavedTensor::output(&out),
        ];
        let (s1, d1, s2, d2) = (
            x1.shape().to_vec(),
            x1.dtype(),
            x2.shape().to_vec(),
            x2.dtype(),
        );
        record("CdistBackward0", &[x1, x2], &[&out], saved, move |ctx| {
            let g = ctx.grad();
            let diff = pair_differences(ctx.saved(0), ctx.saved(1))?;
            let w = diff_grad(&diff, ctx.saved(2), g, p)?;
            let g1 = if ctx.needs(0) {
                Some(reduce_grad(&sum(&w, Some(&[-2]), false, None)?, &s1, d1)?)
            } else {
                None
            };
            let g2 = if ctx.needs(1) {
                Some(reduce_grad(
                    &neg(&sum(&w, Some(&[-3]), false, None)?)?,
                    &s2,
                    d2,
                )?)
            } else {
                None
            };
            Ok(vec![g1, g2])
        });
    }
    Ok(out)
}

/// The gradient with respect to each difference `x1_i - x2_j` (zero where the distance
/// is zero, as in PyTorch).
fn diff_grad(diff: &Tensor, dist: &Tensor, g: &Tensor, p: f64) -> Result<Tensor> {
    let zero = scalar(Scalar::Int(0));
    if p == 0.0 {
        return zeros_like(diff);
    }
    let gu = unsqueeze(g, -1)?;
    if p == 1.0 {
        return mul(&sign(diff)?, &gu);
    }
    let du = unsqueeze(dist, -1)?;
    let at_zero = eq(&du, &zero)?;
    let safe = where_(&at_zero, &scalar(Scalar::Int(1)), &du)?;
    let w = if p.is_infinite() {
        let is_max = super::cast::to_dtype(&eq(&abs(diff)?, &du)?, diff.dtype())?;
        mul(&mul(&sign(diff)?, &is_max)?, &gu)?
    } else if p == 2.0 {
        mul(&div(diff, &safe)?, &gu)?
    } else {
        let num = mul(
            &sign(diff)?,
            &pow(&abs(diff)?, &scalar(Scalar::Float(p - 1.0)))?,
        )?;
        let den = pow(&safe, &scalar(Scalar::Float(p - 1.0)))?;
        mul(&div(&num, &den)?, &gu)?
    };
    where_(&at_zero, &zero, &w)
}
