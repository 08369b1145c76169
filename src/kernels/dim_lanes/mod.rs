//! Kernels along one dim of a row-major block of values seen as `outer × n × inner`:
//! `outer` blocks, each `n` rows of `inner` contiguous values. With `inner == 1` a lane is
//! a contiguous run; otherwise whole rows are combined element by element (a memory-order
//! walk that vectorizes over the inner dim) instead of gathering each strided lane.
//! The loops are compiled once per instruction set and chosen at run time, as
//! `sum_lanes` and `vmath` do.

use super::sum_lanes::LaneSums;

/// One dim of a row-major shape: `outer` blocks of `n` rows of `inner` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Split {
    pub outer: usize,
    pub n: usize,
    pub inner: usize,
}

impl Split {
    pub fn new(shape: &[usize], dim: usize) -> Split {
        if shape.is_empty() {
            return Split {
                outer: 1,
                n: 1,
                inner: 1,
            };
        }
        Split {
            outer: shape[..dim].iter().product(),
            n: shape[dim],
            inner: shape[dim + 1..].iter().product(),
        }
    }
    pub fn block(&self) -> usize {
        self.n * self.inner
    }
}

/// A float type the softmax kernels work in (float32 or float64).
pub trait Real:
    Copy
    + Send
    + Sync
    + PartialOrd
    + Default
    + LaneSums
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
    + 'static
{
    fn to_f64(self) -> f64;
    fn from_f64(v: f64) -> Self;
    /// `dst[i] = e^src[i]`.
    fn exp_into(src: &[Self], dst: &mut [Self]);
}

impl Real for f32 {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn from_f64(v: f64) -> f32 {
        v as f32
    }
    fn exp_into(src: &[f32], dst: &mut [f32]) {
        super::vmath::exp(src, dst)
    }
}

impl Real for f64 {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn from_f64(v: f64) -> f64 {
        v
    }
    fn exp_into(src: &[f64], dst: &mut [f64]) {
        for (d, &s) in dst.iter_mut().zip(src) {
            *d = s.exp();
        }
    }
}

/// Defines `$name(args)`, generic over `$T`, compiled once per instruction set from the
/// `#[inline(always)]` body `$imp` and chosen at run time.
macro_rules! dispatched {
    ($(#[$doc:meta])* $name:ident<$T:ident: $bound:path>($($arg:ident: $ty:ty),*) $(-> $ret:ty)? = $imp:ident) => {
        $(#[$doc])*
        pub fn $name<$T: $bound>($($arg: $ty),*) $(-> $ret)? {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
                fn avx512<$T: $bound>($($arg: $ty),*) $(-> $ret)? {
                    $imp::<$T>($($arg),*)
                }
                #[target_feature(enable = "avx2,fma")]
                fn avx2<$T: $bound>($($arg: $ty),*) $(-> $ret)? {
                    $imp::<$T>($($arg),*)
                }
                match $crate::kernels::vmath::level() {
                    // SAFETY: `level()` reports AVX-512 only after detecting every
                    // feature `avx512` enables on this CPU.
                    $crate::kernels::vmath::Level::Avx512 => return unsafe { avx512::<$T>($($arg),*) },
                    // SAFETY: `level()` reports AVX2+FMA only after detecting both.
                    $crate::kernels::vmath::Level::Avx2Fma => return unsafe { avx2::<$T>($($arg),*) },
                    $crate::kernels::vmath::Level::Portable => {}
                }
            }
            $imp::<$T>($($arg),*)
        }
    };
}
pub(crate) use dispatched;

/// The values a max/min compares: floats and integers (`x != x` only for NaN).
pub trait Ordered: Copy + PartialOrd + Send + Sync + 'static {}
impl<T: Copy + PartialOrd + Send + Sync + 'static> Ordered for T {}

#[inline(always)]
#[allow(clippy::eq_op)]
fn is_nan<T: Ordered>(x: T) -> bool {
    x != x
}

/// Whether `x` replaces the running extreme `m`: NaN wins and stays, ties keep `m`.
/// The bools combine with `&` and `|`, not `&&` and `||`: without the short circuits
/// the loops that call this compile to vector compares and blends instead of a branch
/// per element.
#[inline(always)]
fn beats<T: Ordered>(x: T, m: T, is_max: bool) -> bool {
    let better = if is_max { x > m } else { x < m };
    !is_nan(m) & (better | is_nan(x))
}

const ACCS: usize = 16;

/// Running extremes of `run_extreme_value`: four vector registers of sixteen float32
/// lanes, so that four compare-and-select chains run side by side (one chain waits on
/// its own result every step).
const WIDE: usize = 4 * ACCS;

/// The max (min) of a non-empty run, NaN winning: `WIDE` running extremes (then sixteen
/// for what is left), folded at the end.
#[inline(always)]
fn run_extreme_value_impl<T: Ordered>(s: &[T], is_max: bool) -> T {
    let mut acc = [s[0]; WIDE];
    let wide = s.chunks_exact(WIDE);
    let rest = wide.remainder();
    for c in wide {
        for k in 0..WIDE {
            let x = c[k];
            acc[k] = if beats(x, acc[k], is_max) { x } else { acc[k] };
        }
    }
    let narrow = rest.chunks_exact(ACCS);
    let rest = narrow.remainder();
    for c in narrow {
        for k in 0..ACCS {
            let x = c[k];
            acc[k] = if beats(x, acc[k], is_max) { x } else { acc[k] };
        }
    }
    // the last few values padded with the run's first (the extreme of a run is also its
    // extreme with a repeated element), then the running extremes folded pairwise: a
    // few vector steps per run instead of one compare-and-select chain over them all
    let mut pad = [s[0]; ACCS];
    pad[..rest.len()].copy_from_slice(rest);
    for k in 0..ACCS {
        let x = pad[k];
        acc[k] = if beats(x, acc[k], is_max) { x } else { acc[k] };
    }
    let mut width = WIDE;
    while width > 1 {
        width /= 2;
        for k in 0..width {
            let x = acc[k + width];
            acc[k] = if beats(x, acc[k], is_max) { x } else { acc[k] };
        }
    }
    acc[0]
}

/// The max (min) of a non-empty run and the index of its first occurrence (of the first
/// NaN when there is one).
#[inline(always)]
fn run_extreme_impl<T: Ordered>(s: &[T], is_max: bool) -> (T, usize) {
    let m = run_extreme_value_impl(s, is_max);
    let i = if is_nan(m) {
        first_where(s, |x| is_nan(x))
    } else {
        first_where(s, |x| x == m)
    };
    (s[i], i)
}

/// The first index where `hit` holds (0 if none), tested sixteen at a time without an
/// early exit inside a group so that each group is one vector compare.
#[inline(always)]
fn first_where<T: Copy>(s: &[T], hit: impl Fn(T) -> bool) -> usize {
    let chunks = s.chunks_exact(ACCS);
    let tail = chunks.len() * ACCS;
    for (c, group) in chunks.enumerate() {
        if group.iter().fold(false, |a, &x| a | hit(x)) {
            return c * ACCS + group.iter().position(|&x| hit(x)).unwrap_or(0);
        }
    }
    s[tail..]
        .iter()
        .position(|&x| hit(x))
        .map_or(0, |k| tail + k)
}

dispatched!(
    /// The max (`is_max`) or min of a non-empty run, NaN winning.
    run_extreme_value<T: Ordered>(s: &[T], is_max: bool) -> T = run_extreme_value_impl
);

dispatched!(
    /// The max (`is_max`) or min of a non-empty run and its first index, NaN winning.
    run_extreme<T: Ordered>(s: &[T], is_max: bool) -> (T, usize) = run_extreme_impl
);

/// Per column of `n` rows of `inner` values: the extreme and its first row, NaN winning.
#[inline(always)]
fn rows_extreme_impl<T: Ordered>(
    src: &[T],
    n: usize,
    vals: &mut [T],
    idx: &mut [i64],
    is_max: bool,
) {
    let inner = vals.len();
    vals.copy_from_slice(&src[..inner]);
    idx.iter_mut().for_each(|i| *i = 0);
    for k in 1..n {
        let row = &src[k * inner..(k + 1) * inner];
        for ((v, i), &x) in vals.iter_mut().zip(idx.iter_mut()).zip(row) {
            let take = beats(x, *v, is_max);
            *v = if take { x } else { *v };
            *i = if take { k as i64 } else { *i };
        }
    }
}

dispatched!(
    /// Per column of `n` rows (`src`, `n * vals.len()` values): the max (min) into
    /// `vals` and its first row into `idx`, NaN winning.
    rows_extreme<T: Ordered>(src: &[T], n: usize, vals: &mut [T], idx: &mut [i64], is_max: bool) -> () = rows_extreme_impl
);

/// Per column of `n` rows: the max (min) into `vals`, NaN winning, no indices.
#[inline(always)]
fn rows_extreme_value_impl<T: Ordered>(src: &[T], n: usize, vals: &mut [T], is_max: bool) {
    let inner = vals.len();
    for k in 0..n {
        let row = &src[k * inner..(k + 1) * inner];
        if k == 0 {
            vals.copy_from_slice(row);
            continue;
        }
        for (v, &x) in vals.iter_mut().zip(row) {
            *v = if beats(x, *v, is_max) { x } else { *v };
        }
    }
}

dispatched!(
    /// `vals[j]` = the max (min) of `src[k * inner + j]` over `k < n`, NaN winning.
    rows_extreme_value<T: Ordered>(src: &[T], n: usize, vals: &mut [T], is_max: bool) -> () = rows_extreme_value_impl
);

/// Folds more rows into running extremes: `vals[j]` against each row of `src`.
#[inline(always)]
fn fold_rows_extreme_impl<T: Ordered>(src: &[T], vals: &mut [T], is_max: bool) {
    let inner = vals.len();
    for row in src.chunks_exact(inner) {
        for (v, &x) in vals.iter_mut().zip(row) {
            *v = if beats(x, *v, is_max) { x } else { *v };
        }
    }
}

dispatched!(
    /// `vals[j]` folded with `src[k * inner + j]` for every row `k` of `src`.
    fold_rows_extreme<T: Ordered>(src: &[T], vals: &mut [T], is_max: bool) -> () = fold_rows_extreme_impl
);

/// Softmax (or log-softmax) of one block of `n` rows of `inner` values: max pass, then
/// `e^(x - m)` summed in float64, then the scale (or `x - m - ln Σ`). A NaN or +inf in a
/// lane makes the lane NaN through the arithmetic (`x - m` is NaN), as PyTorch's kernel.
#[inline(always)]
fn softmax_block_impl<T: Real>(
    src: &[T],
    dst: &mut [T],
    inner: usize,
    scratch: &mut [T],
    log: bool,
) {
    let n = src.len() / inner;
    if inner == 1 {
        let m = run_extreme_value_impl(src, true);
        for (d, &x) in scratch.iter_mut().zip(src) {
            *d = x - m;
        }
        T::exp_into(scratch, dst);
        let s = T::sum(dst);
        if log {
            let ls = T::from_f64(s.ln());
            for (d, &z) in dst.iter_mut().zip(scratch.iter()) {
                *d = z - ls;
            }
        } else {
            let inv = T::from_f64(1.0 / s);
            dst.iter_mut().for_each(|d| *d = *d * inv);
        }
        return;
    }
    // scratch: the column maxima, then per row x - m; sums in float64
    let (mrow, z) = scratch.split_at_mut(inner);
    rows_extreme_value_impl(src, n, mrow, true);
    let mut sums = vec![0.0f64; inner];
    for k in 0..n {
        let row = &src[k * inner..(k + 1) * inner];
        for ((zz, &x), &m) in z.iter_mut().zip(row).zip(mrow.iter()) {
            *zz = x - m;
        }
        let out = &mut dst[k * inner..(k + 1) * inner];
        T::exp_into(z, out);
        for (s, &e) in sums.iter_mut().zip(out.iter()) {
            *s += e.to_f64();
        }
    }
    if log {
        let ls: Vec<T> = sums.iter().map(|s| T::from_f64(s.ln())).collect();
        for k in 0..n {
            let row = &src[k * inner..(k + 1) * inner];
            let out = &mut dst[k * inner..(k + 1) * inner];
            for (((o, &x), &m), &l) in out.iter_mut().zip(row).zip(mrow.iter()).zip(&ls) {
                *o = (x - m) - l;
            }
        }
    } else {
        let inv: Vec<T> = sums.iter().map(|s| T::from_f64(1.0 / s)).collect();
        for out in dst.chunks_exact_mut(inner) {
            for (o, &i) in out.iter_mut().zip(&inv) {
                *o = *o * i;
            }
        }
    }
}

dispatched!(
    /// Softmax (`log`: log-softmax) along the rows of one block `src` (`n` rows of
    /// `inner` values) into `dst`; `scratch` holds `n` values (`inner == 1`) or
    /// `2 * inner`.
    softmax_block<T: Real>(src: &[T], dst: &mut [T], inner: usize, scratch: &mut [T], log: bool) -> () = softmax_block_impl
);

/// The backward of softmax over one block given the incoming gradient `g` and the saved
/// output `y`: softmax `y (g - Σ g y)`, log-softmax `g - e^y Σ g` (sums in float64).
#[inline(always)]
fn softmax_backward_block_impl<T: Real>(g: &[T], y: &[T], dst: &mut [T], inner: usize, log: bool) {
    let n = g.len() / inner;
    let mut sums = vec![0.0f64; inner];
    if inner > 1 {
        for k in 0..n {
            let r = k * inner..(k + 1) * inner;
            for ((s, &a), &b) in sums.iter_mut().zip(&g[r.clone()]).zip(&y[r]) {
                *s += if log { a.to_f64() } else { (a * b).to_f64() };
            }
        }
    } else {
        sums[0] = if log {
            T::sum(g)
        } else {
            // dot product in float64 lanes
            let mut acc = [0.0f64; ACCS];
            let chunks = g.chunks_exact(ACCS).zip(y.chunks_exact(ACCS));
            for (a, b) in chunks {
                for k in 0..ACCS {
                    acc[k] += (a[k] * b[k]).to_f64();
                }
            }
            let whole = n / ACCS * ACCS;
            for (k, (&a, &b)) in g[whole..].iter().zip(&y[whole..]).enumerate() {
                acc[k] += (a * b).to_f64();
            }
            acc.iter().sum()
        };
    }
    if inner == 1 {
        // one contiguous run: a plain slice loop, not n rows of one value
        let sv = T::from_f64(sums[0]);
        if log {
            T::exp_into(y, dst);
            for (o, &a) in dst.iter_mut().zip(g) {
                *o = a - *o * sv;
            }
        } else {
            for ((o, &a), &b) in dst.iter_mut().zip(g).zip(y) {
                *o = b * (a - sv);
            }
        }
        return;
    }
    let s: Vec<T> = sums.iter().map(|&v| T::from_f64(v)).collect();
    if log {
        T::exp_into(y, dst);
        for k in 0..n {
            let r = k * inner..(k + 1) * inner;
            for ((o, &a), &sv) in dst[r.clone()].iter_mut().zip(&g[r]).zip(&s) {
                *o = a - *o * sv;
            }
        }
    } else {
        for k in 0..n {
            let r = k * inner..(k + 1) * inner;
            let out = dst[r.clone()].iter_mut().zip(&g[r.clone()]).zip(&y[r]);
            for (((o, &a), &b), &sv) in out.zip(&s) {
                *o = b * (a - sv);
            }
        }
    }
}

dispatched!(
    /// The softmax (`log`: log-softmax) backward of one block into `dst`.
    softmax_backward_block<T: Real>(g: &[T], y: &[T], dst: &mut [T], inner: usize, log: bool) -> () = softmax_backward_block_impl
);

/// `log Σ e^x` of each column of one block (`n` rows of `inner` values) into `out`
/// (float64): the max, then `m + ln Σ e^(x - m)` with the sum in float64; NaN where a
/// column holds a NaN, `m` where the max is infinite.
#[inline(always)]
fn logsumexp_block_impl<T: Real>(src: &[T], inner: usize, scratch: &mut [T], out: &mut [f64]) {
    let n = src.len() / inner;
    let (mrow, z) = scratch.split_at_mut(inner);
    if inner == 1 {
        mrow[0] = run_extreme_value_impl(src, true);
    } else {
        rows_extreme_value_impl(src, n, mrow, true);
    }
    out.iter_mut().for_each(|o| *o = 0.0);
    if inner == 1 {
        let m = mrow[0];
        let (zz, e) = z.split_at_mut(n);
        for (d, &x) in zz.iter_mut().zip(src) {
            *d = x - m;
        }
        T::exp_into(zz, e);
        out[0] = T::sum(e);
    } else {
        let (zz, e) = z.split_at_mut(inner);
        for row in src.chunks_exact(inner) {
            for ((d, &x), &m) in zz.iter_mut().zip(row).zip(mrow.iter()) {
                *d = x - m;
            }
            T::exp_into(zz, e);
            for (o, &v) in out.iter_mut().zip(e.iter()) {
                *o += v.to_f64();
            }
        }
    }
    for (o, &m) in out.iter_mut().zip(mrow.iter()) {
        let m = m.to_f64();
        *o = if m.is_nan() || m.is_infinite() {
            m
        } else {
            m + o.ln()
        };
    }
}

dispatched!(
    /// `logsumexp` of each column of one block into `out`; `scratch` holds
    /// `1 + 2 n` values (`inner == 1`) or `3 inner`.
    logsumexp_block<T: Real>(src: &[T], inner: usize, scratch: &mut [T], out: &mut [f64]) -> () = logsumexp_block_impl
);

#[cfg(test)]
mod tests;
