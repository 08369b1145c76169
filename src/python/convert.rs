//! Python values to core arguments: dtypes, numbers, operands, sizes and dims.

use super::tensor::PyTensor;
use crate::tensor::{DType, Scalar, Tensor};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyFloat, PyInt, PyList, PySequence, PyTuple};

/// `ferrograd.float32` and friends: one object per dtype.
#[pyclass(name = "dtype", module = "ferrograd", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyDType {
    pub dtype: DType,
}

#[pymethods]
impl PyDType {
    fn __repr__(&self) -> String {
        format!("ferrograd.{}", self.dtype.name())
    }
    #[getter]
    fn is_floating_point(&self) -> bool {
        self.dtype.is_floating()
    }
    #[getter]
    fn is_complex(&self) -> bool {
        self.dtype.is_complex()
    }
    #[getter]
    fn is_signed(&self) -> bool {
        self.dtype.is_signed()
    }
    #[getter]
    fn itemsize(&self) -> usize {
        self.dtype.size_in_bytes()
    }
    /// The real dtype matching this one (a real dtype is its own).
    fn to_real(&self, py: Python<'_>) -> Py<PyDType> {
        dtype_object(py, self.dtype.to_real())
    }
    /// The complex dtype matching this floating one (a complex dtype is its own).
    fn to_complex(&self, py: Python<'_>) -> PyResult<Py<PyDType>> {
        if self.dtype.is_float8() || !(self.dtype.is_floating() || self.dtype.is_complex()) {
            return Err(PyRuntimeError::new_err(format!(
                "Unknown Complex ScalarType for {}",
                self.dtype.kernel_name()
            )));
        }
        Ok(dtype_object(py, self.dtype.to_complex()))
    }
    /// Pickled by name: unpickling finds `ferrograd.<name>`.
    fn __reduce__(&self) -> &'static str {
        self.dtype.name()
    }
}

static DTYPES: PyOnceLock<Vec<Py<PyDType>>> = PyOnceLock::new();

pub fn register_dtypes(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let objs = DTYPES.get_or_init(py, || {
        DType::ALL
            .iter()
            .map(|&d| Py::new(py, PyDType { dtype: d }).expect("dtype object"))
            .collect()
    });
    for (d, obj) in DType::ALL.iter().zip(objs) {
        m.add(d.name(), obj.clone_ref(py))?;
    }
    Ok(())
}

pub fn dtype_object(py: Python<'_>, d: DType) -> Py<PyDType> {
    let objs = DTYPES.get(py).expect("dtypes registered at import");
    let i = DType::ALL
        .iter()
        .position(|&x| x == d)
        .expect("known dtype");
    objs[i].clone_ref(py)
}

/// A dtype argument: a dtype object, or `None`.
pub fn opt_dtype(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<DType>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => {
            if let Ok(d) = o.cast::<PyDType>() {
                return Ok(Some(d.get().dtype));
            }
            if let Ok(t) = o.cast::<pyo3::types::PyType>() {
                let name: String = t.name()?.extract()?;
                return match name.as_str() {
                    "float" => Ok(Some(DType::F64)),
                    "int" => Ok(Some(DType::I64)),
                    "bool" => Ok(Some(DType::Bool)),
                    "complex" => Ok(Some(DType::C128)),
                    _ => Err(PyTypeError::new_err(format!(
                        "cannot interpret '{name}' as a data type"
                    ))),
                };
            }
            Err(PyTypeError::new_err(format!(
                "dtype must be a ferrograd.dtype, not {}",
                o.get_type().name()?
            )))
        }
    }
}

/// PyTorch's error for a Python int outside int64: numbers past uint64 or below int64
/// do not convert at all (OverflowError); PyTorch takes the uint64 range as an unsigned
/// scalar, which an int64 argument cannot hold (RuntimeError).
fn int_overflow(obj: &Bound<'_, PyAny>) -> PyResult<PyErr> {
    if obj.extract::<u64>().is_ok() {
        return Ok(PyRuntimeError::new_err(
            "value cannot be converted to type int64_t without overflow",
        ));
    }
    let negative = obj.lt(0)?;
    Ok(pyo3::exceptions::PyOverflowError::new_err(if negative {
        "can't convert negative int to unsigned"
    } else {
        "int too big to convert"
    }))
}

/// A Python bool, int or float as a core scalar.
pub fn scalar_of(obj: &Bound<'_, PyAny>) -> PyResult<Option<Scalar>> {
    if obj.is_instance_of::<PyBool>() {
        return Ok(Some(Scalar::Bool(obj.extract()?)));
    }
    if obj.is_instance_of::<PyInt>() {
        return match obj.extract::<i64>() {
            Ok(i) => Ok(Some(Scalar::Int(i))),
            Err(_) => Err(int_overflow(obj)?),
        };
    }
    if obj.is_instance_of::<PyFloat>() {
        return Ok(Some(Scalar::Float(obj.extract()?)));
    }
    // NumPy scalars and other numbers
    if obj.hasattr("__index__")? && !obj.hasattr("__array_interface__")? {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Some(Scalar::Int(i)));
        }
    }
    if obj.hasattr("dtype")? && obj.hasattr("item")? && !obj.is_instance_of::<PyTensor>() {
        let shape_empty = obj
            .getattr("shape")
            .and_then(|s| s.len())
            .map(|n| n == 0)
            .unwrap_or(false);
        if shape_empty {
            // PyTorch reads a NumPy bool and a NumPy complex that is not a Python complex
            // (complex64) through float(), as a double
            let kind = obj.getattr("dtype")?.getattr("kind")?;
            if (kind.eq("b")? || kind.eq("c")?) && !obj.is_instance_of::<pyo3::types::PyComplex>() {
                return Ok(Some(Scalar::Float(obj.extract()?)));
            }
            let item = obj.call_method0("item")?;
            if item.get_type().is(obj.get_type()) {
                // `numpy.longdouble(2).item()` is itself: PyTorch reads it through float
                if !obj.getattr("dtype")?.getattr("kind")?.eq("f")? {
                    return Ok(None);
                }
                return Ok(Some(Scalar::Float(obj.extract()?)));
            }
            return scalar_of(&item);
        }
    }
    Ok(None)
}

/// An operand of a binary op: a tensor, or a Python number (a wrapped scalar).
/// `None` means "not something we take" (the operator then returns NotImplemented):
/// NumPy arrays among them, 0-dim or not, as in PyTorch, so that `x * array` is NumPy's
/// (its result wrapped back into a tensor by `__array_wrap__`).
pub fn operand(obj: &Bound<'_, PyAny>) -> PyResult<Option<Tensor>> {
    operand_from(obj, false)
}

/// `operand`, taking NumPy arrays too when `arrays` (`x[i] = array`).
fn operand_from(obj: &Bound<'_, PyAny>, arrays: bool) -> PyResult<Option<Tensor>> {
    if let Ok(t) = obj.cast::<PyTensor>() {
        return Ok(Some(t.borrow().t().clone()));
    }
    if !arrays && is_ndarray(obj) {
        return Ok(None);
    }
    if let Some(s) = scalar_of(obj)? {
        return Ok(Some(Tensor::wrapped_scalar(s)));
    }
    if let Ok(c) = obj.cast::<pyo3::types::PyComplex>() {
        return Ok(Some(crate::ops::complex::wrapped_complex(
            c.real(),
            c.imag(),
        )));
    }
    if obj.hasattr("__array_interface__")? || obj.hasattr("__array__")? {
        let py = obj.py();
        let fg = py.import("ferrograd")?;
        let t = fg.call_method1("as_tensor", (obj,))?;
        return Ok(Some(t.cast::<PyTensor>()?.borrow().t().clone()));
    }
    Ok(None)
}

/// A Python int in [2**63, 2**64), which PyTorch takes as a uint64 scalar.
pub fn uint64_int(obj: &Bound<'_, PyAny>) -> Option<u64> {
    if !obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyBool>() {
        return None;
    }
    if obj.extract::<i64>().is_ok() {
        return None;
    }
    obj.extract::<u64>().ok()
}

/// A Scalar argument of an op computing in `dtype` (alpha, beta, an activation's
/// parameter, a linspace end): PyTorch reads a Python int in [2**63, 2**64) as a uint64
/// Scalar, whose value a floating or complex op takes; an integer op cannot convert it
/// (the RuntimeError of `scalar_of`).
pub fn scalar_param_for(dtype: DType, obj: &Bound<'_, PyAny>) -> PyResult<Option<Scalar>> {
    match uint64_int(obj) {
        Some(u) if dtype.is_floating() || dtype.is_complex() => Ok(Some(Scalar::Float(u as f64))),
        _ => scalar_of(obj),
    }
}

/// The exponent of `a ** obj` when `obj` is a uint64-range Python int (`None` for any
/// other): PyTorch's Scalar exponent, its value for a floating or complex `a` and too big
/// for the integer (and bool) kernels.
pub fn uint64_exponent(a: &Tensor, obj: &Bound<'_, PyAny>) -> PyResult<Option<Tensor>> {
    if uint64_int(obj).is_none() {
        return Ok(None);
    }
    Ok(scalar_param_for(a.dtype(), obj)?.map(Tensor::wrapped_scalar))
}

/// Like `operand` for the other side of the binary op `name` with `a`: a uint64-range
/// Python int is its value against a float or complex tensor (and in true division) and
/// its bits as int64 (wrapping, as PyTorch's integer kernels) against the others.
pub fn operand_against(a: &Tensor, obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Option<Tensor>> {
    let Some(u) = uint64_int(obj) else {
        return operand(obj);
    };
    let d = a.dtype();
    // PyTorch refuses a bool subtraction before promoting (the op's own error follows)
    if d == crate::tensor::DType::Bool && name != "sub" {
        return Err(PyRuntimeError::new_err(
            "Promotion for uint16, uint32, uint64 types is not supported, attempted to promote Bool and UInt64",
        ));
    }
    let s = if d.is_floating() || d.is_complex() || name == "div" {
        Scalar::Float(u as f64)
    } else {
        Scalar::Int(u as i64)
    };
    Ok(Some(Tensor::wrapped_scalar(s)))
}

/// `operand_required` for an op on `a`: a Python int in [2**63, 2**64) is PyTorch's
/// uint64 scalar there (see `operand_against`).
pub fn operand_required_against(
    a: &Tensor,
    obj: &Bound<'_, PyAny>,
    what: &str,
) -> PyResult<Tensor> {
    if uint64_int(obj).is_some() {
        let name = what.trim_end_matches('_');
        if let Some(t) = operand_against(a, obj, name)? {
            return Ok(t);
        }
    }
    operand_required(obj, what)
}

/// A number written into a tensor of `dtype` (a fill value): a uint64-range Python int
/// is its value for a float or complex dtype, true for bool, and does not fit an integer
/// dtype but the unsigned ones; anything else as `scalar_of` reads it.
pub fn fill_scalar_for(dtype: DType, obj: &Bound<'_, PyAny>) -> PyResult<Option<Scalar>> {
    match uint64_int(obj) {
        Some(u) if dtype.is_floating() || dtype.is_complex() => Ok(Some(Scalar::Float(u as f64))),
        Some(_) if dtype == DType::Bool => Ok(Some(Scalar::Bool(true))),
        // its bits as int64: written into uint64 elements, they are the value again
        Some(u) if dtype == DType::U64 => Ok(Some(Scalar::Int(u as i64))),
        // past uint16/uint32: the op refuses the dtype (no kernel) or, on checking the
        // value, its overflow (PyTorch's order)
        Some(u) if dtype.is_shell_unsigned() => Ok(Some(Scalar::Float(u as f64))),
        Some(_) => Err(super::errors::to_py(crate::tensor::unsigned_overflow(
            dtype,
        ))),
        None => scalar_of(obj),
    }
}

/// A value written into `a` (a fill, a clamp bound, a `where` branch): a uint64-range
/// Python int is its value for a float or complex `a`, refused for an integer one (it
/// does not fit), and refused in promotion with bool.
pub fn fill_operand_against(a: &Tensor, obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Tensor> {
    let d = a.dtype();
    if uint64_int(obj).is_some()
        && !(d.is_floating()
            || d.is_complex()
            || d == crate::tensor::DType::Bool
            || d.is_shell_unsigned())
    {
        return Err(super::errors::to_py(crate::tensor::unsigned_overflow(d)));
    }
    operand_required_against(a, obj, what)
}

/// A NumPy array (not a NumPy scalar). The operators take one (`x + a`), but PyTorch's
/// argument parser refuses it for a named op's Tensor or Number argument, 0-dim or not.
pub fn is_ndarray(obj: &Bound<'_, PyAny>) -> bool {
    if obj.is_instance_of::<PyFloat>() || obj.is_instance_of::<PyInt>() {
        return false;
    }
    let ty = obj.get_type();
    ty.name().is_ok_and(|n| n == "ndarray")
        && ty
            .module()
            .is_ok_and(|m| m.to_string().starts_with("numpy"))
}

/// Like `operand`, but raising TypeError for anything else, NumPy arrays included.
pub fn operand_required(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Tensor> {
    operand_required_from(obj, what, false)
}

/// `operand_required` that takes NumPy arrays too (`x[i] = array`, as PyTorch does).
pub fn operand_or_array_required(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Tensor> {
    operand_required_from(obj, what, true)
}

fn operand_required_from(obj: &Bound<'_, PyAny>, what: &str, arrays: bool) -> PyResult<Tensor> {
    // tensors and Python numbers first: the type-name lookup is for the rare rest
    let common = obj.is_instance_of::<PyTensor>()
        || obj.is_instance_of::<PyFloat>()
        || obj.is_instance_of::<PyInt>();
    let ndarray = !arrays && !common && is_ndarray(obj);
    let taken = if ndarray {
        None
    } else {
        operand_from(obj, arrays)?
    };
    taken.ok_or_else(|| {
        let name = if ndarray {
            "numpy.ndarray".to_string()
        } else {
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        };
        PyTypeError::new_err(format!(
            "{what}(): argument 'other' must be Tensor or Number, not {name}"
        ))
    })
}

/// Sizes given as varargs (`ones(2, 3)`) or as one sequence (`ones((2, 3))`).
pub fn sizes_of(args: &Bound<'_, PyTuple>) -> PyResult<Vec<i64>> {
    if args.len() == 1 {
        let first = args.get_item(0)?;
        if !first.is_instance_of::<PyInt>() && first.hasattr("__len__")? {
            return int_list(&first, "size");
        }
    }
    int_list(args.as_any(), "size")
}

/// A list of ints as PyTorch's parser reads one: only its first element is checked
/// not to be a bool (`zeros(2, True)` is `zeros(2, 1)`, `zeros(True, 2)` a TypeError).
pub fn int_list(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<i64>> {
    if obj.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be tuple of ints, not bool"
        )));
    }
    if obj.is_instance_of::<PyInt>() {
        return Ok(vec![int_of(obj, what, 0)?]);
    }
    if obj.is_instance_of::<super::tensor::PyTensor>() {
        // a one-element integer tensor stands for one size, as in PyTorch
        if let Ok(i) = obj.call_method0("__index__") {
            return Ok(vec![i.extract::<i64>()?]);
        }
    }
    let seq = obj.cast::<PySequence>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what} must be tuple of ints, but got {}",
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })?;
    let mut out = Vec::with_capacity(seq.len()?);
    for (pos, item) in seq.try_iter()?.enumerate() {
        out.push(int_of(&item?, what, pos)?);
    }
    Ok(out)
}

fn int_of(obj: &Bound<'_, PyAny>, what: &str, pos: usize) -> PyResult<i64> {
    if obj.is_instance_of::<PyFloat>() || obj.is_instance_of::<PyBool>() && pos == 0 {
        return Err(PyTypeError::new_err(format!(
            "{what} must be tuple of ints, but found element of type {} at pos {pos}",
            obj.get_type().name()?
        )));
    }
    if let Ok(t) = obj.cast::<PyTensor>() {
        let t = t.borrow();
        if t.t().numel() == 1 && !t.t().dtype().is_floating() {
            if let Ok(Scalar::Int(i)) = t.t().item() {
                return Ok(i);
            }
        }
    }
    if obj.is_instance_of::<PyInt>() && obj.extract::<i64>().is_err() {
        return Err(PyTypeError::new_err(format!(
            "argument '{what}' {}",
            super::int_args::element_overflow(pos)
        )));
    }
    obj.extract::<i64>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what} must be tuple of ints, but found element of type {}",
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })
}

/// A `dim` argument: None, an int, or a tuple/list of ints.
pub fn dims_of(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<i64>>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) if o.is_instance_of::<PyList>() || o.is_instance_of::<PyTuple>() => {
            Ok(Some(int_list(o, "dim")?))
        }
        Some(o) if o.is_instance_of::<PyBool>() => Err(PyTypeError::new_err(
            "argument 'dim' must be int or tuple of ints, not bool",
        )),
        Some(o) if o.is_instance_of::<PyInt>() && o.extract::<i64>().is_err() => {
            Err(PyValueError::new_err(super::int_args::OVERFLOW))
        }
        Some(o) => Ok(Some(vec![o.extract::<i64>().map_err(|_| {
            PyTypeError::new_err(format!(
                "argument 'dim' must be int or tuple of ints, not {}",
                o.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?])),
    }
}
