//! `map1`/`map2` with a run-time SIMD loop (`kernels::simd_map`) for operands that are one
//! contiguous run (or a broadcast single value): the result's dtype, shape and memory
//! order are those of `cast::map1`/`cast::map2`, which handle every other layout.

use super::cast::{map1, map2, walked};
use crate::error::Result;
use crate::kernels::elementwise::map_binary;
use crate::kernels::simd_map;
use crate::tensor::layout::broadcast_shapes;
use crate::tensor::memory_format::elementwise_strides;
use crate::tensor::{Element, Tensor};

/// As `cast::map1`; `f` must be exact (the same bits at every instruction set).
pub(crate) fn simd_map1<T: Element, U: Element>(
    t: &Tensor,
    f: impl Fn(T) -> U + Copy + Sync + Send,
) -> Tensor {
    let strides = elementwise_strides(t.shape(), &[t.layout()]);
    let layout = walked(t.layout(), &strides);
    let n = layout.numel();
    if n == 0 || !layout.is_contiguous() {
        return map1(t, f);
    }
    let out = {
        let guard = t.storage().read();
        simd_map::map1(&T::slice(&guard)[layout.storage_run(n)], f)
    };
    Tensor::from_buffer_strided(U::into_buffer(out), t.shape(), strides)
        .expect("same element count")
}

/// As `cast::map2`; `f` must be exact.
pub(crate) fn simd_map2<T: Element, U: Element>(
    a: &Tensor,
    b: &Tensor,
    f: impl Fn(T, T) -> U + Copy + Sync + Send,
) -> Result<Tensor> {
    let shape = broadcast_shapes(a.shape(), b.shape())?;
    let strides = elementwise_strides(&shape, &[a.layout(), b.layout()]);
    let la = walked(&a.layout().broadcast_to(&shape)?, &strides);
    let lb = walked(&b.layout().broadcast_to(&shape)?, &strides);
    let n = la.numel();
    let single = |l: &crate::tensor::layout::Layout| l.strides.iter().all(|&s| s == 0);
    let (ca, cb) = (la.is_contiguous(), lb.is_contiguous());
    if n == 0 || !(ca || cb) || !(ca && cb || single(&la) || single(&lb)) {
        return map2(a, b, f);
    }
    let out = {
        let ga = a.storage().read();
        let gb = b.storage().read();
        let (xa, xb) = (T::slice(&ga), T::slice(&gb));
        if ca && cb {
            let (ra, rb) = (la.storage_run(n), lb.storage_run(n));
            simd_map::map2(&xa[ra], &xb[rb], f)
        } else if ca {
            let y = xb[lb.offset];
            simd_map::map1(&xa[la.storage_run(n)], move |x| f(x, y))
        } else if cb {
            let x = xa[la.offset];
            simd_map::map1(&xb[lb.storage_run(n)], move |y| f(x, y))
        } else {
            map_binary(xa, &la, xb, &lb, f)
        }
    };
    Tensor::from_buffer_strided(U::into_buffer(out), &shape, strides)
}
