//! DLPack: `t.__dlpack__()` hands a tensor's memory to another library in a PyCapsule,
//! and `from_dlpack` borrows another library's memory; neither copies.
//!
//! The structs mirror `dlpack.h` (v1.0, and the legacy unversioned `DLManagedTensor`).
//! A capsule named `dltensor[_versioned]` owns its tensor until a consumer renames it
//! `used_dltensor[_versioned]` and takes over calling the deleter.

use super::storage_fns::{borrowed_tensor, release_attached};
use super::tensor::{wrap, PyTensor};
use crate::tensor::{DType, Tensor};
use pyo3::exceptions::{PyBufferError, PyRuntimeError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use std::ffi::{c_void, CStr};

const KDL_CPU: i32 = 1;

#[repr(C)]
#[derive(Clone, Copy)]
struct DLDevice {
    device_type: i32,
    device_id: i32,
}

#[repr(C)]
#[derive(Clone, Copy)]
struct DLDataType {
    code: u8,
    bits: u8,
    lanes: u16,
}

#[repr(C)]
struct DLTensor {
    data: *mut c_void,
    device: DLDevice,
    ndim: i32,
    dtype: DLDataType,
    shape: *mut i64,
    strides: *mut i64,
    byte_offset: u64,
}

#[repr(C)]
struct DLManagedTensor {
    dl_tensor: DLTensor,
    manager_ctx: *mut c_void,
    deleter: Option<unsafe extern "C" fn(*mut DLManagedTensor)>,
}

#[repr(C)]
struct DLPackVersion {
    major: u32,
    minor: u32,
}

#[repr(C)]
struct DLManagedTensorVersioned {
    version: DLPackVersion,
    manager_ctx: *mut c_void,
    deleter: Option<unsafe extern "C" fn(*mut DLManagedTensorVersioned)>,
    flags: u64,
    dl_tensor: DLTensor,
}

const LEGACY: &CStr = c"dltensor";
const LEGACY_USED: &CStr = c"used_dltensor";
const VERSIONED: &CStr = c"dltensor_versioned";
const VERSIONED_USED: &CStr = c"used_dltensor_versioned";

/// DLPack's (type code, bits) for a dtype; None for one DLPack cannot describe.
fn dl_dtype(dtype: DType) -> Option<DLDataType> {
    let bits = (dtype.size_in_bytes() * 8) as u8;
    let name = dtype.name();
    let code = match name {
        "bool" => 6,
        "bfloat16" => 4,
        _ if name.starts_with("float") => 2,
        _ if name.starts_with("uint") => 1,
        _ if name.starts_with("int") => 0,
        _ if name.starts_with("complex") => 5,
        _ => return None,
    };
    Some(DLDataType {
        code,
        bits,
        lanes: 1,
    })
}

fn dtype_of(d: DLDataType) -> Option<DType> {
    if d.lanes != 1 {
        return None;
    }
    let name = match (d.code, d.bits) {
        (6, 8) => "bool".to_string(),
        (4, 16) => "bfloat16".to_string(),
        (0, b) => format!("int{b}"),
        (1, b) => format!("uint{b}"),
        (2, b) => format!("float{b}"),
        (5, b) => format!("complex{b}"),
        _ => return None,
    };
    DType::from_name(&name)
}

/// What an exported capsule keeps alive: the tensor and the shape/strides arrays the
/// `DLTensor` points at.
struct Export {
    _tensor: Tensor,
    shape: Vec<i64>,
    strides: Vec<i64>,
}

fn dl_tensor_of(t: &Tensor, export: &mut Export) -> PyResult<DLTensor> {
    let dtype = dl_dtype(t.dtype()).ok_or_else(|| {
        PyBufferError::new_err(format!("DLPack cannot describe dtype {}", t.dtype()))
    })?;
    let base = t.storage().data_ptr() as *mut u8;
    let data = if t.numel() == 0 {
        base
    } else {
        // SAFETY: a non-empty tensor's offset lies within its storage.
        unsafe { base.add(t.storage_offset() * t.dtype().size_in_bytes()) }
    };
    Ok(DLTensor {
        data: data as *mut c_void,
        device: DLDevice {
            device_type: KDL_CPU,
            device_id: 0,
        },
        ndim: t.ndim() as i32,
        dtype,
        shape: export.shape.as_mut_ptr(),
        strides: export.strides.as_mut_ptr(),
        byte_offset: 0,
    })
}

unsafe extern "C" fn delete_legacy(m: *mut DLManagedTensor) {
    if m.is_null() {
        return;
    }
    // SAFETY: `m` and its context were leaked from Boxes in `to_dlpack` and DLPack
    // calls the deleter once.
    unsafe {
        drop(Box::from_raw((*m).manager_ctx as *mut Export));
        drop(Box::from_raw(m));
    }
}

unsafe extern "C" fn delete_versioned(m: *mut DLManagedTensorVersioned) {
    if m.is_null() {
        return;
    }
    // SAFETY: as in `delete_legacy`.
    unsafe {
        drop(Box::from_raw((*m).manager_ctx as *mut Export));
        drop(Box::from_raw(m));
    }
}

/// Frees an exported tensor that no consumer took (the capsule kept its name).
unsafe extern "C" fn capsule_destructor(capsule: *mut ffi::PyObject) {
    // SAFETY: CPython passes the capsule being freed; IsValid and GetPointer with the
    // name it was made with do not raise, and only an unconsumed capsule still has it.
    unsafe {
        if ffi::PyCapsule_IsValid(capsule, VERSIONED.as_ptr()) == 1 {
            let m = ffi::PyCapsule_GetPointer(capsule, VERSIONED.as_ptr());
            delete_versioned(m as *mut DLManagedTensorVersioned);
        } else if ffi::PyCapsule_IsValid(capsule, LEGACY.as_ptr()) == 1 {
            let m = ffi::PyCapsule_GetPointer(capsule, LEGACY.as_ptr());
            delete_legacy(m as *mut DLManagedTensor);
        }
    }
}

/// A capsule for `t.__dlpack__()`: versioned (DLPack 1.0) when the consumer asked for
/// it with `max_version`, else the legacy struct.
#[pyfunction]
fn _to_dlpack(py: Python<'_>, t: &PyTensor, versioned: bool) -> PyResult<Py<PyAny>> {
    let t = &t.raw;
    // its memory does not hold its values (PyTorch refuses the conjugate bit; it
    // exports a negative view's memory as it is, which this refuses too)
    if t.is_conj() {
        return Err(PyBufferError::new_err(
            "Can't export tensors with the conjugate bit set",
        ));
    }
    if t.is_neg() {
        return Err(PyBufferError::new_err(
            "Can't export tensors with the negative bit set",
        ));
    }
    if t.requires_grad() {
        return Err(PyBufferError::new_err(
            "Can't export tensors that require gradient, use tensor.detach()",
        ));
    }
    let mut export = Box::new(Export {
        _tensor: t.clone(),
        shape: t.shape().iter().map(|&d| d as i64).collect(),
        strides: t.strides().iter().map(|&s| s as i64).collect(),
    });
    let dl_tensor = dl_tensor_of(t, &mut export)?;
    let ctx = Box::into_raw(export) as *mut c_void;
    let (ptr, name) = if versioned {
        let m = Box::new(DLManagedTensorVersioned {
            version: DLPackVersion { major: 1, minor: 0 },
            manager_ctx: ctx,
            deleter: Some(delete_versioned),
            flags: 0, // writable: the consumer shares the tensor's memory
            dl_tensor,
        });
        (Box::into_raw(m) as *mut c_void, VERSIONED)
    } else {
        let m = Box::new(DLManagedTensor {
            dl_tensor,
            manager_ctx: ctx,
            deleter: Some(delete_legacy),
        });
        (Box::into_raw(m) as *mut c_void, LEGACY)
    };
    // SAFETY: `ptr` is the leaked managed tensor; the capsule's destructor frees it
    // unless a consumer renamed the capsule and took over the deleter.
    let capsule = unsafe { ffi::PyCapsule_New(ptr, name.as_ptr(), Some(capsule_destructor)) };
    if capsule.is_null() {
        // SAFETY: the capsule was not made, so nobody else owns `ptr`.
        unsafe {
            if versioned {
                delete_versioned(ptr as *mut DLManagedTensorVersioned)
            } else {
                delete_legacy(ptr as *mut DLManagedTensor)
            }
        }
        return Err(PyErr::fetch(py));
    }
    // SAFETY: PyCapsule_New returned a new reference.
    Ok(unsafe { Bound::from_owned_ptr(py, capsule) }.unbind())
}

/// A producer's managed tensor, by the struct its capsule holds.
#[derive(Clone, Copy)]
enum ManagedPtr {
    Legacy(*mut DLManagedTensor),
    Versioned(*mut DLManagedTensorVersioned),
}

/// Ownership of a consumed capsule's managed tensor: its deleter runs when the
/// borrowing storage goes. Made only once the capsule is renamed, so that a refused
/// capsule is freed by its own destructor alone.
struct Managed(ManagedPtr);

// SAFETY: the pointer is used once, in Drop, to call the producer's deleter, which
// DLPack allows from any thread; the GIL is held then for producers that need it.
unsafe impl Send for Managed {}
// SAFETY: as above; nothing reads it through a shared reference.
unsafe impl Sync for Managed {}

impl Drop for Managed {
    fn drop(&mut self) {
        release_attached(|| {
            // SAFETY: the consumed capsule made us the only owner of the managed tensor;
            // its deleter is called exactly once, here.
            unsafe {
                match self.0 {
                    ManagedPtr::Legacy(m) => {
                        if let Some(d) = (*m).deleter {
                            d(m)
                        }
                    }
                    ManagedPtr::Versioned(m) => {
                        if let Some(d) = (*m).deleter {
                            d(m)
                        }
                    }
                }
            }
        });
    }
}

/// A tensor sharing the memory described by a DLPack capsule, which it consumes.
#[pyfunction]
fn _from_dlpack_capsule(py: Python<'_>, capsule: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let cap = capsule.as_ptr();
    // SAFETY: `cap` is a live object; the capsule calls only read its type and name.
    let (is_capsule, versioned, legacy) = unsafe {
        (
            ffi::PyCapsule_CheckExact(cap) == 1,
            ffi::PyCapsule_IsValid(cap, VERSIONED.as_ptr()) == 1,
            ffi::PyCapsule_IsValid(cap, LEGACY.as_ptr()) == 1,
        )
    };
    if !is_capsule {
        return Err(PyTypeError::new_err(format!(
            "from_dlpack expects a DLPack capsule or an object with __dlpack__, not {}",
            capsule.get_type().name()?
        )));
    }
    if !versioned && !legacy {
        return Err(PyRuntimeError::new_err(
            "from_dlpack received an invalid capsule. Note that DLTensor capsules can be consumed only once, so you might have already constructed a tensor from it once.",
        ));
    }
    // SAFETY: the capsule is valid under the checked name, so its pointer is the
    // producer's managed tensor, alive until its deleter runs; only fields are read.
    let (dl, managed) = unsafe {
        if versioned {
            let m =
                ffi::PyCapsule_GetPointer(cap, VERSIONED.as_ptr()) as *mut DLManagedTensorVersioned;
            if (*m).version.major != 1 {
                return Err(PyBufferError::new_err(format!(
                    "DLPack version {}.{} is not supported (ferrograd reads 1.x)",
                    (*m).version.major,
                    (*m).version.minor
                )));
            }
            (&(*m).dl_tensor as *const DLTensor, ManagedPtr::Versioned(m))
        } else {
            let m = ffi::PyCapsule_GetPointer(cap, LEGACY.as_ptr()) as *mut DLManagedTensor;
            (&(*m).dl_tensor as *const DLTensor, ManagedPtr::Legacy(m))
        }
    };
    // Checked before the capsule is consumed: on error it still frees its tensor.
    let (ptr, dtype, shape, strides) = {
        // SAFETY: `dl` points into the managed tensor read above, still alive.
        let dl = unsafe { &*dl };
        describe(dl)?
    };
    let used = if versioned {
        VERSIONED_USED
    } else {
        LEGACY_USED
    };
    // SAFETY: renaming marks the capsule consumed; from here `Managed` owns the tensor.
    if unsafe { ffi::PyCapsule_SetName(cap, used.as_ptr()) } != 0 {
        return Err(PyErr::fetch(py));
    }
    let owner = Box::new(Managed(managed));
    let t = if dtype.is_complex() {
        // borrowed as the (re, im) pairs of the real dtype, then read as complex
        let pair_shape = shape.iter().copied().chain([2]).collect();
        let pair_strides = strides.iter().map(|s| s * 2).chain([1]).collect();
        // SAFETY: as for a real tensor below; the pairs span the complex elements' bytes.
        let pairs =
            unsafe { borrowed_tensor(ptr, dtype.to_real(), pair_shape, pair_strides, owner)? };
        crate::ops::complex::complex_view_raw(&pairs)
    } else {
        // SAFETY: the producer keeps the described memory valid until its deleter runs,
        // which `owner` does when the borrowing storage is dropped (or on error, here).
        unsafe { borrowed_tensor(ptr, dtype, shape, strides, owner)? }
    };
    wrap(py, t)
}

type Described = (*mut u8, DType, Vec<usize>, Vec<isize>);

fn describe(dl: &DLTensor) -> PyResult<Described> {
    if dl.device.device_type != KDL_CPU {
        return Err(PyBufferError::new_err(format!(
            "ferrograd reads only CPU DLPack tensors, not device type {}",
            dl.device.device_type
        )));
    }
    let dtype = dtype_of(dl.dtype).ok_or_else(|| {
        PyBufferError::new_err(format!(
            "DLPack dtype (code {}, bits {}, lanes {}) has no ferrograd dtype",
            dl.dtype.code, dl.dtype.bits, dl.dtype.lanes
        ))
    })?;
    if dl.ndim < 0 || (dl.ndim > 0 && dl.shape.is_null()) {
        return Err(PyBufferError::new_err(
            "DLPack tensor without a valid shape",
        ));
    }
    let ndim = dl.ndim as usize;
    let read = |p: *mut i64| -> Vec<i64> {
        if ndim == 0 || p.is_null() {
            return Vec::new();
        }
        // SAFETY: DLPack's shape and (non-null) strides hold `ndim` entries.
        unsafe { std::slice::from_raw_parts(p, ndim) }.to_vec()
    };
    let dims = read(dl.shape);
    if dims.iter().any(|&d| d < 0) {
        return Err(PyBufferError::new_err(format!(
            "DLPack shape {dims:?} is negative"
        )));
    }
    let shape: Vec<usize> = dims.iter().map(|&d| d as usize).collect();
    let strides: Vec<isize> = if dl.strides.is_null() {
        crate::tensor::layout::contiguous_strides(&shape).to_vec()
    } else {
        read(dl.strides).into_iter().map(|s| s as isize).collect()
    };
    if strides.iter().any(|&s| s < 0) {
        return Err(PyBufferError::new_err(
            "DLPack tensors with negative strides are not supported; copy it first",
        ));
    }
    let ptr = (dl.data as *mut u8).wrapping_add(dl.byte_offset as usize);
    Ok((ptr, dtype, shape, strides))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_to_dlpack, m)?)?;
    m.add_function(wrap_pyfunction!(_from_dlpack_capsule, m)?)?;
    Ok(())
}
