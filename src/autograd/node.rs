//! One node of the backward graph: its backward formula, its edges to the nodes of
//! its inputs, the tensors it saved, and the hooks registered on it.

use super::accounting::NodeAccount;
use super::arena::NodeRef;
use super::meta::{AutogradMeta, TensorHook};
use super::saved::SavedTensor;
pub use super::scalar_rule::ScalarRule;
use crate::error::{Error, Result};
use crate::tensor::{DType, Tensor};
use parking_lot::Mutex;
use std::any::Any;
use std::borrow::Cow;
use std::ptr::addr_of_mut;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, Weak};

/// Where a gradient goes: input `input_nr` of `node`.
#[derive(Clone, Debug)]
pub struct Edge {
    pub node: NodeRef,
    pub input_nr: u32,
}

/// Shape and dtype of one forward output, i.e. of the gradient the node receives.
#[derive(Clone, Debug)]
pub struct OutputMeta {
    pub shape: crate::tensor::layout::Dims,
    pub dtype: DType,
}

pub type BackwardFn = Box<dyn Fn(&mut BackwardCtx) -> Result<Vec<Option<Tensor>>> + Send + Sync>;

pub enum NodeKind {
    /// An op's backward formula.
    Function(BackwardFn),
    /// A leaf's gradient accumulator (`AccumulateGrad`).
    AccumulateGrad(Arc<AutogradMeta>),
    /// A node without a formula (graph tests).
    Empty,
}

/// Node hook on the gradients it produced: `(grad_inputs, grad_outputs) -> grad_inputs`.
pub type NodeHook = Arc<
    dyn Fn(&[Option<Tensor>], &[Option<Tensor>]) -> Result<Option<Vec<Option<Tensor>>>>
        + Send
        + Sync,
>;
/// Node pre-hook on the gradients it receives: `grad_outputs -> grad_outputs`.
pub type NodePreHook =
    Arc<dyn Fn(&[Option<Tensor>]) -> Result<Option<Vec<Option<Tensor>>>> + Send + Sync>;

#[derive(Default)]
pub struct NodeHooks {
    /// Hooks registered with `tensor.register_hook` on a non-leaf output of this node.
    pub tensor_pre_hooks: Vec<(u64, u32, TensorHook)>,
    /// Non-leaf outputs that called `retain_grad()`.
    pub retained: Vec<(u32, Weak<AutogradMeta>)>,
    pub pre_hooks: Vec<(u64, NodePreHook)>,
    pub hooks: Vec<(u64, NodeHook)>,
}

/// A non-tensor argument a node keeps for PyTorch's `grad_fn._saved_<name>` attributes.
#[derive(Clone)]
pub enum SavedArg {
    /// A C++ `int64_t` argument (PyTorch shows a negative one as its unsigned bits).
    Int(i64),
    Ints(Vec<i64>),
    /// A number argument, shown as given (int, float or bool).
    Scalar(crate::tensor::Scalar),
    OptScalar(Option<crate::tensor::Scalar>),
    Float(f64),
    Bool(bool),
    Str(&'static str),
    /// Arguments kept by the binding layer (a Python dict for ops composed in Python).
    Opaque(Arc<dyn Any + Send + Sync>),
}

/// The named non-tensor arguments of a node, in PyTorch's names.
pub type SavedArgs = Vec<(&'static str, SavedArg)>;

/// A node's edges to its inputs' nodes, inline for the usual one or two inputs.
pub type EdgeSlots = smallvec::SmallVec<[Option<Edge>; 2]>;
/// Shapes and dtypes of a node's outputs, inline for the usual single output.
pub type OutputSlots = smallvec::SmallVec<[OutputMeta; 1]>;
/// The tensors an op saves, inline for up to two.
pub type SavedList = smallvec::SmallVec<[SavedTensor; 2]>;

pub struct SavedSlots {
    pub tensors: SavedList,
    pub released: bool,
    /// The node's `saved_args` hold tensors (PyTorch saved them): backward frees the
    /// node even when `tensors` is empty, so that they read as freed afterwards.
    pub args_hold_tensors: bool,
    /// The backward reads the tensors itself (a Python Function's `ctx.saved_tensors`):
    /// the engine does not unpack them first, so hooks unpack them once, as in PyTorch.
    pub read_by_backward: bool,
}

/// The rarely used parts of a node (see `Node::extras`).
#[derive(Default)]
pub struct NodeExtras {
    pub hooks: Mutex<NodeHooks>,
    /// Non-tensor arguments exposed as `_saved_*` (set by the op after recording).
    pub saved_args: Mutex<SavedArgs>,
    /// The Python object that stands for this node (kept by the binding layer).
    pub py_object: Mutex<Option<Box<dyn Any + Send + Sync>>>,
    /// The dict behind `grad_fn.metadata` (kept by the binding layer).
    pub py_metadata: Mutex<Option<Box<dyn Any + Send + Sync>>>,
    /// Where the forward op ran, recorded under anomaly mode.
    pub creation_trace: Mutex<Option<String>>,
}

static SEQUENCE: AtomicU64 = AtomicU64::new(0);
static HOOK_IDS: AtomicU64 = AtomicU64::new(1);

pub fn next_hook_id() -> u64 {
    HOOK_IDS.fetch_add(1, Ordering::Relaxed)
}

pub struct Node {
    name: Cow<'static, str>,
    pub next_edges: EdgeSlots,
    pub kind: NodeKind,
    pub saved: Mutex<SavedSlots>,
    pub outputs: OutputSlots,
    /// Hooks, saved arguments, Python objects: made on first use (most nodes never need
    /// them, and every op pays for building and dropping a node).
    extras: OnceLock<Box<NodeExtras>>,
    pub sequence_nr: u64,
    /// How many `NodeRef`s hold the node (its arena slot is freed at zero).
    pub(crate) strong: std::sync::atomic::AtomicU32,
    /// Graph accounting: when it was made, when a backward pass last reached it.
    pub account: NodeAccount,
    /// The formula on 0-dim float gradients the engine may run instead of `kind`'s
    /// closure (see `scalar_engine`); `None` for every other node.
    pub scalar_rule: ScalarRule,
}

impl Node {
    pub fn new(
        name: impl Into<Cow<'static, str>>,
        next_edges: impl Into<EdgeSlots>,
        kind: NodeKind,
        saved: impl Into<SavedList>,
        outputs: impl Into<OutputSlots>,
    ) -> Box<Node> {
        Node::with_rule(name, next_edges, kind, saved, outputs, ScalarRule::None)
    }

    /// `new` for a node whose closure computes `scalar_rule` on 0-dim float operands.
    ///
    /// The node is written field by field into its heap block: built as a value and
    /// then boxed, its ~400 bytes were copied once or twice per op.
    pub fn with_rule(
        name: impl Into<Cow<'static, str>>,
        next_edges: impl Into<EdgeSlots>,
        kind: NodeKind,
        saved: impl Into<SavedList>,
        outputs: impl Into<OutputSlots>,
        scalar_rule: ScalarRule,
    ) -> Box<Node> {
        let mut saved = saved.into();
        let hooks_active = !saved.is_empty() && super::saved_hooks::any_active();
        for s in saved.iter_mut() {
            if s.is_inference() && !super::mode::is_inference_mode() {
                super::saved_hooks::defer_error(Error::runtime(
                    "Inference tensors cannot be saved for backward. Please do not use Tensors created in inference mode in computation tracked by autograd. To work around this, you can make a clone to get a normal tensor and use it in autograd, or use `ferrograd.no_grad()` instead of `ferrograd.inference_mode()`.",
                ));
            }
            if hooks_active {
                s.pack_with_active_hooks();
            }
        }
        let is_function = !matches!(kind, NodeKind::AccumulateGrad(_));
        let sequence_nr = match is_function {
            true => SEQUENCE.fetch_add(1, Ordering::Relaxed),
            false => u64::MAX,
        };
        let account = NodeAccount::new(is_function);
        let (name, next_edges, outputs) = (name.into(), next_edges.into(), outputs.into());
        let mut block = Box::<Node>::new_uninit();
        let p = block.as_mut_ptr();
        // SAFETY: `p` points to the block's memory for a `Node`; each field is written
        // exactly once below (`fields_written_by_with_rule` fails to compile when one is
        // added), so the node is fully initialized at `assume_init`.
        unsafe {
            addr_of_mut!((*p).name).write(name);
            addr_of_mut!((*p).next_edges).write(next_edges);
            addr_of_mut!((*p).kind).write(kind);
            addr_of_mut!((*p).saved).write(Mutex::new(SavedSlots {
                tensors: saved,
                released: false,
                args_hold_tensors: false,
                read_by_backward: false,
            }));
            addr_of_mut!((*p).outputs).write(outputs);
            addr_of_mut!((*p).extras).write(OnceLock::new());
            addr_of_mut!((*p).sequence_nr).write(sequence_nr);
            addr_of_mut!((*p).strong).write(std::sync::atomic::AtomicU32::new(0));
            addr_of_mut!((*p).account).write(account);
            addr_of_mut!((*p).scalar_rule).write(scalar_rule);
            block.assume_init()
        }
    }

    /// Does not compile when `Node` gains a field: `with_rule` must then write it too
    /// (a field it leaves unwritten would be read uninitialized).
    #[allow(dead_code)]
    fn fields_written_by_with_rule(&self) {
        let Node {
            name: _,
            next_edges: _,
            kind: _,
            saved: _,
            outputs: _,
            extras: _,
            sequence_nr: _,
            strong: _,
            account: _,
            scalar_rule: _,
        } = self;
    }

    /// A formula-less node (for graph-structure tests).
    pub fn leafless(name: &'static str, next_edges: Vec<Option<Edge>>) -> Box<Node> {
        Node::new(
            name,
            next_edges,
            NodeKind::Empty,
            SavedList::new(),
            OutputSlots::new(),
        )
    }

    /// The node's hooks, saved arguments and Python objects, made on first use: call it
    /// to write them; readers use `extras_if_any`.
    pub fn extras(&self) -> &NodeExtras {
        self.extras.get_or_init(Box::default)
    }

    /// The node's extras if anything ever wrote them.
    pub fn extras_if_any(&self) -> Option<&NodeExtras> {
        self.extras.get().map(|e| &**e)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn is_accumulate_grad(&self) -> bool {
        matches!(self.kind, NodeKind::AccumulateGrad(_))
    }

    /// Whether this is a leaf's accumulator that no graph holds: besides `handles`
    /// references of the caller's, only its leaf's cache refers to it. Graph accounting
    /// leaves such nodes out (they live as long as their leaf, not as a graph).
    pub(crate) fn held_only_by_its_leaf(&self, handles: u32) -> bool {
        let NodeKind::AccumulateGrad(meta) = &self.kind else {
            return false;
        };
        self.strong.load(Ordering::Acquire) == handles + 1 && meta.caches(self)
    }

    /// Frees the saved tensors (backward without `retain_graph`). A node that saved none
    /// can run again, as in PyTorch (`y = (x + 1).sum(); y.backward(); y.backward()`).
    pub fn release_saved(&self) {
        let taken = {
            let mut s = self.saved.lock();
            if s.tensors.is_empty() && !s.args_hold_tensors {
                return;
            }
            s.released = true;
            std::mem::take(&mut s.tensors)
        };
        drop(taken);
    }

    /// The saved tensors, unpacked, or PyTorch's error after they were freed.
    pub fn unpack_saved(&self, this: &NodeRef) -> Result<Slots<Tensor>> {
        self.unpack_locked(&self.saved.lock(), this)
    }

    fn unpack_locked(&self, s: &SavedSlots, this: &NodeRef) -> Result<Slots<Tensor>> {
        if s.released {
            return Err(freed_error());
        }
        s.tensors
            .iter()
            .map(|t| t.unpack(this, self.name()))
            .collect()
    }

    /// What the engine hands the backward closure: the saved tensors unpacked, or none
    /// when the backward reads them itself (`read_by_backward`), under one lock.
    pub fn unpack_saved_for_backward(&self, this: &NodeRef) -> Result<Slots<Tensor>> {
        let s = self.saved.lock();
        if s.read_by_backward {
            return Ok(Slots::new());
        }
        self.unpack_locked(&s, this)
    }

    /// Saved tensor `i` alone, unpacked (empty when there is no such tensor), or
    /// PyTorch's error after they were freed.
    pub fn unpack_saved_one(&self, this: &NodeRef, i: usize) -> Result<Slots<Tensor>> {
        let s = self.saved.lock();
        if s.released {
            return Err(freed_error());
        }
        s.tensors
            .get(i)
            .map(|t| t.unpack(this, self.name()))
            .into_iter()
            .collect()
    }

    /// PyTorch's error for reading what backward freed, if it did.
    pub fn check_not_freed(&self) -> Result<()> {
        if self.saved.lock().released {
            return Err(freed_error());
        }
        Ok(())
    }

    pub fn has_saved(&self) -> bool {
        let s = self.saved.lock();
        s.released || !s.tensors.is_empty()
    }
}

fn freed_error() -> Error {
    Error::runtime(
        "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.",
    )
}

/// A node's few gradients, saved tensors or flags, kept inline (no heap allocation per
/// node for the usual one to four).
pub type Slots<T> = smallvec::SmallVec<[T; 4]>;

/// What a backward formula sees: the incoming gradients and its saved tensors.
pub struct BackwardCtx {
    pub grads: Slots<Tensor>,
    /// Which of `grads` arrived (the others are zeros filled in by the engine).
    pub defined: Slots<bool>,
    pub saved: Slots<Tensor>,
    pub needs_input_grad: Slots<bool>,
}

impl BackwardCtx {
    pub fn grad(&self) -> &Tensor {
        &self.grads[0]
    }
    pub fn saved(&self, i: usize) -> &Tensor {
        &self.saved[i]
    }
    pub fn needs(&self, i: usize) -> bool {
        self.needs_input_grad.get(i).copied().unwrap_or(false)
    }
}
