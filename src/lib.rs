//! ferrograd: reverse-mode automatic differentiation with a PyTorch-shaped API.
//!
//! Layers, bottom up: `tensor` (dtypes, layouts, storage), `kernels` (the hot loops),
//! `autograd` (arena, engine, grad mode), `ops` (checks + kernels + backward formulas),
//! and `python` (the pyo3 boundary, behind the `python` feature).

pub mod autograd;
pub mod error;
pub mod flush_denormal;
mod huge_pages;
pub mod kernels;
mod large_block_cache;
pub mod ops;
pub mod parallel;
mod small_blocks;
pub mod tensor;
pub mod thread_flags;

#[cfg(feature = "python")]
mod python;

#[global_allocator]
static ALLOCATOR: huge_pages::HugePageAdvice = huge_pages::HugePageAdvice;

pub use error::{Error, Result};
pub use tensor::{DType, Scalar, Tensor};
