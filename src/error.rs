//! Typed errors of the core. The Python boundary maps each kind to the exception
//! PyTorch raises for the same misuse (see `python/errors.rs`).

use std::fmt;

/// Which Python exception an error becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Runtime,
    Type,
    Value,
    Index,
    Memory,
    NotImplemented,
    /// `torch.linalg.LinAlgError` (a RuntimeError): a factorization failed.
    LinAlg,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn runtime(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Runtime,
            message: message.into(),
        }
    }
    pub fn type_error(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Type,
            message: message.into(),
        }
    }
    pub fn value(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Value,
            message: message.into(),
        }
    }
    pub fn index(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Index,
            message: message.into(),
        }
    }
    pub fn memory(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Memory,
            message: message.into(),
        }
    }
    pub fn not_implemented(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::NotImplemented,
            message: message.into(),
        }
    }
    pub fn linalg(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::LinAlg,
            message: message.into(),
        }
    }

    /// PyTorch's wording for a dim outside `[-ndim, ndim - 1]`.
    pub fn dim_out_of_range(dim: i64, ndim: usize) -> Self {
        let n = ndim.max(1) as i64;
        Error::index(format!(
            "Dimension out of range (expected to be in range of [{}, {}], but got {})",
            -n,
            n - 1,
            dim
        ))
    }

    /// PyTorch's wording for two shapes that do not broadcast.
    pub fn broadcast_mismatch(a: usize, b: usize, dim: usize) -> Self {
        Error::runtime(format!(
            "The size of tensor a ({a}) must match the size of tensor b ({b}) at non-singleton dimension {dim}"
        ))
    }

    /// An in-place or `out=` result whose broadcast shape differs from the written tensor's.
    pub fn output_shape_mismatch(output: &[usize], broadcast: &[usize]) -> Self {
        use crate::tensor::layout::format_shape;
        Error::runtime(format!(
            "output with shape {} doesn't match the broadcast shape {}",
            format_shape(output),
            format_shape(broadcast)
        ))
    }

    /// An in-place result whose promoted dtype cannot be written back into the output's dtype.
    pub fn output_cast(result: crate::DType, output: crate::DType) -> Self {
        Error::runtime(format!(
            "result type {} can't be cast to the desired output type {}",
            result.kernel_name(),
            output.kernel_name()
        ))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
