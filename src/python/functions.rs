//! Module-level functions of `ferrograd._core`: creation, random numbers, grad mode,
//! the autograd entry points and graph statistics.

use super::convert::{opt_dtype, scalar_of, scalar_param_for, sizes_of, uint64_int};
use super::errors::{guarded, guarded_nogil, IntoPyResult};
use super::int_args::{int_arg, int_list_arg, opt_int_arg};
use super::strided_arg::Strided;
use super::tensor::{wrap, PyTensor};
use crate::autograd;
use crate::ops;
use crate::tensor::{default_dtype, set_default_dtype, Buffer, DType, Scalar, Tensor};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};

fn shape_of(sizes: &[i64]) -> PyResult<Vec<usize>> {
    ops::sizes_from_i64(sizes).py()
}

/// A tensor from raw native-endian bytes (NumPy conversion).
#[pyfunction]
fn _from_bytes(
    py: Python<'_>,
    data: &Bound<'_, PyBytes>,
    #[pyo3(from_py_with = int_list_arg)] shape: Vec<i64>,
    dtype: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let d = opt_dtype(Some(dtype))?.unwrap_or(DType::F32);
    let shape = shape_of(&shape)?;
    let bytes = data.as_bytes();
    let n: usize = shape.iter().product();
    if bytes.len() != n * d.size_in_bytes() {
        return Err(PyRuntimeError::new_err(
            "byte count does not match shape and dtype",
        ));
    }
    let buffer = Buffer::from_ne_bytes(d, bytes);
    wrap(py, Tensor::from_buffer(buffer, &shape).py()?)
}

#[pyfunction]
#[pyo3(signature = (*size, fill_value, dtype=None))]
fn _full(
    py: Python<'_>,
    size: &Bound<'_, PyTuple>,
    fill_value: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let sizes = sizes_of(size)?;
    let requested = opt_dtype(dtype)?;
    // a uint64-range int fills a float dtype with its value (PyTorch's unsigned scalar)
    let value = match requested {
        Some(d) => super::convert::fill_scalar_for(d, fill_value)?,
        None => scalar_of(fill_value)?,
    }
    .ok_or_else(|| PyTypeError::new_err("fill_value must be a number"))?;
    let d = requested.unwrap_or(match value {
        Scalar::Bool(_) => DType::Bool,
        Scalar::Int(_) => DType::I64,
        Scalar::Float(_) => default_dtype(),
    });
    let shape = ops::creation::sizes_for_dtype(&sizes, d).py()?;
    wrap(py, guarded("full", || ops::full(&shape, value, d))?)
}

#[pyfunction]
fn _rand(
    py: Python<'_>,
    #[pyo3(from_py_with = int_list_arg)] size: Vec<i64>,
    dtype: &Bound<'_, PyAny>,
    normal: bool,
) -> PyResult<Py<PyAny>> {
    let shape = shape_of(&size)?;
    let d = opt_dtype(Some(dtype))?.unwrap_or(default_dtype());
    let t = ops::random::with_default_generator(|g| {
        if normal {
            ops::random::randn(g, &shape, d)
        } else {
            ops::random::rand(g, &shape, d)
        }
    });
    wrap(py, t.py()?)
}

#[pyfunction]
fn _randint(
    py: Python<'_>,
    #[pyo3(from_py_with = int_arg)] low: i64,
    #[pyo3(from_py_with = int_arg)] high: i64,
    #[pyo3(from_py_with = int_list_arg)] size: Vec<i64>,
    dtype: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let shape = shape_of(&size)?;
    let d = opt_dtype(Some(dtype))?.unwrap_or(DType::I64);
    let t = ops::random::with_default_generator(|g| ops::random::randint(g, low, high, &shape, d));
    wrap(py, t.py()?)
}

#[pyfunction]
fn manual_seed(seed: i128) {
    ops::random::manual_seed(seed as u64);
}

/// The seed the default generator was last seeded with.
#[pyfunction]
fn initial_seed() -> u64 {
    ops::random::initial_seed()
}

#[pyfunction]
fn _get_rng_state<'py>(py: Python<'py>) -> Bound<'py, PyBytes> {
    PyBytes::new(py, &ops::random::get_state())
}

#[pyfunction]
fn _set_rng_state(state: &Bound<'_, PyBytes>) -> PyResult<()> {
    ops::random::set_state(state.as_bytes()).py()
}

#[pyfunction]
fn _arange(
    py: Python<'_>,
    start: &Bound<'_, PyAny>,
    end: &Bound<'_, PyAny>,
    step: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let num = |o: &Bound<'_, PyAny>| {
        scalar_of(o)?.ok_or_else(|| PyTypeError::new_err("arange(): arguments must be numbers"))
    };
    let (s, e, st) = (num(start)?, num(end)?, num(step)?);
    let all_int = [s, e, st].iter().all(|x| !matches!(x, Scalar::Float(_)));
    let d = opt_dtype(dtype)?.unwrap_or(if all_int { DType::I64 } else { default_dtype() });
    wrap(py, guarded("arange", || ops::arange(s, e, st, d))?)
}

#[pyfunction]
#[pyo3(signature = (start, end, steps, dtype=None, base=None))]
fn _linspace(
    py: Python<'_>,
    start: &Bound<'_, PyAny>,
    end: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = int_arg)] steps: i64,
    dtype: Option<&Bound<'_, PyAny>>,
    base: Option<f64>,
) -> PyResult<Py<PyAny>> {
    let d = opt_dtype(dtype)?.unwrap_or(default_dtype());
    let num = |o: &Bound<'_, PyAny>| {
        scalar_param_for(d, o)?
            .ok_or_else(|| PyTypeError::new_err("linspace(): arguments must be numbers"))
    };
    let (s, e) = (num(start)?, num(end)?);
    let t = match base {
        None => guarded("linspace", || ops::linspace(s, e, steps, d))?,
        Some(b) => guarded("logspace", || ops::logspace(s, e, steps, b, d))?,
    };
    wrap(py, t)
}

#[pyfunction]
#[pyo3(signature = (n, m=None, dtype=None))]
fn _eye(
    py: Python<'_>,
    #[pyo3(from_py_with = int_arg)] n: i64,
    #[pyo3(from_py_with = opt_int_arg)] m: Option<i64>,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let m = m.unwrap_or(n);
    if n < 0 {
        return Err(PyRuntimeError::new_err(format!(
            "n must be greater or equal to 0, got {n}"
        )));
    }
    if m < 0 {
        return Err(PyRuntimeError::new_err(format!(
            "m must be greater or equal to 0, got {m}"
        )));
    }
    let d = opt_dtype(dtype)?.unwrap_or(default_dtype());
    wrap(py, guarded("eye", || ops::eye(n as usize, m as usize, d))?)
}

#[pyfunction]
fn get_default_dtype(py: Python<'_>) -> Py<super::convert::PyDType> {
    super::convert::dtype_object(py, default_dtype())
}

#[pyfunction]
fn set_default_dtype_(dtype: &Bound<'_, PyAny>) -> PyResult<()> {
    let d =
        opt_dtype(Some(dtype))?.ok_or_else(|| PyTypeError::new_err("dtype must not be None"))?;
    set_default_dtype(d).py()
}

/// Whether gradient recording is on in this thread (off inside `no_grad`).
#[pyfunction]
fn is_grad_enabled() -> bool {
    autograd::is_grad_enabled()
}

/// Whether this thread is inside `inference_mode`.
#[pyfunction]
fn is_inference_mode_enabled() -> bool {
    autograd::mode::is_inference_mode()
}

#[pyfunction]
fn _set_grad_enabled(enabled: bool) -> bool {
    autograd::set_grad_enabled(enabled)
}

fn tensors(seq: &Bound<'_, PyAny>) -> PyResult<Vec<Tensor>> {
    let mut out = Vec::new();
    for item in seq.try_iter()? {
        out.push(
            item?
                .cast::<PyTensor>()
                .map_err(|_| PyTypeError::new_err("expected a sequence of Tensors"))?
                .borrow()
                .t()
                .clone(),
        );
    }
    Ok(out)
}

/// `autograd.backward(tensors, grad_tensors, retain_graph, create_graph, inputs)`:
/// gradients must already be materialised (the Python layer does that).
#[pyfunction]
#[pyo3(signature = (roots, grads, retain_graph, create_graph, inputs=None))]
fn _backward(
    py: Python<'_>,
    roots: &Bound<'_, PyAny>,
    grads: &Bound<'_, PyAny>,
    retain_graph: bool,
    create_graph: bool,
    inputs: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let r = tensors(roots)?;
    let g = tensors(grads)?;
    let ins = match inputs {
        Some(i) if !i.is_none() => Some(tensors(i)?),
        _ => None,
    };
    guarded_nogil(py, true, "backward", || {
        autograd::backward(&r, &g, retain_graph, create_graph, ins.as_deref())
    })
}

fn size_repr(shape: &[usize]) -> String {
    let parts: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    format!("ferrograd.Size([{}])", parts.join(", "))
}

/// `tensor.backward(gradient, retain_graph, create_graph, inputs)`, checks included,
/// without a round trip through Python.
#[pyfunction]
#[pyo3(signature = (t, gradient=None, retain_graph=None, create_graph=false, inputs=None))]
fn _tensor_backward(
    py: Python<'_>,
    t: Strided<'_>,
    gradient: Option<&Bound<'_, PyAny>>,
    retain_graph: Option<bool>,
    create_graph: bool,
    inputs: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let out = t.t().clone();
    if let Some(g) = gradient {
        if !g.is_none() && g.cast::<PyTensor>().is_err() && scalar_of(g)?.is_none() {
            return Err(PyTypeError::new_err(format!(
                "gradients can be either Tensors or None, but got {}",
                g.get_type().name()?
            )));
        }
    }
    if !out.requires_grad() {
        return Err(PyRuntimeError::new_err(
            "element 0 of tensors does not require grad and does not have a grad_fn",
        ));
    }
    let seed = match gradient {
        Some(g) if !g.is_none() => {
            let g = match g.cast::<PyTensor>() {
                Ok(g) => g.borrow().t().clone(),
                Err(_) => {
                    let s = scalar_of(g)?.ok_or_else(|| {
                        PyTypeError::new_err("gradient must be a Tensor or a number")
                    })?;
                    ops::full(out.shape(), s, out.dtype()).py()?
                }
            };
            if g.shape() != out.shape() {
                return Err(PyRuntimeError::new_err(format!(
                    "Mismatch in shape: grad_output[0] has a shape of {} and output[0] has a shape of {}.",
                    size_repr(g.shape()),
                    size_repr(out.shape())
                )));
            }
            g
        }
        _ => {
            if out.numel() != 1 {
                return Err(PyRuntimeError::new_err(
                    "grad can be implicitly created only for scalar outputs",
                ));
            }
            if out.dtype().is_complex() {
                return Err(PyRuntimeError::new_err(format!(
                    "grad can be implicitly created only for real scalar outputs but got ferrograd.{}",
                    out.dtype().name()
                )));
            }
            ops::full(out.shape(), Scalar::Int(1), out.dtype()).py()?
        }
    };
    let ins = match inputs {
        Some(i) if !i.is_none() => {
            let v = match i.cast::<PyTensor>() {
                Ok(one) => vec![one.borrow().t().clone()],
                Err(_) => tensors(i)?,
            };
            if v.is_empty() {
                return Err(PyRuntimeError::new_err(
                    "'inputs' argument to backward() cannot be empty.",
                ));
            }
            Some(v)
        }
        _ => None,
    };
    let retain = retain_graph.unwrap_or(create_graph);
    guarded_nogil(py, true, "backward", || {
        autograd::backward(&[out], &[seed], retain, create_graph, ins.as_deref())
    })
}

#[pyfunction]
fn _grad(
    py: Python<'_>,
    roots: &Bound<'_, PyAny>,
    grads: &Bound<'_, PyAny>,
    inputs: &Bound<'_, PyAny>,
    retain_graph: bool,
    create_graph: bool,
    allow_unused: bool,
) -> PyResult<Py<PyAny>> {
    let r = tensors(roots)?;
    let g = tensors(grads)?;
    let ins = tensors(inputs)?;
    let out = guarded_nogil(py, true, "grad", || {
        autograd::grad(&r, &g, &ins, retain_graph, create_graph, allow_unused)
    })?;
    let items: Vec<Py<PyAny>> = out
        .into_iter()
        .map(|o| match o {
            Some(t) => wrap(py, t),
            None => Ok(py.None()),
        })
        .collect::<PyResult<_>>()?;
    Ok(PyTuple::new(py, items)?.into_any().unbind())
}

#[pyfunction]
fn graph_stats<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
    let s = autograd::graph_stats();
    let d = PyDict::new(py);
    d.set_item("live_nodes", s.live_nodes)?;
    d.set_item("arena_slots", s.slots)?;
    d.set_item("saved_tensors", s.saved_tensors)?;
    d.set_item("saved_bytes", s.saved_bytes)?;
    Ok(d)
}

#[pyfunction]
fn _where(
    py: Python<'_>,
    cond: Strided<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let (a, b) = where_branches(a, b)?;
    wrap(py, guarded("where", || ops::where_(&cond.t(), &a, &b))?)
}

/// The two branches of `where`: a uint64-range Python int is read against the other
/// branch when that is a tensor (see `fill_operand_against`).
fn where_branches(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<(Tensor, Tensor)> {
    use super::convert::{fill_operand_against, operand_required};
    if let Ok(t) = a.cast::<PyTensor>() {
        let ta = t.borrow().t().clone();
        let tb = fill_operand_against(&ta, b, "where")?;
        return Ok((ta, tb));
    }
    let tb = operand_required(b, "where")?;
    let ta = fill_operand_against(&tb, a, "where")?;
    Ok((ta, tb))
}

/// PyTorch's error for two Python numbers of which one is a uint64 int.
fn refuse_unsigned_pair(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<()> {
    use super::convert::uint64_int;
    let number_name = |o: &Bound<'_, PyAny>| {
        if uint64_int(o).is_some() {
            "UInt64"
        } else if o.is_instance_of::<pyo3::types::PyBool>() {
            "Bool"
        } else if o.is_instance_of::<pyo3::types::PyInt>() {
            "Long"
        } else if o.is_instance_of::<pyo3::types::PyFloat>() {
            "Double"
        } else {
            "Complex"
        }
    };
    let numbers = !a.is_instance_of::<PyTensor>() && !b.is_instance_of::<PyTensor>();
    let unsigned = uint64_int(a).is_some() || uint64_int(b).is_some();
    let refused = |o: &Bound<'_, PyAny>| !matches!(number_name(o), "UInt64" | "Double");
    if numbers && unsigned && (refused(a) || refused(b)) {
        return Err(PyRuntimeError::new_err(format!(
            "Promotion for uint16, uint32, uint64 types is not supported, attempted to promote {} and {}",
            number_name(a),
            number_name(b)
        )));
    }
    Ok(())
}

#[pyfunction]
fn _result_type(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
) -> PyResult<Py<super::convert::PyDType>> {
    refuse_unsigned_pair(a, b)?;
    let (a, b) = match (a.cast::<PyTensor>(), b.cast::<PyTensor>()) {
        (Ok(t), _) => {
            let ta = t.borrow().t().clone();
            let tb = super::convert::operand_required_against(&ta, b, "result_type")?;
            (ta, tb)
        }
        (_, Ok(t)) => {
            let tb = t.borrow().t().clone();
            let ta = super::convert::operand_required_against(&tb, a, "result_type")?;
            (ta, tb)
        }
        _ if uint64_int(a).is_some() && uint64_int(b).is_some() => {
            return Ok(super::convert::dtype_object(py, DType::U64));
        }
        _ => {
            // a uint64 int beside a float: its value takes part as a float
            let number = |o: &Bound<'_, PyAny>| match uint64_int(o) {
                Some(u) => Ok(Tensor::wrapped_scalar(Scalar::Float(u as f64))),
                None => super::convert::operand_required(o, "result_type"),
            };
            (number(a)?, number(b)?)
        }
    };
    Ok(super::convert::dtype_object(
        py,
        ops::result_type(&[&a, &b]).map_err(super::errors::to_py)?,
    ))
}

/// The dtype TensorIterator computes for several tensor operands at once (0-dim ones
/// and wrapped numbers take part in their own categories).
#[pyfunction(signature = (*tensors))]
fn _tensors_result_type(
    py: Python<'_>,
    tensors: Vec<PyRef<'_, PyTensor>>,
) -> PyResult<Py<super::convert::PyDType>> {
    let owned: Vec<Tensor> = tensors.iter().map(|t| t.t().clone()).collect();
    let refs: Vec<&Tensor> = owned.iter().collect();
    let dtype = ops::result_type(&refs).map_err(super::errors::to_py)?;
    Ok(super::convert::dtype_object(py, dtype))
}

/// The dtype PyTorch's promotion rules give for two dtypes.
///
/// Args:
///     a: the first dtype.
///     b: the second dtype.
#[pyfunction]
fn promote_types(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
) -> PyResult<Py<super::convert::PyDType>> {
    let a = opt_dtype(Some(a))?.ok_or_else(|| PyTypeError::new_err("expected a dtype"))?;
    let b = opt_dtype(Some(b))?.ok_or_else(|| PyTypeError::new_err("expected a dtype"))?;
    Ok(super::convert::dtype_object(
        py,
        crate::tensor::dtype::try_promote_types(a, b).map_err(super::errors::to_py)?,
    ))
}

/// Panics inside a guarded core call: proves that a panic reaches Python as a
/// RuntimeError naming the op, never as pyo3's PanicException.
#[pyfunction]
fn _panic_for_test() -> PyResult<()> {
    guarded("_panic_for_test", || -> crate::error::Result<()> {
        panic!("deliberate panic")
    })
}

/// Gathers row-major element positions; `op` names the node after the Python-level op.
#[pyfunction]
#[pyo3(signature = (t, positions, op=None))]
fn _take(
    py: Python<'_>,
    t: Strided<'_>,
    positions: Strided<'_>,
    op: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let name: &'static str = match op {
        None => "IndexBackward0",
        Some("index_select") => "IndexSelectBackward0",
        Some("gather") => "GatherBackward0",
        Some("masked_select") => "MaskedSelectBackward0",
        Some(other) => {
            return Err(PyValueError::new_err(format!(
                "unknown gather op '{other}'"
            )))
        }
    };
    wrap(
        py,
        guarded("index", || ops::take_named(&t.t(), &positions.t(), name))?,
    )
}

/// `t[index]` for one int64/int32 tensor `index` on dim `dim` (`IndexBackward0`).
#[pyfunction]
fn _index_dim(
    py: Python<'_>,
    t: Strided<'_>,
    dim: usize,
    index: Strided<'_>,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        guarded("index", || {
            ops::index_dim::index_dim(&t.t(), dim, &index.t())
        })?,
    )
}

#[pyfunction]
fn _put(t: Strided<'_>, positions: Strided<'_>, value: &Bound<'_, PyAny>) -> PyResult<()> {
    let v = super::convert::operand_or_array_required(value, "index_put_")?;
    guarded("index_put_", || ops::put_(&t.raw, &positions.t(), &v))
}

#[pyfunction]
fn _set_detect_anomaly(enabled: bool) -> bool {
    autograd::mode::set_anomaly_enabled(enabled)
}

/// Sets whether anomaly mode raises on NaN gradients; returns the previous setting.
#[pyfunction]
fn _set_anomaly_check_nan(enabled: bool) -> bool {
    autograd::mode::set_anomaly_check_nan(enabled)
}

/// Whether anomaly mode raises on NaN gradients (`check_nan`).
#[pyfunction]
fn is_anomaly_check_nan_enabled() -> bool {
    autograd::mode::is_anomaly_check_nan_enabled()
}

/// Whether anomaly detection (`autograd.set_detect_anomaly`) is on.
#[pyfunction]
fn is_anomaly_enabled() -> bool {
    autograd::mode::is_anomaly_enabled()
}

/// The Python stack where a node is being recorded (anomaly mode only).
fn python_trace() -> Option<String> {
    Python::attach(|py| {
        let tb = py.import("traceback").ok()?;
        let lines = tb.call_method0("format_stack").ok()?;
        let parts: Vec<String> = lines.extract().ok()?;
        Some(parts.concat())
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    autograd::mode::set_trace_provider(python_trace);
    crate::tensor::set_location_provider(super::accounting_fns::user_site);
    m.add_function(wrap_pyfunction!(_set_detect_anomaly, m)?)?;
    m.add_function(wrap_pyfunction!(is_anomaly_enabled, m)?)?;
    m.add_function(wrap_pyfunction!(_set_anomaly_check_nan, m)?)?;
    m.add_function(wrap_pyfunction!(is_anomaly_check_nan_enabled, m)?)?;
    m.add_function(wrap_pyfunction!(_take, m)?)?;
    m.add_function(wrap_pyfunction!(_index_dim, m)?)?;
    m.add_function(wrap_pyfunction!(_put, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    m.add_function(wrap_pyfunction!(_from_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(_full, m)?)?;
    m.add_function(wrap_pyfunction!(_rand, m)?)?;
    m.add_function(wrap_pyfunction!(_randint, m)?)?;
    m.add_function(wrap_pyfunction!(manual_seed, m)?)?;
    m.add_function(wrap_pyfunction!(initial_seed, m)?)?;
    m.add_function(wrap_pyfunction!(_get_rng_state, m)?)?;
    m.add_function(wrap_pyfunction!(_set_rng_state, m)?)?;
    m.add_function(wrap_pyfunction!(_arange, m)?)?;
    m.add_function(wrap_pyfunction!(_linspace, m)?)?;
    m.add_function(wrap_pyfunction!(_eye, m)?)?;
    m.add_function(wrap_pyfunction!(get_default_dtype, m)?)?;
    m.add_function(wrap_pyfunction!(set_default_dtype_, m)?)?;
    m.add_function(wrap_pyfunction!(is_grad_enabled, m)?)?;
    m.add_function(wrap_pyfunction!(is_inference_mode_enabled, m)?)?;
    m.add_function(wrap_pyfunction!(_set_grad_enabled, m)?)?;
    m.add_function(wrap_pyfunction!(_backward, m)?)?;
    m.add_function(wrap_pyfunction!(_grad, m)?)?;
    m.add_function(wrap_pyfunction!(_tensor_backward, m)?)?;
    m.add_function(wrap_pyfunction!(graph_stats, m)?)?;
    m.add_function(wrap_pyfunction!(_where, m)?)?;
    m.add_function(wrap_pyfunction!(_result_type, m)?)?;
    m.add_function(wrap_pyfunction!(_tensors_result_type, m)?)?;
    m.add_function(wrap_pyfunction!(promote_types, m)?)?;
    Ok(())
}
