//! The element types the factorizations run in, and the batch of matrices read out in
//! one: `f64` for float32/float64 tensors, `c64` for complex64/complex128 (faer's
//! kernels in double precision, the result cast back to the input's dtype).

use crate::error::{Error, Result};
use crate::ops::cast::cast_raw;
use crate::ops::complex::{from_pairs, real_view_raw};
use crate::tensor::{Buffer, DType, Tensor};
use faer::c64;
use faer::traits::ComplexField;
use std::ops::{Add, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

/// A matrix element: f64 or c64. For f64 the complex-only steps (conjugation, phases)
/// are no-ops, so one generic body serves both.
pub(crate) trait Elem:
    ComplexField<Real = f64>
    + Copy
    + Send
    + Sync
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + SubAssign
    + MulAssign
    + DivAssign
{
    const IS_COMPLEX: bool;
    /// The elements of `t` (row-major) in this type.
    fn read(t: &Tensor) -> Vec<Self>;
    /// A tensor of `dtype` (of this element's kind) holding `v`.
    fn tensor(v: Vec<Self>, shape: &[usize], dtype: DType) -> Result<Tensor>;
    fn from_re(x: f64) -> Self;
    fn re_part(self) -> f64;
    fn im_part(self) -> f64;
    fn conjugate(self) -> Self;
    /// |x|.
    fn modulus(self) -> f64;
    /// LAPACK's magnitude for pivoting: |x|, or |re| + |im| (`cabs1`).
    fn mag(self) -> f64;
    /// The unit factor of a non-zero x (x / |x|; the sign for a real x, 1 for NaN).
    fn phase(self) -> Self;

    fn is_zero(self) -> bool {
        self.re_part() == 0.0 && self.im_part() == 0.0
    }
}

pub(crate) fn zero<T: Elem>() -> T {
    T::from_re(0.0)
}

pub(crate) fn one<T: Elem>() -> T {
    T::from_re(1.0)
}

impl Elem for f64 {
    const IS_COMPLEX: bool = false;
    fn read(t: &Tensor) -> Vec<f64> {
        t.to_vec::<f64>()
    }
    fn tensor(v: Vec<f64>, shape: &[usize], dtype: DType) -> Result<Tensor> {
        let t = Tensor::from_vec(v, shape)?;
        Ok(if dtype == DType::F64 {
            t
        } else {
            cast_raw(&t, dtype)
        })
    }
    fn from_re(x: f64) -> f64 {
        x
    }
    fn re_part(self) -> f64 {
        self
    }
    fn im_part(self) -> f64 {
        0.0
    }
    fn conjugate(self) -> f64 {
        self
    }
    fn modulus(self) -> f64 {
        self.abs()
    }
    fn mag(self) -> f64 {
        self.abs()
    }
    fn phase(self) -> f64 {
        if self < 0.0 {
            -1.0
        } else {
            1.0
        }
    }
}

impl Elem for c64 {
    const IS_COMPLEX: bool = true;
    fn read(t: &Tensor) -> Vec<c64> {
        let pairs = real_view_raw(t).to_vec::<f64>();
        pairs
            .chunks_exact(2)
            .map(|p| c64::new(p[0], p[1]))
            .collect()
    }
    fn tensor(v: Vec<c64>, shape: &[usize], dtype: DType) -> Result<Tensor> {
        let pairs = v.iter().flat_map(|z| [z.re, z.im]);
        let buffer = if dtype == DType::C64 {
            Buffer::F32(pairs.map(|x| x as f32).collect())
        } else {
            Buffer::F64(pairs.collect())
        };
        from_pairs(buffer, shape, dtype)
    }
    fn from_re(x: f64) -> c64 {
        c64::new(x, 0.0)
    }
    fn re_part(self) -> f64 {
        self.re
    }
    fn im_part(self) -> f64 {
        self.im
    }
    fn conjugate(self) -> c64 {
        c64::new(self.re, -self.im)
    }
    fn modulus(self) -> f64 {
        self.norm()
    }
    fn mag(self) -> f64 {
        self.re.abs() + self.im.abs()
    }
    fn phase(self) -> c64 {
        self / self.norm()
    }
}

/// Which element type a linalg op computes `dtype` in; the error is PyTorch's for a
/// dtype linalg has no kernel for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Real,
    Complex,
}

pub(crate) fn kind_of(t: &Tensor, f: &str) -> Result<Kind> {
    match t.dtype() {
        d if d.is_floating() => Ok(Kind::Real),
        DType::C64 | DType::C128 => Ok(Kind::Complex),
        d => Err(Error::runtime(format!(
            "{f}: Expected a floating point or complex tensor as input. Got {}",
            d.kernel_name()
        ))),
    }
}

/// At least 2-D, of a dtype linalg computes in: its element kind.
pub(crate) fn matrix_kind(t: &Tensor, f: &str) -> Result<Kind> {
    if t.ndim() < 2 {
        return Err(Error::runtime(format!(
            "{f}: The input tensor A must have at least 2 dimensions."
        )));
    }
    kind_of(t, f)
}

/// Runs `$body` with `$T` the element type of `$kind` (f64 or c64): the one dtype
/// dispatch of each linalg op.
macro_rules! by_elem {
    ($kind:expr, $T:ident => $body:expr) => {
        match $kind {
            $crate::ops::linalg::elem::Kind::Real => {
                type $T = f64;
                $body
            }
            $crate::ops::linalg::elem::Kind::Complex => {
                type $T = faer::c64;
                $body
            }
        }
    };
}
pub(crate) use by_elem;

/// A batch of row-major matrices copied out as `T`.
pub(crate) struct Batched<T> {
    pub data: Vec<T>,
    pub batch: Vec<usize>,
    pub rows: usize,
    pub cols: usize,
}

impl<T: Elem> Batched<T> {
    pub fn of(t: &Tensor) -> Batched<T> {
        let nd = t.ndim();
        Batched {
            data: T::read(t),
            batch: t.shape()[..nd - 2].to_vec(),
            rows: t.shape()[nd - 2],
            cols: t.shape()[nd - 1],
        }
    }
    pub fn count(&self) -> usize {
        self.batch.iter().product()
    }
    pub fn mat(&self, i: usize) -> &[T] {
        let sz = self.rows * self.cols;
        &self.data[i * sz..(i + 1) * sz]
    }
}
