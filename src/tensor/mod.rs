//! The tensor value: storage + layout + dtype + version counter + autograd metadata.

pub mod detached_parts;
pub mod dtype;
mod dtype_view;
pub mod float8;
pub mod layout;
#[cfg(test)]
mod layout_props;
pub mod lazy_arc;
pub mod lazy_bits;
pub mod memory_format;
pub mod memory_limit;
pub mod scalar;
mod scalar_fit;
pub mod storage;
pub mod view_creation;

pub use dtype::{promote_types, DType, OperandRank, ResultType};
pub use layout::Layout;
pub use scalar::Scalar;
pub use scalar_fit::{complex_into_real, unsigned_overflow};
pub use storage::{bf16, f16, Buffer, Element, Storage};

use std::sync::atomic::AtomicU8;

static DEFAULT_DTYPE: AtomicU8 = AtomicU8::new(0);

/// The dtype of floats created without an explicit dtype (`torch.get_default_dtype`).
pub fn default_dtype() -> DType {
    match DEFAULT_DTYPE.load(Ordering::Relaxed) {
        1 => DType::F64,
        2 => DType::F16,
        3 => DType::BF16,
        _ => DType::F32,
    }
}

pub fn set_default_dtype(dtype: DType) -> Result<()> {
    let code = match dtype {
        DType::F32 => 0,
        DType::F64 => 1,
        DType::F16 => 2,
        DType::BF16 => 3,
        // PyTorch looks for a legacy storage class first, which the 8-bit floats lack
        float8 if float8.is_float8() => {
            return Err(Error::type_error(format!(
                "couldn't find storage object {}Storage",
                float8.kernel_name()
            )))
        }
        other => {
            return Err(Error::type_error(format!(
                "only floating-point types are supported as the default type, got {other}"
            )))
        }
    };
    DEFAULT_DTYPE.store(code, Ordering::Relaxed);
    Ok(())
}

use crate::autograd::meta::AutogradMeta;
use crate::error::{Error, Result};
use crate::{with_buffer, with_dtype};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// How many times a storage's contents were changed in place (shared by its views and
/// `detach()`), and which in-place op did it last and where, for autograd's error.
#[derive(Debug)]
pub struct VersionCounter {
    value: AtomicU64,
    last_write: parking_lot::Mutex<Option<String>>,
    /// Made in inference mode: the storage's tensors are inference tensors (views of a
    /// normal tensor made in inference mode share its counter and stay normal).
    inference: bool,
}

/// A tensor's handle on its version counter. The counter is made on first need (an
/// in-place write, a view, `detach()`): most op results never get one, and making one
/// per result cost an allocation per op.
#[derive(Debug)]
pub struct VersionSlot {
    counter: LazyArc<VersionCounter>,
    /// Made in inference mode (the counter's flag, also before the counter exists).
    inference: bool,
}

impl VersionSlot {
    /// A counter of its own, at version 0.
    pub fn fresh() -> VersionSlot {
        VersionSlot {
            counter: LazyArc::new(),
            inference: crate::autograd::mode::is_inference_mode(),
        }
    }

    /// The same counter as this one (for a view, `detach()`, a dtype view).
    pub fn share(&self) -> VersionSlot {
        VersionSlot::sharing(self.counter().clone())
    }

    /// The same counter as this one, for a tensor whose own inference flag is `inference`
    /// (its data came from another tensor).
    pub fn share_as(&self, inference: bool) -> VersionSlot {
        VersionSlot {
            counter: LazyArc::with(self.counter().clone()),
            inference,
        }
    }

    /// An inference tensor's counter: it counts nothing and refuses in-place writes
    /// outside inference mode.
    fn counts_nothing(&self) -> bool {
        self.counter.get().map_or(self.inference, |c| c.inference)
    }

    /// A handle on `counter`.
    fn sharing(counter: Arc<VersionCounter>) -> VersionSlot {
        VersionSlot {
            inference: counter.inference,
            counter: LazyArc::with(counter),
        }
    }

    fn counter(&self) -> &Arc<VersionCounter> {
        self.counter.get_or_init(|| {
            Arc::new(VersionCounter {
                value: AtomicU64::new(0),
                last_write: parking_lot::Mutex::new(None),
                inference: self.inference,
            })
        })
    }

    fn value(&self) -> u64 {
        self.counter
            .get()
            .map_or(0, |c| c.value.load(Ordering::Acquire))
    }
}

/// Where an in-place op is running (the Python layer installs `file:line`).
pub type LocationProvider = fn() -> Option<String>;
static LOCATION: parking_lot::RwLock<Option<LocationProvider>> = parking_lot::RwLock::new(None);

pub fn set_location_provider(f: LocationProvider) {
    *LOCATION.write() = Some(f);
}
use lazy_arc::LazyArc;
use std::sync::Arc;

/// A handle to a tensor. Cloning is cheap and yields the same tensor (same autograd
/// identity); views and `detach()` make new tensors that share storage.
#[derive(Clone)]
pub struct Tensor(pub(crate) Arc<TensorImpl>);

pub struct TensorImpl {
    pub(crate) storage: Arc<Storage>,
    pub(crate) layout: Layout,
    pub(crate) dtype: DType,
    pub(crate) version: VersionSlot,
    /// A Python scalar converted to a 0-dim tensor: weighs least in type promotion.
    pub(crate) wrapped_number: bool,
    /// Made on first use: most tensors (no-grad results, gradients) never need one.
    pub(crate) meta: LazyArc<AutogradMeta>,
    /// For a view made by a view op: the tensor whose storage it views (never a view
    /// itself), so that an in-place op on the view can update the base's history.
    pub(crate) view_base: Option<Tensor>,
    /// How this view was made (`view_creation::DEFAULT` for any other tensor).
    pub(crate) view_creation: AtomicU8,
    /// For a view: the version its grad_fn was made at; a write into the shared storage
    /// since then makes the history stale (see `ops::view_history`).
    pub(crate) view_version: AtomicU64,
    /// PyTorch's conjugate and negative bits (`lazy_bits::CONJ`, `lazy_bits::NEG`):
    /// the tensor's values are its storage's, conjugated and/or negated.
    pub(crate) lazy: u8,
    /// The Python object standing for this tensor, if any (kept by the binding layer).
    pub py_slot: PySlot,
}

impl Drop for TensorImpl {
    fn drop(&mut self) {
        if let Some(meta) = self.meta.get() {
            meta.release_cached_accumulator();
        }
    }
}

/// Where the Python binding records the one Python object of a tensor, so that the same
/// tensor always comes back as the same object (`x.grad is x.grad`). It holds no
/// reference: the object clears it when it is freed. Both happen under the GIL.
#[derive(Default)]
pub struct PySlot {
    pub object: AtomicUsize,
    pub owner: AtomicUsize,
}

impl std::fmt::Debug for Tensor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Tensor(shape={:?}, dtype={})",
            self.shape(),
            self.dtype()
        )
    }
}

impl Tensor {
    pub fn from_buffer(buffer: Buffer, shape: &[usize]) -> Result<Tensor> {
        let n = layout::checked_numel(shape)?;
        if n != buffer.len() {
            return Err(Error::runtime(format!(
                "shape '{}' is invalid for input of size {}",
                layout::format_shape(shape),
                buffer.len()
            )));
        }
        let dtype = buffer.dtype();
        Ok(Tensor::from_parts(
            Arc::new(Storage::new(buffer)),
            Layout::contiguous(shape),
            dtype,
            VersionSlot::fresh(),
        ))
    }

    /// A contiguous tensor of `shape` whose elements `fill` writes (given zeroed ones);
    /// a few elements live inside the storage's block (`Storage::filled`).
    pub fn filled<T: Element>(shape: &[usize], fill: impl FnOnce(&mut [T])) -> Tensor {
        let n = shape.iter().product();
        Tensor::from_parts(
            Storage::filled(n, fill),
            Layout::contiguous(shape),
            T::DTYPE,
            VersionSlot::fresh(),
        )
    }

    pub fn from_vec<T: Element>(v: Vec<T>, shape: &[usize]) -> Result<Tensor> {
        Tensor::from_buffer(T::into_buffer(v), shape)
    }

    /// A tensor over `buffer` holding its elements in the memory order of `strides`
    /// (dense strides of `shape`, see `memory_format`); None strides mean row-major.
    pub fn from_buffer_strided(
        buffer: Buffer,
        shape: &[usize],
        strides: Option<layout::Strides>,
    ) -> Result<Tensor> {
        let t = Tensor::from_buffer(buffer, shape)?;
        let Some(strides) = strides else {
            return Ok(t);
        };
        let layout = Layout {
            shape: shape.into(),
            strides,
            offset: 0,
        };
        debug_assert!(layout.storage_extent() <= t.numel().max(1));
        Ok(Tensor::from_parts(
            t.0.storage.clone(),
            layout,
            t.dtype(),
            VersionSlot::fresh(),
        ))
    }

    pub(crate) fn from_parts(
        storage: Arc<Storage>,
        layout: Layout,
        dtype: DType,
        version: VersionSlot,
    ) -> Tensor {
        Tensor(Arc::new(TensorImpl {
            storage,
            layout,
            dtype,
            version,
            wrapped_number: false,
            meta: LazyArc::new(),
            view_base: None,
            view_creation: AtomicU8::new(view_creation::DEFAULT),
            view_version: AtomicU64::new(0),
            lazy: 0,
            py_slot: PySlot::default(),
        }))
    }

    /// A Python number as a 0-dim "wrapped number" tensor. Floats keep full precision
    /// (float64 storage); promotion weighs them as the default dtype.
    pub fn wrapped_scalar(s: Scalar) -> Tensor {
        let (storage, dtype) = match s {
            Scalar::Bool(b) => (Storage::filled(1, |o| o[0] = b), DType::Bool),
            Scalar::Int(i) => (Storage::filled(1, |o| o[0] = i), DType::I64),
            Scalar::Float(f) => (Storage::filled(1, |o| o[0] = f), DType::F64),
        };
        Tensor(Arc::new(TensorImpl {
            storage,
            layout: Layout::contiguous(&[]),
            dtype,
            version: VersionSlot::fresh(),
            wrapped_number: true,
            meta: LazyArc::new(),
            view_base: None,
            view_creation: AtomicU8::new(view_creation::DEFAULT),
            view_version: AtomicU64::new(0),
            lazy: 0,
            py_slot: PySlot::default(),
        }))
    }

    pub fn full_scalar(shape: &[usize], value: Scalar, dtype: DType) -> Result<Tensor> {
        if dtype.is_complex() {
            let real = Tensor::full_scalar(shape, value, dtype.to_real())?;
            return crate::ops::complex::to_complex_raw(&real, dtype);
        }
        let n = layout::checked_numel(shape)?;
        Tensor::from_buffer(Buffer::filled(dtype, n, value)?, shape)
    }

    pub fn zeros(shape: &[usize], dtype: DType) -> Result<Tensor> {
        let n = layout::checked_numel(shape)?;
        let t = Tensor::from_buffer(Buffer::zeros(dtype.to_real(), n)?, shape)?;
        if dtype.is_complex() {
            return crate::ops::complex::to_complex_raw(&t, dtype);
        }
        Ok(t)
    }

    /// A new tensor over the same storage and version counter with another layout (and
    /// the same lazy bits). Autograd metadata is fresh: the op making the view records
    /// its node.
    pub fn view_with_layout(&self, layout: Layout) -> Tensor {
        self.alias_with(layout, self.0.lazy)
    }

    /// A tensor over the same storage and version counter with `layout` and lazy `bits`.
    pub(crate) fn alias_with(&self, layout: Layout, bits: u8) -> Tensor {
        Tensor::from_parts(
            self.0.storage.clone(),
            layout,
            self.0.dtype,
            self.0.version.share(),
        )
        .with_lazy_bits(bits)
    }

    /// A view made by a view op: like `view_with_layout`, and remembers its base.
    pub fn view_of(&self, layout: Layout) -> Tensor {
        let base = self.0.view_base.clone().unwrap_or_else(|| self.clone());
        Tensor(Arc::new(TensorImpl {
            storage: self.0.storage.clone(),
            layout,
            dtype: self.0.dtype,
            version: self.0.version.share(),
            wrapped_number: false,
            meta: LazyArc::new(),
            view_base: Some(base),
            view_creation: AtomicU8::new(view_creation::for_new_view(self)),
            view_version: AtomicU64::new(self.version()),
            lazy: self.0.lazy,
            py_slot: PySlot::default(),
        }))
    }

    pub fn view_base(&self) -> Option<&Tensor> {
        self.0.view_base.as_ref()
    }

    /// Same storage, same version counter, no autograd history (`detach()`).
    pub fn detached(&self) -> Tensor {
        self.view_with_layout(self.0.layout.clone())
    }

    /// Same storage, a fresh version counter (`.data`).
    pub fn data_alias(&self) -> Tensor {
        Tensor::from_parts(
            self.0.storage.clone(),
            self.0.layout.clone(),
            self.0.dtype,
            VersionSlot::fresh(),
        )
        .with_lazy_bits(self.0.lazy)
    }

    /// This tensor's storage, layout and version counter with another tensor's
    /// autograd identity.
    pub fn with_meta_of(&self, identity: &Tensor) -> Tensor {
        self.with_meta_and_version(identity, self.0.version.share())
    }

    /// This tensor's storage and layout with another tensor's autograd identity and
    /// version counter: the `.data = other` setter keeps the Python object's grad,
    /// history and version, as PyTorch's shallow copy does.
    /// `identity.data = self`: the data (and so `is_inference()`) of this tensor, the
    /// autograd identity and version counter of `identity`, as PyTorch's `set_data`.
    pub fn with_identity_of(&self, identity: &Tensor) -> Tensor {
        let version = identity.0.version.share_as(self.0.version.inference);
        self.with_meta_and_version(identity, version)
    }

    fn with_meta_and_version(&self, identity: &Tensor, version: VersionSlot) -> Tensor {
        Tensor(Arc::new(TensorImpl {
            storage: self.0.storage.clone(),
            layout: self.0.layout.clone(),
            dtype: self.0.dtype,
            version,
            wrapped_number: false,
            meta: LazyArc::with(identity.meta().clone()),
            view_base: None,
            view_creation: AtomicU8::new(view_creation::DEFAULT),
            view_version: AtomicU64::new(0),
            lazy: self.0.lazy,
            py_slot: PySlot::default(),
        }))
    }

    pub fn shape(&self) -> &[usize] {
        &self.0.layout.shape
    }
    pub fn strides(&self) -> &[isize] {
        &self.0.layout.strides
    }
    pub fn layout(&self) -> &Layout {
        &self.0.layout
    }
    pub fn storage_offset(&self) -> usize {
        self.0.layout.offset
    }
    pub fn dtype(&self) -> DType {
        self.0.dtype
    }
    pub fn ndim(&self) -> usize {
        self.0.layout.ndim()
    }
    pub fn numel(&self) -> usize {
        self.0.layout.numel()
    }
    pub fn is_contiguous(&self) -> bool {
        self.0.layout.is_contiguous()
    }
    /// Whether this handle is the only way to the tensor and its memory (no other
    /// handle, view or aliasing storage): its buffer may be taken over or locked freely.
    pub fn is_exclusive(&self) -> bool {
        Arc::strong_count(&self.0) == 1
            && Arc::weak_count(&self.0) == 0
            && storage::Storage::is_unshared(&self.0.storage)
    }
    pub fn is_wrapped_number(&self) -> bool {
        self.0.wrapped_number
    }
    pub fn storage(&self) -> &Arc<Storage> {
        &self.0.storage
    }
    pub fn meta(&self) -> &Arc<AutogradMeta> {
        self.0.meta.get_or_init(Arc::default)
    }

    /// The autograd metadata if it was ever made (a tensor without it has no history,
    /// no grad and does not require grad).
    pub fn meta_if_any(&self) -> Option<&Arc<AutogradMeta>> {
        self.0.meta.get()
    }
    pub fn version(&self) -> u64 {
        self.0.version.value()
    }
    /// Whether the version counter is an inference tensor's, which tracks nothing.
    pub fn tracks_no_version(&self) -> bool {
        self.0.version.counts_nothing()
    }
    pub fn bump_version(&self) {
        if self.0.version.counts_nothing() && !crate::autograd::mode::is_inference_mode() {
            crate::autograd::saved_hooks::defer_error(Error::runtime(
                "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.",
            ));
        }
        self.0
            .version
            .counter()
            .value
            .fetch_add(1, Ordering::AcqRel);
    }

    /// Whether the tensor was made in inference mode (PyTorch's `is_inference()`).
    pub fn is_inference(&self) -> bool {
        self.0.version.inference
    }
    /// Bumps the version and remembers which in-place op wrote, and where (only while
    /// grad mode is on: that is when a saved tensor can be caught out).
    pub fn note_inplace_write(&self, op: &str) {
        self.bump_version();
        if crate::autograd::is_grad_enabled() {
            let place = (*LOCATION.read()).and_then(|f| f());
            let what = match place {
                Some(p) => format!("{op} at {p}"),
                None => op.to_string(),
            };
            *self.0.version.counter().last_write.lock() = Some(what);
        }
    }
    /// The op and place of the last in-place write, if known.
    pub fn last_inplace_write(&self) -> Option<String> {
        let counter = self.0.version.counter.get();
        counter.and_then(|c| c.last_write.lock().clone())
    }
    pub fn same_tensor(&self, other: &Tensor) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
    pub fn shares_storage(&self, other: &Tensor) -> bool {
        self.0.storage.same_memory(&other.0.storage)
    }
    pub fn operand_rank(&self) -> OperandRank {
        if self.0.wrapped_number {
            OperandRank::WrappedNumber
        } else if self.ndim() == 0 {
            OperandRank::ZeroDim
        } else {
            OperandRank::Dimensioned
        }
    }

    /// The elements in row-major order, converted to `T`.
    pub fn to_vec<T: Element>(&self) -> Vec<T> {
        if self.0.lazy != 0 {
            return crate::ops::cast::cast_raw(self, self.dtype()).to_vec();
        }
        // The 8-bit floats pass through float32 (exact from them, and the rounding step of
        // every conversion into them), so the strided copy is not compiled for each
        // (source, target) pair with one of them.
        if const { T::DTYPE.is_float8() } {
            return self
                .to_vec::<f32>()
                .into_iter()
                .map(|x| convert::<f32, T>(x))
                .collect();
        }
        let buf = self.0.storage.read();
        let layout = &self.0.layout;
        with_buffer!(&*buf, v, S => {
            if const { S::DTYPE.is_float8() } {
                let wide = crate::kernels::elementwise::map_unary(v.as_slice(), layout, |x: S| convert::<S, f32>(x));
                wide.into_iter().map(|x| convert::<f32, T>(x)).collect()
            } else {
                crate::kernels::elementwise::map_unary(v.as_slice(), layout, |x: S| convert::<S, T>(x))
            }
        })
    }

    /// A contiguous copy of the elements as a buffer of this tensor's dtype (for a
    /// complex tensor, its real buffer of (re, im) pairs).
    pub fn to_buffer(&self) -> Buffer {
        if self.0.lazy != 0 {
            return crate::ops::cast::cast_raw(self, self.dtype()).to_buffer();
        }
        if self.dtype().is_complex() {
            return crate::ops::complex::real_view_raw(self).to_buffer();
        }
        with_dtype!(self.dtype(), T => T::into_buffer(self.to_vec::<T>()))
    }

    /// The single element of a one-element tensor.
    pub fn item(&self) -> Result<Scalar> {
        if self.0.lazy != 0 {
            return crate::ops::cast::cast_raw(self, self.dtype()).item();
        }
        if self.dtype().is_complex() {
            return Err(Error::runtime(
                "a complex tensor's item is read through its real view",
            ));
        }
        if self.numel() != 1 {
            return Err(Error::runtime(format!(
                "a Tensor with {} elements cannot be converted to Scalar",
                self.numel()
            )));
        }
        let buf = self.0.storage.read();
        let off = self.0.layout.offset;
        Ok(with_buffer!(&*buf, v, T => match T::DTYPE.category() {
            dtype::Category::Bool => Scalar::Bool(v[off].to_bool()),
            dtype::Category::Integral => Scalar::Int(v[off].to_i64()),
            dtype::Category::Floating | dtype::Category::Complex => Scalar::Float(v[off].to_f64()),
        }))
    }
}

/// Element conversion with PyTorch's cast semantics: float → int truncates (out of
/// range as x86 gives it), int → int wraps, anything → bool tests for non-zero.
#[inline(always)]
pub fn convert<S: Element, T: Element>(x: S) -> T {
    if T::DTYPE == DType::Bool {
        T::from_bool(x.to_bool())
    } else if S::DTYPE.is_floating() {
        T::from_f64_cast(x.to_f64())
    } else if S::DTYPE == DType::U64 && T::DTYPE.is_floating() {
        // uint64 values from 2**63 up have no int64 to pass through
        T::from_f64(x.to_f64())
    } else {
        T::from_i64(x.to_i64())
    }
}
