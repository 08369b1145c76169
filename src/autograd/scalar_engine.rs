//! The backward engine's path for graphs made only of 0-dim float tensors of one dtype
//! whose nodes have a `ScalarRule` (micrograd-style scalar graphs).
//!
//! It runs the general engine's schedule exactly (same ready order, same summing order
//! into each input), but carries each gradient as a bare value in its dtype and makes a
//! tensor only for a leaf's `.grad`. A graph it cannot run the same way (hooks, retained
//! gradients, anomaly mode, nodes without a rule, other shapes or dtypes) is left to the
//! general engine before anything ran.

use super::arena::NodeRef;
use super::engine::{accumulate_leaf, InterruptCheck, Ready};
use super::mode::GradModeGuard;
use super::node::{Edge, Node, NodeKind, ScalarRule};
use super::scalar_rule::Real;
use crate::error::Result;
use crate::tensor::{Buffer, DType, Storage, Tensor};
use std::cell::RefCell;
use std::collections::BinaryHeap;

/// A gradient value type: reads itself from a 0-dim tensor, becomes one again.
trait Gradient: Real {
    const DTYPE: DType;
    /// The element at `offset` of `storage`, if it holds this dtype.
    fn read_at(storage: &Storage, offset: usize) -> Option<Self>;
    fn read(t: &Tensor) -> Option<Self> {
        Self::read_at(t.storage(), t.layout().offset)
    }
    fn tensor(self) -> Result<Tensor>;
    /// Back from `to_f64`, exactly.
    fn from_f64(v: f64) -> Self;
    fn to_f64(self) -> f64;
}

impl Gradient for f32 {
    const DTYPE: DType = DType::F32;
    fn read_at(storage: &Storage, offset: usize) -> Option<f32> {
        match &*storage.read() {
            Buffer::F32(v) => v.get(offset).copied(),
            _ => None,
        }
    }
    fn tensor(self) -> Result<Tensor> {
        Ok(Tensor::filled(&[], |out: &mut [Self]| out[0] = self))
    }
    fn from_f64(v: f64) -> f32 {
        v as f32
    }
    fn to_f64(self) -> f64 {
        self as f64
    }
}

impl Gradient for f64 {
    const DTYPE: DType = DType::F64;
    fn read_at(storage: &Storage, offset: usize) -> Option<f64> {
        match &*storage.read() {
            Buffer::F64(v) => v.get(offset).copied(),
            _ => None,
        }
    }
    fn tensor(self) -> Result<Tensor> {
        Ok(Tensor::filled(&[], |out: &mut [Self]| out[0] = self))
    }
    fn from_f64(v: f64) -> f64 {
        v
    }
    fn to_f64(self) -> f64 {
        self
    }
}

struct Task {
    node: NodeRef,
    dependencies: u32,
    /// The sum of the gradients that arrived, as an f64 holding a value of the pass's
    /// dtype exactly (float32 values convert both ways without change).
    grad: Option<f64>,
}

/// Buffers kept across passes on a thread: the task list, and for each arena slot the
/// task standing for it (plus one; zero when none), reset after each pass.
#[derive(Default)]
struct Scratch {
    tasks: Vec<Task>,
    task_of_slot: Vec<u32>,
    ready: Vec<Ready<u32>>,
}

/// Scratch buffers grown past this many tasks are freed rather than kept.
const KEEP_UP_TO: usize = 1 << 16;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Scratch {
    fn task_of(&self, node: &NodeRef) -> Option<usize> {
        match self.task_of_slot.get(node.slot() as usize) {
            Some(&i) if i > 0 => Some(i as usize - 1),
            _ => None,
        }
    }

    fn add_task(&mut self, node: &NodeRef) -> usize {
        let slot = node.slot() as usize;
        if slot >= self.task_of_slot.len() {
            self.task_of_slot.resize(slot + 1, 0);
        }
        self.tasks.push(Task {
            node: node.clone(),
            dependencies: 0,
            grad: None,
        });
        self.task_of_slot[slot] = self.tasks.len() as u32;
        self.tasks.len() - 1
    }

    fn reset(&mut self) {
        for t in &self.tasks {
            self.task_of_slot[t.node.slot() as usize] = 0;
        }
        self.tasks.clear();
        self.ready.clear();
    }
}

/// Runs `backward()` (accumulating into `.grad`, no graph recorded) over `root_edges`
/// when the whole graph qualifies; `None` when the general engine must run it.
pub(super) fn try_backward(
    root_edges: &[(Edge, Tensor)],
    retain_graph: bool,
    pass: u32,
    interrupt: Option<InterruptCheck>,
) -> Option<Result<()>> {
    if super::mode::is_anomaly_enabled() {
        return None;
    }
    match root_edges.first()?.1.dtype() {
        DType::F32 => with_scratch(|s| run::<f32>(s, root_edges, retain_graph, pass, interrupt)),
        DType::F64 => with_scratch(|s| run::<f64>(s, root_edges, retain_graph, pass, interrupt)),
        _ => None,
    }
}

/// Lends the thread's scratch buffers (a fresh set to a pass started inside another).
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    let mut scratch = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
    let out = f(&mut scratch);
    scratch.reset();
    if scratch.tasks.capacity() <= KEEP_UP_TO && scratch.task_of_slot.len() <= 4 * KEEP_UP_TO {
        SCRATCH.with(|s| *s.borrow_mut() = scratch);
    }
    out
}

fn run<T: Gradient>(
    s: &mut Scratch,
    root_edges: &[(Edge, Tensor)],
    retain_graph: bool,
    pass: u32,
    interrupt: Option<InterruptCheck>,
) -> Option<Result<()>> {
    let mut roots: smallvec::SmallVec<[(usize, T); 1]> = smallvec::SmallVec::new();
    for (e, g) in root_edges {
        if g.ndim() != 0 || g.dtype() != T::DTYPE {
            return None;
        }
        let task = match s.task_of(&e.node) {
            Some(i) => i,
            None if qualifies(e.node.node(), T::DTYPE) => s.add_task(&e.node),
            None => return None,
        };
        roots.push((task, T::read(g)?));
    }
    // Discovery, breadth first: the order only matters for when Ctrl-C is checked.
    let mut next = 0;
    while next < s.tasks.len() {
        if let (Some(check), 0) = (interrupt, (next + 1) % 4096) {
            if let Err(e) = check() {
                return Some(Err(e));
            }
        }
        // SAFETY: `node` is used in this iteration only, long before `reset`.
        let node = unsafe { task_node(&s.tasks[next]) };
        next += 1;
        super::accounting::mark_reached(node, pass);
        for e in node.next_edges.iter().flatten() {
            let child = match s.task_of(&e.node) {
                Some(i) => i,
                None if qualifies(e.node.node(), T::DTYPE) => s.add_task(&e.node),
                None => return None,
            };
            s.tasks[child].dependencies += 1;
        }
    }

    // From here on the pass is this path's: the general engine's steps, on values.
    Some(execute::<T>(s, &roots, retain_graph, interrupt))
}

fn execute<T: Gradient>(
    s: &mut Scratch,
    roots: &[(usize, T)],
    retain_graph: bool,
    interrupt: Option<InterruptCheck>,
) -> Result<()> {
    let _mode = GradModeGuard::new(false);
    for &(task, g) in roots {
        add_into::<T>(&mut s.tasks[task].grad, g);
    }
    let mut ready = BinaryHeap::from(std::mem::take(&mut s.ready));
    for (i, t) in s.tasks.iter().enumerate() {
        if t.dependencies == 0 {
            ready.push(Ready {
                sequence_nr: t.node.node().sequence_nr,
                pushed: 0,
                key: t.node.key(),
                payload: i as u32,
            });
        }
    }
    let mut pushes: u64 = 0;
    let mut steps: usize = 0;
    let outcome = loop {
        let Some(Ready { payload: task, .. }) = ready.pop() else {
            break Ok(());
        };
        steps += 1;
        if let (Some(check), 0) = (interrupt, steps % 256) {
            if let Err(e) = check() {
                break Err(e);
            }
        }
        let task = task as usize;
        // SAFETY: `n` is used in this iteration only, long before `reset`.
        let n = unsafe { task_node(&s.tasks[task]) };
        let grad = s.tasks[task].grad.take();
        let mut outputs: [Option<T>; 2] = [None, None];
        match &n.kind {
            NodeKind::AccumulateGrad(meta) => {
                if let Some(g) = grad {
                    let g = T::tensor(T::from_f64(g));
                    if let Err(e) = g.and_then(|g| accumulate_leaf(meta, g, false)) {
                        break Err(e);
                    }
                }
            }
            NodeKind::Function(_) => {
                let needs = [edge_at(n, 0), edge_at(n, 1)];
                if let (Some(g), true) = (grad, needs[0] || needs[1]) {
                    match saved_values::<T>(n, &s.tasks[task].node) {
                        Ok(saved) => {
                            outputs = n.scalar_rule.apply(T::from_f64(g), &saved, needs);
                        }
                        Err(e) => break Err(e),
                    }
                }
                if !retain_graph {
                    n.release_saved();
                }
            }
            NodeKind::Empty => unreachable!("qualifies() admits no formula-less node"),
        }
        for (edge, g) in n.next_edges.iter().zip(outputs) {
            let Some(edge) = edge else { continue };
            let child = s.task_of(&edge.node).expect("discovered");
            let c = &mut s.tasks[child];
            if let Some(g) = g {
                add_into::<T>(&mut c.grad, g);
            }
            c.dependencies -= 1;
            if c.dependencies == 0 {
                pushes += 1;
                ready.push(Ready {
                    sequence_nr: c.node.node().sequence_nr,
                    pushed: pushes,
                    key: c.node.key(),
                    payload: child as u32,
                });
            }
        }
    };
    let mut ready = ready.into_vec();
    ready.clear();
    s.ready = ready;
    if steps >= super::heap_trim::LARGE_RELEASE && !retain_graph {
        super::heap_trim::return_free_memory();
    }
    outcome
}

/// The node of a task, borrowed apart from the task list (which the pass goes on
/// changing) instead of through a cloned handle: two atomic updates fewer per node and
/// visit.
///
/// # Safety
/// The borrow must end before the scratch's `reset`: until then the task list holds a
/// `NodeRef` to the node (tasks are only pushed meanwhile), and a node lives in its own
/// heap block (the arena keeps a `Box`), so moving the handle in the list does not move it.
unsafe fn task_node<'a>(task: &Task) -> &'a Node {
    // SAFETY: the caller keeps the handle in the list alive for 'a (above).
    unsafe { &*(task.node.node() as *const Node) }
}

fn edge_at(n: &Node, i: usize) -> bool {
    n.next_edges.get(i).is_some_and(Option::is_some)
}

fn add_into<T: Gradient>(slot: &mut Option<f64>, g: T) {
    *slot = Some(match *slot {
        None => g.to_f64(),
        Some(prev) => (T::from_f64(prev) + g).to_f64(),
    });
}

/// The node's saved values, or the error unpacking them gives (freed by an earlier
/// backward, or written in place since).
fn saved_values<T: Gradient>(n: &Node, this: &NodeRef) -> Result<smallvec::SmallVec<[T; 2]>> {
    let s = n.saved.lock();
    if s.released {
        drop(s);
        n.check_not_freed()?;
        return Err(unreadable(n));
    }
    // a plain loop: `collect` into a `Result` went through the generic extend path
    let mut values = smallvec::SmallVec::new();
    for t in s.tensors.iter() {
        if !t.is_current() {
            t.unpack(this, n.name())?;
        }
        let (storage, offset, _, _) = t.scalar_data();
        values.push(T::read_at(storage, offset).ok_or_else(|| unreadable(n))?);
    }
    Ok(values)
}

/// What `qualifies()` rules out happened anyway (nothing known does it).
fn unreadable(n: &Node) -> crate::error::Error {
    crate::error::Error::runtime(format!(
        "{}: a saved value changed its shape or dtype during backward",
        n.name()
    ))
}

/// Whether the node can run on bare values: a single 0-dim output of `dtype`, no hooks
/// or retained gradients, and a scalar rule over 0-dim saved tensors of `dtype` (or a
/// leaf's accumulator).
fn qualifies(n: &Node, dtype: DType) -> bool {
    if n.outputs.len() != 1 || !n.outputs[0].shape.is_empty() || n.outputs[0].dtype != dtype {
        return false;
    }
    if let Some(extras) = n.extras_if_any() {
        let h = extras.hooks.lock();
        if !(h.tensor_pre_hooks.is_empty()
            && h.retained.is_empty()
            && h.pre_hooks.is_empty()
            && h.hooks.is_empty())
        {
            return false;
        }
    }
    match &n.kind {
        NodeKind::AccumulateGrad(meta) => meta.state.lock().hooks.is_empty(),
        NodeKind::Function(_) => {
            if n.scalar_rule == ScalarRule::None || n.next_edges.len() > 2 {
                return false;
            }
            let saved = n.saved.lock();
            saved.released
                || (saved.tensors.len() >= n.scalar_rule.min_saved()
                    && saved.tensors.iter().all(|t| {
                        let (_, _, ndim, saved_dtype) = t.scalar_data();
                        !t.is_packed() && ndim == 0 && saved_dtype == dtype
                    }))
        }
        NodeKind::Empty => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autograd::node::next_hook_id;
    use crate::autograd::record::gradient_edge;
    use crate::ops;
    use std::sync::Arc;

    fn leaf32(v: f32) -> Tensor {
        let t = Tensor::from_vec(vec![v], &[]).unwrap();
        t.meta().state.lock().requires_grad = true;
        t
    }

    /// `tanh(v * p_i + p_j)` repeated, as the micrograd benchmark builds it.
    fn chain(ps: &[Tensor], steps: usize) -> Tensor {
        let mut v = ps[0].clone();
        for i in 0..steps {
            let m = ops::mul(&v, &ps[i % ps.len()]).unwrap();
            v = ops::tanh(&ops::add(&m, &ps[(i + 3) % ps.len()]).unwrap()).unwrap();
        }
        v
    }

    fn root_edges(v: &Tensor) -> Vec<(Edge, Tensor)> {
        let one = Tensor::from_vec(vec![1.0f32], &[]).unwrap();
        vec![(gradient_edge(v).unwrap(), one)]
    }

    fn grad_bits(ps: &[Tensor]) -> Vec<u32> {
        ps.iter()
            .map(|p| p.meta().grad().unwrap().to_vec::<f32>()[0].to_bits())
            .collect()
    }

    fn no_op_hook_on(v: &Tensor) {
        let node = v.grad_fn().unwrap();
        let mut hooks = node.node().extras().hooks.lock();
        hooks
            .tensor_pre_hooks
            .push((next_hook_id(), 0, Arc::new(|_: &Tensor| Ok(None))));
    }

    #[test]
    fn a_scalar_graph_runs_on_values_with_the_general_engines_bits() {
        let ps: Vec<Tensor> = [0.3f32, -0.8, 0.55, 0.1, -0.25]
            .iter()
            .map(|&v| leaf32(v))
            .collect();
        let v = chain(&ps, 40);
        let done = try_backward(&root_edges(&v), false, 1, None);
        assert!(matches!(done, Some(Ok(()))), "the scalar path ran");
        let fast = grad_bits(&ps);

        ps.iter().for_each(|p| p.meta().set_grad(None));
        let v = chain(&ps, 40);
        no_op_hook_on(&v);
        let one = Tensor::from_vec(vec![1.0f32], &[]).unwrap();
        super::super::engine::backward(&[v], &[one], false, false, None).unwrap();
        assert_eq!(fast, grad_bits(&ps));
    }

    #[test]
    fn a_hooked_graph_is_left_to_the_general_engine_untouched() {
        let ps = [leaf32(0.5), leaf32(2.0)];
        let v = chain(&ps, 3);
        no_op_hook_on(&v);
        assert!(try_backward(&root_edges(&v), false, 1, None).is_none());
        assert!(ps.iter().all(|p| p.meta().grad().is_none()));
        assert!(v.grad_fn().unwrap().node().has_saved(), "nothing was freed");
    }

    #[test]
    fn a_node_without_a_scalar_rule_is_left_to_the_general_engine() {
        let x = leaf32(0.5);
        let v = ops::tanh(&ops::exp(&x).unwrap()).unwrap();
        assert!(try_backward(&root_edges(&v), false, 1, None).is_none());
        let w = Tensor::from_vec(vec![1.0f32], &[1]).unwrap();
        w.meta().state.lock().requires_grad = true;
        let v = ops::mul(&w, &w).unwrap();
        let one = Tensor::from_vec(vec![1.0f32], &[1]).unwrap();
        let edges = vec![(gradient_edge(&v).unwrap(), one)];
        assert!(try_backward(&edges, false, 1, None).is_none());
    }
}
