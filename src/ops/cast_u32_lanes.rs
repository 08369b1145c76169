//! PyTorch's float → uint32 cast gives two answers for out-of-range values: its
//! compiler-vectorised loop converts whole blocks of a contiguous run with signed
//! 32-bit conversions (values from 2**31 up shifted down first), while the elements
//! left over at a run's end go through 64 bits. The scalar rule is `Element`'s cast;
//! this file rewrites the block elements with the vector rule, as PyTorch's loop does.

use crate::tensor::layout::Layout;
use crate::tensor::{DType, Tensor};

/// x86's `cvttsd2si` into 32 bits: out of range and NaN give `i32::MIN`.
fn trunc_i32(v: f64) -> i32 {
    if v > -2147483649.0 && v < 2147483648.0 {
        v as i32
    } else {
        i32::MIN
    }
}

/// The vectorised loop's uint32 from a float.
fn vector_lane(v: f64) -> u32 {
    if v >= 2147483648.0 {
        (trunc_i32(v - 2147483648.0) as u32) ^ 0x8000_0000
    } else {
        trunc_i32(v) as u32
    }
}

/// Elements per vectorised block for a source dtype; None: no such loop (its values
/// all fit the scalar rule).
fn block(src: DType) -> Option<usize> {
    match src {
        DType::F64 | DType::F32 => Some(4),
        DType::BF16 => Some(8),
        _ => None,
    }
}

/// Elements of the contiguous runs `layout` is walked in (row-major), or None when
/// its innermost dim is not contiguous (PyTorch then converts every element alone).
fn run_length(layout: &Layout) -> Option<usize> {
    let mut run = 1usize;
    let mut any = false;
    for (&size, &stride) in layout.shape.iter().zip(layout.strides.iter()).rev() {
        if size == 1 {
            continue;
        }
        if stride != run as isize {
            break;
        }
        run *= size;
        any = true;
    }
    any.then_some(run)
}

/// Rewrites `out`, the uint32 values of `src` walked row-major, where PyTorch's
/// vectorised blocks give another value.
pub(crate) fn apply_vector_blocks(out: &mut [u32], src: &Tensor) {
    let Some(block) = block(src.dtype()) else {
        return;
    };
    let Some(run) = run_length(src.layout()) else {
        return;
    };
    if run < block || out.is_empty() {
        return;
    }
    let values = src.to_vec::<f64>();
    let covered = run / block * block;
    for (row_out, row_in) in out.chunks_mut(run).zip(values.chunks(run)) {
        for (o, &v) in row_out[..covered].iter_mut().zip(row_in) {
            *o = vector_lane(v);
        }
    }
}

/// `apply_vector_blocks` for the uint32 values of a complex tensor's real parts: its
/// loop converts blocks of 4 complex elements, a complex64 run leaving at least one
/// element to the scalar tail; complex32 has no vectorised loop.
pub(crate) fn apply_complex_vector_blocks(out: &mut [u32], src: &Tensor, real_parts: &[f64]) {
    let Some(run) = run_length(src.layout()) else {
        return;
    };
    let covered = match src.dtype() {
        DType::C64 => run.saturating_sub(1) / 4 * 4,
        DType::C128 => run / 4 * 4,
        _ => return,
    };
    for (row_out, row_in) in out.chunks_mut(run).zip(real_parts.chunks(run)) {
        for (o, &v) in row_out[..covered].iter_mut().zip(row_in) {
            *o = vector_lane(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_lane_matches_pytorch_blocks() {
        assert_eq!(vector_lane(-1.0), u32::MAX);
        assert_eq!(vector_lane(1e10), 0);
        assert_eq!(vector_lane(-1e10), 0x8000_0000);
        assert_eq!(vector_lane(f64::NAN), 0x8000_0000);
        assert_eq!(vector_lane(4294967295.5), u32::MAX);
        assert_eq!(vector_lane(2147483648.0), 0x8000_0000);
    }
}
