//! Which activation, with its arguments as the caller gave them (an int stays an int in
//! the node's `_saved_*` values), and PyTorch's node name and saved values for each.

use crate::autograd::node::{SavedArg, SavedArgs};
use crate::error::{Error, Result};
use crate::tensor::Scalar;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Activation {
    /// `x Φ(x)` with the exact normal CDF (`approximate='none'`).
    Gelu,
    /// `x Φ(x)` with PyTorch's tanh approximation.
    GeluTanh,
    Silu,
    /// elu and selu: `scale x` above 0, `alpha scale (exp(input_scale x) - 1)` at or below.
    Elu {
        alpha: Scalar,
        scale: Scalar,
        input_scale: Scalar,
    },
    /// `elu(x, alpha, 1, 1 / alpha)`, its own node.
    Celu {
        alpha: Scalar,
    },
    Softplus {
        beta: Scalar,
        threshold: Scalar,
    },
    Mish,
    Hardswish,
    Hardsigmoid,
    Hardtanh {
        min: Scalar,
        max: Scalar,
    },
    LeakyRelu {
        slope: Scalar,
    },
    LogSigmoid,
    Softshrink {
        lambd: Scalar,
    },
    Hardshrink {
        lambd: Scalar,
    },
    Threshold {
        threshold: Scalar,
        value: Scalar,
    },
}

/// The numeric parameters of an activation, as float64 (each kernel narrows them to its
/// element type, as PyTorch converts its Scalars to `scalar_t`).
#[derive(Clone, Copy, Debug)]
pub struct Params {
    pub a: f64,
    pub b: f64,
    pub c: f64,
}

impl Activation {
    /// The activation `kind` with the Python-number arguments `args` (in PyTorch's order).
    pub fn parse(kind: &str, args: &[Scalar]) -> Result<Activation> {
        let arg = |i: usize| {
            args.get(i)
                .copied()
                .ok_or_else(|| Error::runtime(format!("{kind}: expected {} arguments", i + 1)))
        };
        Ok(match kind {
            "gelu" => Activation::Gelu,
            "gelu_tanh" => Activation::GeluTanh,
            "silu" => Activation::Silu,
            "elu" => Activation::Elu {
                alpha: arg(0)?,
                scale: arg(1)?,
                input_scale: arg(2)?,
            },
            "celu" => Activation::Celu { alpha: arg(0)? },
            "softplus" => Activation::Softplus {
                beta: arg(0)?,
                threshold: arg(1)?,
            },
            "mish" => Activation::Mish,
            "hardswish" => Activation::Hardswish,
            "hardsigmoid" => Activation::Hardsigmoid,
            "hardtanh" => Activation::Hardtanh {
                min: arg(0)?,
                max: arg(1)?,
            },
            "leaky_relu" => Activation::LeakyRelu { slope: arg(0)? },
            "log_sigmoid" => Activation::LogSigmoid,
            "softshrink" => Activation::Softshrink { lambd: arg(0)? },
            "hardshrink" => Activation::Hardshrink { lambd: arg(0)? },
            "threshold" => Activation::Threshold {
                threshold: arg(0)?,
                value: arg(1)?,
            },
            _ => return Err(Error::runtime(format!("unknown activation '{kind}'"))),
        })
    }

    /// The kernel PyTorch names when it refuses a dtype.
    pub fn kernel_name(&self) -> &'static str {
        match self {
            Activation::Gelu | Activation::GeluTanh => "GeluKernelImpl",
            Activation::Silu => "silu_cpu",
            Activation::Elu { .. } | Activation::Celu { .. } => "elu_cpu",
            Activation::Softplus { .. } => "softplus_cpu",
            Activation::Mish => "mish_cpu",
            Activation::Hardswish => "hardswish_cpu",
            Activation::Hardsigmoid => "hardsigmoid_cpu",
            Activation::Hardtanh { .. } => "hardtanh_cpu",
            Activation::LeakyRelu { .. } => "leaky_relu_cpu",
            Activation::LogSigmoid => "log_sigmoid_cpu",
            Activation::Softshrink { .. } => "softshrink_check",
            Activation::Hardshrink { .. } => "hardshrink_cpu",
            Activation::Threshold { .. } => "threshold_cpu",
        }
    }

    /// PyTorch's node: the in-place forms of elu, celu, leaky_relu and threshold have
    /// their own (`...Backward1`).
    pub fn node_name(&self, inplace: bool) -> &'static str {
        match (self, inplace) {
            (Activation::Gelu | Activation::GeluTanh, _) => "GeluBackward0",
            (Activation::Silu, _) => "SiluBackward0",
            (Activation::Elu { .. }, false) => "EluBackward0",
            (Activation::Elu { .. }, true) => "EluBackward1",
            (Activation::Celu { .. }, false) => "CeluBackward0",
            (Activation::Celu { .. }, true) => "CeluBackward1",
            (Activation::Softplus { .. }, _) => "SoftplusBackward0",
            (Activation::Mish, _) => "MishBackward0",
            (Activation::Hardswish, _) => "HardswishBackward0",
            (Activation::Hardsigmoid, _) => "HardsigmoidBackward0",
            (Activation::Hardtanh { .. }, _) => "HardtanhBackward0",
            (Activation::LeakyRelu { .. }, false) => "LeakyReluBackward0",
            (Activation::LeakyRelu { .. }, true) => "LeakyReluBackward1",
            (Activation::LogSigmoid, _) => "LogSigmoidBackward0",
            (Activation::Softshrink { .. }, _) => "SoftshrinkBackward0",
            (Activation::Hardshrink { .. }, _) => "HardshrinkBackward0",
            (Activation::Threshold { .. }, false) => "ThresholdBackward0",
            (Activation::Threshold { .. }, true) => "ThresholdBackward1",
        }
    }

    /// Whether the in-place form's backward reads the result instead of the old input
    /// (PyTorch's `EluBackward1`, `CeluBackward1`, `LeakyReluBackward1`).
    pub fn inplace_saves_result(&self) -> bool {
        matches!(
            self,
            Activation::Elu { .. } | Activation::Celu { .. } | Activation::LeakyRelu { .. }
        )
    }

    /// The non-tensor values the node shows as `_saved_*`.
    pub fn saved_args(&self) -> SavedArgs {
        let s = SavedArg::Scalar;
        match *self {
            Activation::Gelu => vec![("approximate", SavedArg::Str("none"))],
            Activation::GeluTanh => vec![("approximate", SavedArg::Str("tanh"))],
            Activation::Elu {
                alpha,
                scale,
                input_scale,
            } => vec![
                ("alpha", s(alpha)),
                ("input_scale", s(input_scale)),
                ("scale", s(scale)),
            ],
            Activation::Celu { alpha } => vec![("alpha", s(alpha))],
            Activation::Softplus { beta, threshold } => {
                vec![("beta", s(beta)), ("threshold", s(threshold))]
            }
            Activation::Hardtanh { min, max } => vec![("max_val", s(max)), ("min_val", s(min))],
            Activation::LeakyRelu { slope } => vec![("negative_slope", s(slope))],
            Activation::Softshrink { lambd } | Activation::Hardshrink { lambd } => {
                vec![("lambd", s(lambd))]
            }
            Activation::Threshold { threshold, .. } => vec![("threshold", s(threshold))],
            _ => vec![],
        }
    }

    /// The parameters the formulas use: elu's (negative coefficient, positive
    /// coefficient, input scale), softplus's (beta, threshold), bounds, slopes.
    pub fn params(&self) -> Params {
        let p = |a: f64, b: f64, c: f64| Params { a, b, c };
        match *self {
            Activation::Elu {
                alpha,
                scale,
                input_scale,
            } => p(alpha.to_f64(), scale.to_f64(), input_scale.to_f64()),
            Activation::Celu { alpha } => p(alpha.to_f64(), 1.0, 1.0 / alpha.to_f64()),
            Activation::Softplus { beta, threshold } => p(beta.to_f64(), threshold.to_f64(), 0.0),
            Activation::Hardtanh { min, max } => p(min.to_f64(), max.to_f64(), 0.0),
            Activation::LeakyRelu { slope } => p(slope.to_f64(), 0.0, 0.0),
            Activation::Softshrink { lambd } | Activation::Hardshrink { lambd } => {
                p(lambd.to_f64(), 0.0, 0.0)
            }
            Activation::Threshold { threshold, value } => {
                p(threshold.to_f64(), value.to_f64(), 0.0)
            }
            _ => p(0.0, 0.0, 0.0),
        }
    }
}
