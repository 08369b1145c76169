//! Same-dtype copies of what a layout reads from a tensor's storage, through the
//! strided copy kernel (runs moved whole, transposes tiled).

use crate::kernels::strided_copy::{copy_strided, gather_dense};
use crate::tensor::layout::{Layout, Strides};
use crate::tensor::{Buffer, Element, Tensor};
use crate::with_buffer;

/// A fresh tensor holding what `layout` reads from `t`'s storage (of `layout`'s shape),
/// laid out with the dense `strides` (None: row-major). `t` must not be complex.
pub(crate) fn copied(t: &Tensor, layout: &Layout, strides: Option<Strides>) -> Tensor {
    let buf = copied_buffer(t, layout, strides.as_deref());
    Tensor::from_buffer_strided(buf, &layout.shape, strides).expect("same element count")
}

/// What `layout` reads from `t`'s storage, in a fresh buffer laid out with the dense
/// `strides` over `layout`'s shape (None: row-major). `t` must not be complex.
pub(crate) fn copied_buffer(t: &Tensor, layout: &Layout, strides: Option<&[isize]>) -> Buffer {
    let g = t.storage().read();
    with_buffer!(&*g, v, T => T::into_buffer(gather_dense(v, layout, strides)))
}

/// Writes what `src_layout` reads from `src`'s storage to the places `dst_layout` names
/// in `dst`'s. `dst` must be a fresh tensor of `src`'s dtype (its own allocation, so
/// taking both locks cannot deadlock); neither may be complex.
pub(crate) fn copy_into(dst: &Tensor, dst_layout: &Layout, src: &Tensor, src_layout: &Layout) {
    let from = src.storage().read();
    let mut to = dst.storage().write();
    with_buffer!(&mut *to, d, T => {
        copy_strided(d.as_mut_slice(), dst_layout, T::slice(&from), src_layout)
    });
}
