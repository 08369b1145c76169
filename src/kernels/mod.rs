//! The hot loops: no autograd and no Python here, only slices and layouts.

pub mod avx_normal;
pub mod bessel;
pub mod bessel_tables;
pub mod cascade_sum;
pub mod cascade_sum_dims;
pub mod conv;
pub mod dim_lanes;
pub mod elementwise;
pub mod fft;
pub mod gemm_into;
pub mod gemm_split;
pub mod gemv;
pub mod im2col;
pub mod matmul;
pub mod mt19937;
pub mod orthogonal_polynomials;
pub mod product_dims;
pub mod reduce;
pub mod reduce_walk;
// AVX-512 intrinsics: stable from Rust 1.89, as is the `avx512f` target feature that
// `sum_lanes` and `vmath` already enable.
#[clippy::msrv = "1.89"]
pub mod sgemm_avx512;
pub mod simd_map;
pub mod special;
pub mod special_f32;
pub mod special_real;
pub mod strided_copy;
pub mod sum_lanes;
pub mod vmath;
