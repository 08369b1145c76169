//! Products over any dims with PyTorch's rounding: the walk of `reduce_walk`, and per
//! block the body of `binary_kernel_reduce_vec` (ATen's cpu/Reduce.h), which multiplies in
//! the input's own dtype. A contiguous reduced run is multiplied as four interleaved
//! vectors over its whole groups of `4 * L` elements, those folded together and then
//! lane by lane, then the elements left over one by one; contiguous columns are
//! multiplied down the rows, each from its first row; anything else one element after
//! another into the output.

use super::reduce_walk::{self, Block, Strided};
use super::simd_map;
use super::vmath::{level, Level};

/// The products of `x` (a tensor of `shape` and `strides` in elements) over the dims
/// marked in `reduced`, contiguous over the kept dims. `L` is the length of PyTorch's
/// AVX2 vector of the dtype and `mul` its multiplication (for the 16-bit floats, in
/// float32 and rounded back).
pub fn prod_dims<T, M, const L: usize>(
    x: &Strided<T>,
    shape: &[usize],
    strides: &[isize],
    reduced: &[bool],
    threads: usize,
    one: T,
    mul: &M,
) -> Vec<T>
where
    T: Copy + Send + Sync,
    M: Fn(T, T) -> T + Sync,
{
    let kernel =
        |x: &Strided<T>, b: &Block, out: &mut [T]| product_block::<T, M, L>(x, b, out, mul);
    reduce_walk::reduce(x, shape, strides, reduced, threads, one, &kernel)
}

fn product_block<T: Copy, M: Fn(T, T) -> T, const L: usize>(
    x: &Strided<T>,
    b: &Block,
    out: &mut [T],
    mul: &M,
) {
    let [size0, size1] = b.sizes;
    let [in0, in1] = b.input_strides;
    let [out0, out1] = b.output_strides;
    let slot = |j: usize| (b.output + j as isize * out1) as usize;
    if out0 == 0 && in0 == 1 {
        let lvl = level();
        for j in 0..size1 {
            let run = x.run(b.input + j as isize * in1, size0);
            let o = slot(j);
            out[o] = run_product_at::<T, M, L>(lvl, out[o], run, mul);
        }
    } else if out0 == 0 && out1 == 1 && in1 == 1 {
        column_products::<T, M, L>(x, b, out, mul);
    } else {
        for j in 0..size1 {
            for i in 0..size0 {
                let o = (b.output + j as isize * out1 + i as isize * out0) as usize;
                out[o] = mul(out[o], x.at(b.input + j as isize * in1 + i as isize * in0));
            }
        }
    }
}

/// `run_product` with its loops compiled for `level`.
fn run_product_at<T: Copy, M: Fn(T, T) -> T, const L: usize>(
    level: Level,
    acc: T,
    run: &[T],
    mul: &M,
) -> T {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
        fn avx512<T: Copy, M: Fn(T, T) -> T, const L: usize>(acc: T, run: &[T], mul: &M) -> T {
            run_product::<T, M, L>(acc, run, mul)
        }
        #[target_feature(enable = "avx2,fma")]
        fn avx2<T: Copy, M: Fn(T, T) -> T, const L: usize>(acc: T, run: &[T], mul: &M) -> T {
            run_product::<T, M, L>(acc, run, mul)
        }
        match level {
            // SAFETY: a level other than Portable comes from `vmath::detect`, which found
            // every feature these functions enable.
            Level::Avx512 => return unsafe { avx512::<T, M, L>(acc, run, mul) },
            // SAFETY: as above.
            Level::Avx2Fma => return unsafe { avx2::<T, M, L>(acc, run, mul) },
            Level::Portable => {}
        }
    }
    let _ = level;
    run_product::<T, M, L>(acc, run, mul)
}

/// `vectorized_inner_reduction`: `acc` times one contiguous run.
#[inline(always)]
fn run_product<T: Copy, M: Fn(T, T) -> T, const L: usize>(acc: T, run: &[T], mul: &M) -> T {
    let mut groups = run.chunks_exact(4 * L);
    let mut acc = acc;
    if let Some(first) = groups.next() {
        let mut vectors: [[T; L]; 4] =
            std::array::from_fn(|v| std::array::from_fn(|l| first[v * L + l]));
        for group in groups.by_ref() {
            for (v, vector) in vectors.iter_mut().enumerate() {
                for (l, lane) in vector.iter_mut().enumerate() {
                    *lane = mul(*lane, group[v * L + l]);
                }
            }
        }
        let [v0, v1, v2, v3] = vectors;
        let folded: [T; L] = std::array::from_fn(|l| mul(mul(v0[l], v1[l]), mul(v2[l], v3[l])));
        let lane_product = folded[1..].iter().fold(folded[0], |a, &e| mul(a, e));
        acc = mul(acc, lane_product);
    }
    groups.remainder().iter().fold(acc, |a, &e| mul(a, e))
}

/// `vectorized_outer_reduction` over a block whose columns are contiguous in the input
/// and the output: whole groups of `4 * L` columns start from their first row and
/// multiply into the output at the end, the other columns multiply into the output row
/// by row. Walked row by row here; each column sees the same products in the same order.
fn column_products<T: Copy, M: Fn(T, T) -> T, const L: usize>(
    x: &Strided<T>,
    b: &Block,
    out: &mut [T],
    mul: &M,
) {
    let [rows, cols] = b.sizes;
    let row_stride = b.input_strides[0];
    let grouped = cols / (4 * L) * (4 * L);
    let row = |r: usize| x.run(b.input + r as isize * row_stride, cols);
    let o = b.output as usize;
    let out = &mut out[o..o + cols];
    let lvl = level();
    let mut acc: Vec<T> = row(0)[..grouped].to_vec();
    simd_map::update_at(lvl, &mut out[grouped..], &row(0)[grouped..], mul);
    for r in 1..rows {
        let values = row(r);
        simd_map::update_at(lvl, &mut acc, &values[..grouped], mul);
        simd_map::update_at(lvl, &mut out[grouped..], &values[grouped..], mul);
    }
    for (a, e) in out[..grouped].iter_mut().zip(acc) {
        *a = mul(e, *a);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prod_f32(x: &[f32], shape: &[usize], strides: &[isize], reduced: &[bool]) -> Vec<f32> {
        let x = Strided { data: x, offset: 0 };
        prod_dims::<f32, _, 8>(&x, shape, strides, reduced, 1, 1.0, &|a: f32, b: f32| a * b)
    }

    #[test]
    fn a_long_run_folds_four_vectors_then_lanes_then_the_rest() {
        let x: Vec<f32> = (0..70).map(|i| 1.0 + (i % 13) as f32 * 0.01).collect();
        let mut v: Vec<f32> = x[..32].to_vec();
        for (k, e) in x[32..64].iter().enumerate() {
            v[k] *= e;
        }
        let folded: Vec<f32> = (0..8)
            .map(|l| (v[l] * v[8 + l]) * (v[16 + l] * v[24 + l]))
            .collect();
        let mut want = 1.0 * folded[1..].iter().fold(folded[0], |a, e| a * e);
        for e in &x[64..] {
            want *= e;
        }
        assert_eq!(prod_f32(&x, &[70], &[1], &[true]), vec![want]);
    }

    #[test]
    fn columns_multiply_down_the_rows() {
        let (rows, cols) = (3, 40);
        let x: Vec<f32> = (0..rows * cols)
            .map(|i| 1.0 + (i % 7) as f32 * 0.1)
            .collect();
        let got = prod_f32(&x, &[rows, cols], &[cols as isize, 1], &[true, false]);
        for c in 0..cols {
            let want = if c < 32 {
                (x[c] * x[cols + c]) * x[2 * cols + c]
            } else {
                ((1.0 * x[c]) * x[cols + c]) * x[2 * cols + c]
            };
            assert_eq!(got[c], want);
        }
    }
}
