//! Products over any dims with PyTorch's rounding: the walk of `reduce_walk`, and per
//! block the body of `binary_kernel_reduce_vec` (ATen's cpu/Reduce.h), which multiplies in
//! the input's own dtype. A contiguous reduced run is multiplied as four interleaved
//! vectors over its whole groups of `4 * lanes` elements, those folded together and then
//! lane by lane, then the elements left over one by one; contiguous columns are
//! multiplied down the rows, each from its first row; anything else one element after
//! another into the output.

use super::reduce_walk::{self, Block, Strided};

/// The products of `x` (a tensor of `shape` and `strides` in elements) over the dims
/// marked in `reduced`, contiguous over the kept dims. `lanes` is the
/// length of PyTorch's AVX2 vector of the dtype and `mul` its multiplication (for the
/// 16-bit floats, in float32 and rounded back).
pub fn prod_dims<T: Copy + Send + Sync>(
    x: &Strided<T>,
    shape: &[usize],
    strides: &[isize],
    reduced: &[bool],
    threads: usize,
    (one, lanes): (T, usize),
    mul: &(dyn Fn(T, T) -> T + Sync),
) -> Vec<T> {
    let kernel = |x: &Strided<T>, b: &Block, out: &mut [T]| product_block(x, b, out, lanes, mul);
    reduce_walk::reduce(x, shape, strides, reduced, threads, one, &kernel)
}

fn product_block<T: Copy>(
    x: &Strided<T>,
    b: &Block,
    out: &mut [T],
    lanes: usize,
    mul: &dyn Fn(T, T) -> T,
) {
    let [size0, size1] = b.sizes;
    let [in0, in1] = b.input_strides;
    let [out0, out1] = b.output_strides;
    let slot = |j: usize| (b.output + j as isize * out1) as usize;
    if out0 == 0 && in0 == 1 {
        for j in 0..size1 {
            let run = x.run(b.input + j as isize * in1, size0);
            let o = slot(j);
            out[o] = run_product(out[o], run, lanes, mul);
        }
    } else if out0 == 0 && out1 == 1 && in1 == 1 {
        column_products(x, b, out, lanes, mul);
    } else {
        for j in 0..size1 {
            for i in 0..size0 {
                let o = (b.output + j as isize * out1 + i as isize * out0) as usize;
                out[o] = mul(out[o], x.at(b.input + j as isize * in1 + i as isize * in0));
            }
        }
    }
}

/// `vectorized_inner_reduction`: `acc` times one contiguous run.
fn run_product<T: Copy>(acc: T, run: &[T], lanes: usize, mul: &dyn Fn(T, T) -> T) -> T {
    let group = 4 * lanes;
    let groups = run.len() / group;
    let mut acc = acc;
    if groups > 0 {
        let mut vectors: Vec<T> = run[..group].to_vec();
        for g in 1..groups {
            for (v, &e) in vectors.iter_mut().zip(&run[g * group..(g + 1) * group]) {
                *v = mul(*v, e);
            }
        }
        let (v0, rest) = vectors.split_at(lanes);
        let (v1, rest) = rest.split_at(lanes);
        let (v2, v3) = rest.split_at(lanes);
        let folded: Vec<T> = (0..lanes)
            .map(|l| mul(mul(v0[l], v1[l]), mul(v2[l], v3[l])))
            .collect();
        let lane_product = folded[1..].iter().fold(folded[0], |a, &e| mul(a, e));
        acc = mul(acc, lane_product);
    }
    run[groups * group..].iter().fold(acc, |a, &e| mul(a, e))
}

/// `vectorized_outer_reduction` over a block whose columns are contiguous in the input
/// and the output: whole groups of `4 * lanes` columns start from their first row and
/// multiply into the output at the end, the other columns multiply into the output row
/// by row. Walked row by row here; each column sees the same products in the same order.
fn column_products<T: Copy>(
    x: &Strided<T>,
    b: &Block,
    out: &mut [T],
    lanes: usize,
    mul: &dyn Fn(T, T) -> T,
) {
    let [rows, cols] = b.sizes;
    let row_stride = b.input_strides[0];
    let grouped = cols / (4 * lanes) * (4 * lanes);
    let row = |r: usize| x.run(b.input + r as isize * row_stride, cols);
    let o = b.output as usize;
    let out = &mut out[o..o + cols];
    let mut acc: Vec<T> = row(0)[..grouped].to_vec();
    for (a, &e) in out[grouped..].iter_mut().zip(&row(0)[grouped..]) {
        *a = mul(*a, e);
    }
    for r in 1..rows {
        let values = row(r);
        for (a, &e) in acc.iter_mut().zip(values) {
            *a = mul(*a, e);
        }
        for (a, &e) in out[grouped..].iter_mut().zip(&values[grouped..]) {
            *a = mul(*a, e);
        }
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
        prod_dims(&x, shape, strides, reduced, 1, (1.0, 8), &|a, b| a * b)
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
