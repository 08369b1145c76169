//! The backward engine.
//!
//! 1. Discover the graph from the roots iteratively, and, when only some inputs are
//!    wanted, mark the nodes that lead to them.
//! 2. Count, for each node, the gradients it will receive from needed parents.
//! 3. Run ready nodes (count zero) in order of decreasing sequence number; gradients
//!    arriving at one node input are summed into one buffer before it runs.
//! 4. Leaves accumulate into `.grad` (or are captured, for `autograd.grad`).

use super::arena::NodeRef;
use super::meta::TensorHook;
use super::mode::GradModeGuard;
use super::node::{BackwardCtx, Edge, NodeKind, Slots};
use super::node_key_map::NodeKeyMap;
use super::record::gradient_edge;
use crate::error::{Error, Result};
use crate::ops;
use crate::tensor::{layout::format_shape, Tensor};
use std::collections::BinaryHeap;
use std::sync::Arc;

/// Called between nodes; the Python layer installs a check for KeyboardInterrupt.
pub type InterruptCheck = fn() -> Result<()>;
static INTERRUPT_CHECK: parking_lot::RwLock<Option<InterruptCheck>> =
    parking_lot::RwLock::new(None);

pub fn set_interrupt_check(check: InterruptCheck) {
    *INTERRUPT_CHECK.write() = Some(check);
}

/// What to do with the gradients that reach the chosen inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GradTarget {
    /// `backward()`: accumulate into `.grad`.
    Accumulate,
    /// `autograd.grad()`: return them.
    Capture,
}

/// The gradients arriving at a node's outputs, inline for up to two outputs.
type GradSlots = smallvec::SmallVec<[Option<Tensor>; 2]>;

struct Task {
    node: NodeRef,
    dependencies: usize,
    needed: bool,
    buffer: GradSlots,
}

/// A node whose inputs have all arrived, in PyTorch's ready-queue order: the highest
/// `sequence_nr` first, then the earlier push, then the key. `payload` (the scalar
/// engine's task index) follows `key`, so it takes no part in the order.
#[derive(PartialEq, Eq)]
pub(super) struct Ready<P = ()> {
    pub(super) sequence_nr: u64,
    /// When the node became ready: among equal sequence numbers (the leaves'
    /// accumulators) the earlier runs first, so hooks fire in input order as in PyTorch.
    pub(super) pushed: u64,
    pub(super) key: u64,
    pub(super) payload: P,
}
impl<P: Eq> Ord for Ready<P> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sequence_nr
            .cmp(&other.sequence_nr)
            .then(other.pushed.cmp(&self.pushed))
            .then(self.key.cmp(&other.key))
    }
}
impl<P: Eq> PartialOrd for Ready<P> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// `tensor.backward()` / `autograd.backward()`.
pub fn backward(
    roots: &[Tensor],
    grad_roots: &[Tensor],
    retain_graph: bool,
    create_graph: bool,
    inputs: Option<&[Tensor]>,
) -> Result<()> {
    run(
        roots,
        grad_roots,
        retain_graph,
        create_graph,
        inputs,
        GradTarget::Accumulate,
        true,
    )?;
    Ok(())
}

/// `autograd.grad()`: the gradients of the roots with respect to `inputs`.
pub fn grad(
    roots: &[Tensor],
    grad_roots: &[Tensor],
    inputs: &[Tensor],
    retain_graph: bool,
    create_graph: bool,
    allow_unused: bool,
) -> Result<Vec<Option<Tensor>>> {
    if inputs.iter().any(|t| !t.requires_grad()) {
        return Err(Error::runtime(
            "One of the differentiated Tensors does not require grad",
        ));
    }
    let out = run(
        roots,
        grad_roots,
        retain_graph,
        create_graph,
        Some(inputs),
        GradTarget::Capture,
        allow_unused,
    )?;
    Ok(out)
}

fn run(
    roots: &[Tensor],
    grad_roots: &[Tensor],
    retain_graph: bool,
    create_graph: bool,
    inputs: Option<&[Tensor]>,
    target: GradTarget,
    allow_unused: bool,
) -> Result<Vec<Option<Tensor>>> {
    let pass = super::accounting::start_backward_pass()?;
    let mut root_edges: Vec<(Edge, Tensor)> = Vec::new();
    for (t, g) in roots.iter().zip(grad_roots) {
        t.try_grad_fn()?;
        match gradient_edge(t) {
            Some(e) => root_edges.push((e, g.clone())),
            None => {
                return Err(Error::runtime(
                    "element 0 of tensors does not require grad and does not have a grad_fn",
                ))
            }
        }
    }
    if inputs.is_none() && target == GradTarget::Accumulate && !create_graph {
        let interrupt = *INTERRUPT_CHECK.read();
        let fast = super::scalar_engine::try_backward(&root_edges, retain_graph, pass, interrupt);
        if let Some(done) = fast {
            done?;
            return Ok(Vec::new());
        }
    }
    let input_edges: Option<Vec<Option<Edge>>> =
        inputs.map(|ins| ins.iter().map(gradient_edge).collect());

    let mut tasks = task_map::take();
    let mut parents: NodeKeyMap<Vec<u64>> = NodeKeyMap::default();
    let mut stack: Vec<NodeRef> = Vec::new();
    for (e, _) in &root_edges {
        if let std::collections::hash_map::Entry::Vacant(v) = tasks.entry(e.node.key()) {
            v.insert(new_task(&e.node));
            stack.push(e.node.clone());
        }
    }
    if let Some(edges) = &input_edges {
        // Inputs that are not reachable still need a task to capture into.
        for e in edges.iter().flatten() {
            tasks
                .entry(e.node.key())
                .or_insert_with(|| new_task(&e.node));
        }
    }
    let interrupt = *INTERRUPT_CHECK.read();
    let wants_parents = input_edges.is_some();
    let mut discovered: usize = 0;
    while let Some(node) = stack.pop() {
        discovered += 1;
        if let (Some(check), 0) = (interrupt, discovered % 4096) {
            check()?;
        }
        super::accounting::mark_reached(node.node(), pass);
        let key = node.key();
        for e in node.node().next_edges.iter().flatten() {
            let child = e.node.key();
            if wants_parents {
                parents.entry(child).or_default().push(key);
            }
            if let std::collections::hash_map::Entry::Vacant(v) = tasks.entry(child) {
                v.insert(new_task(&e.node));
                stack.push(e.node.clone());
            }
        }
    }

    // Which nodes lead to a wanted input.
    match &input_edges {
        None => tasks.values_mut().for_each(|t| t.needed = true),
        Some(edges) => {
            let mut work: Vec<u64> = edges.iter().flatten().map(|e| e.node.key()).collect();
            while let Some(k) = work.pop() {
                let t = tasks.get_mut(&k).expect("discovered");
                if t.needed {
                    continue;
                }
                t.needed = true;
                if let Some(ps) = parents.get(&k) {
                    work.extend(ps.iter().copied());
                }
            }
        }
    }
    let needed_keys: Vec<u64> = tasks
        .iter()
        .filter(|(_, t)| t.needed)
        .map(|(k, _)| *k)
        .collect();
    for k in &needed_keys {
        let node = tasks[k].node.clone();
        for e in node.node().next_edges.iter().flatten() {
            if let Some(child) = tasks.get_mut(&e.node.key()) {
                if child.needed {
                    child.dependencies += 1;
                }
            }
        }
    }

    for (e, g) in root_edges {
        let task = tasks.get_mut(&e.node.key()).expect("root task");
        accumulate_into(&mut task.buffer[e.input_nr as usize], g, create_graph)?;
    }
    let mut pushes: u64 = 0;
    let mut ready: BinaryHeap<Ready> = tasks
        .iter()
        .filter(|(_, t)| t.needed && t.dependencies == 0)
        .map(|(k, t)| Ready {
            sequence_nr: t.node.node().sequence_nr,
            pushed: 0,
            key: *k,
            payload: (),
        })
        .collect();

    let capture_at: NodeKeyMap<Vec<(usize, u32)>> = match &input_edges {
        Some(edges) => {
            let mut m: NodeKeyMap<Vec<(usize, u32)>> = NodeKeyMap::default();
            for (i, e) in edges.iter().enumerate() {
                if let Some(e) = e {
                    m.entry(e.node.key()).or_default().push((i, e.input_nr));
                }
            }
            m
        }
        None => NodeKeyMap::default(),
    };
    let mut captured: Vec<Option<Tensor>> = vec![None; inputs.map_or(0, |i| i.len())];

    let mut steps: usize = 0;
    while let Some(Ready { key, .. }) = ready.pop() {
        steps += 1;
        // Checking for Ctrl-C takes the GIL: do it every few hundred nodes.
        if let (Some(check), 0) = (interrupt, steps % 256) {
            check()?;
        }
        let (node, mut grads) = {
            let t = tasks.get_mut(&key).expect("ready task");
            (t.node.clone(), std::mem::take(&mut t.buffer))
        };
        let n = node.node();
        // Hooks and formulas run with grad mode on only for create_graph, as in PyTorch.
        let _mode = GradModeGuard::new(create_graph);
        let is_wanted_leaf = capture_at.contains_key(&key);
        // An accumulator runs (its node hooks included) only when it accumulates: under
        // `autograd.grad` PyTorch captures the gradient and never calls the node.
        let accumulates = !matches!(n.kind, NodeKind::AccumulateGrad(_))
            || (target == GradTarget::Accumulate && (input_edges.is_none() || is_wanted_leaf));
        grads = run_pre_hooks(&node, grads, accumulates)?;

        if let Some(slots) = capture_at.get(&key) {
            for &(i, nr) in slots {
                captured[i] = grads[nr as usize].clone();
            }
        }
        let outputs: Vec<Option<Tensor>> = match &n.kind {
            NodeKind::AccumulateGrad(meta) => {
                if accumulates {
                    let has_hooks = n
                        .extras_if_any()
                        .is_some_and(|e| !e.hooks.lock().hooks.is_empty());
                    // Without post hooks nothing reads `grads` again: hand the gradient
                    // over, so one nobody else holds becomes `.grad` without a copy.
                    let g = if has_hooks {
                        grads.first().cloned().flatten()
                    } else {
                        grads.first_mut().and_then(Option::take)
                    };
                    if let Some(g) = g {
                        accumulate_leaf(meta, g, create_graph)?;
                    }
                    if has_hooks {
                        // Post hooks see the gradient already in `.grad` (PyTorch's order).
                        run_node_hooks(&node, vec![], &grads)?;
                    }
                }
                vec![]
            }
            NodeKind::Empty => vec![None; n.next_edges.len()],
            NodeKind::Function(f) => {
                let leads_on = n
                    .next_edges
                    .iter()
                    .flatten()
                    .any(|e| tasks.get(&e.node.key()).is_some_and(|t| t.needed));
                if !leads_on || grads.iter().all(|g| g.is_none()) {
                    vec![None; n.next_edges.len()]
                } else {
                    let saved = n
                        .unpack_saved_for_backward(&node)
                        .map_err(|e| annotate(e, n))?;
                    let has_hooks = n
                        .extras_if_any()
                        .is_some_and(|e| !e.hooks.lock().hooks.is_empty());
                    let grad_outputs = if has_hooks {
                        grads.clone()
                    } else {
                        GradSlots::new()
                    };
                    let defined = grads.iter().map(Option::is_some).collect();
                    let grads: Slots<Tensor> = grads
                        .into_iter()
                        .zip(&n.outputs)
                        .map(|(g, m)| match g {
                            Some(g) => Ok(g),
                            None => Tensor::zeros(&m.shape, m.dtype),
                        })
                        .collect::<Result<_>>()?;
                    let mut ctx = BackwardCtx {
                        grads,
                        defined,
                        saved,
                        needs_input_grad: n
                            .next_edges
                            .iter()
                            .map(|e| {
                                e.as_ref().is_some_and(|e| {
                                    tasks.get(&e.node.key()).is_some_and(|t| t.needed)
                                })
                            })
                            .collect(),
                    };
                    let result = {
                        let _mode = GradModeGuard::new(create_graph);
                        f(&mut ctx)
                    };
                    drop(ctx);
                    if !retain_graph {
                        n.release_saved();
                    }
                    let mut result = result.map_err(|e| annotate(e, n))?;
                    if super::mode::is_anomaly_enabled()
                        && super::mode::is_anomaly_check_nan_enabled()
                    {
                        check_for_nan(n, &result)?;
                    }
                    if result.len() != n.next_edges.len() {
                        return Err(Error::runtime(format!(
                            "function {} returned an incorrect number of gradients (expected {}, got {})",
                            n.name(), n.next_edges.len(), result.len()
                        )));
                    }
                    if has_hooks {
                        result = run_node_hooks(&node, result, &grad_outputs)?;
                    }
                    result
                }
            }
        };
        if !retain_graph {
            if let NodeKind::Function(_) = n.kind {
                n.release_saved();
            }
        }

        for (i, (edge, g)) in n.next_edges.iter().zip(outputs).enumerate() {
            let Some(edge) = edge else { continue };
            let ckey = edge.node.key();
            let Some(child) = tasks.get_mut(&ckey) else {
                continue;
            };
            if !child.needed {
                continue;
            }
            if let Some(g) = g {
                let g = validate_gradient(n, i, &edge.node, edge.input_nr, g)?;
                accumulate_into(&mut child.buffer[edge.input_nr as usize], g, create_graph)?;
            }
            child.dependencies -= 1;
            if child.dependencies == 0 {
                pushes += 1;
                ready.push(Ready {
                    sequence_nr: child.node.node().sequence_nr,
                    pushed: pushes,
                    key: ckey,
                    payload: (),
                });
            }
        }
    }

    task_map::recycle(tasks);
    if steps >= super::heap_trim::LARGE_RELEASE && !retain_graph {
        super::heap_trim::return_free_memory();
    }

    if let (Some(ins), GradTarget::Accumulate) = (inputs, target) {
        // backward(inputs=[non_leaf]) gives that tensor a .grad like a leaf's.
        for (t, g) in ins.iter().zip(&captured) {
            let retained = t.meta().state.lock().retains_grad;
            if let (false, false, Some(g)) = (t.is_leaf(), retained, g) {
                accumulate_leaf(t.meta(), g.clone(), create_graph)?;
            }
        }
    }
    if inputs.is_some() && target == GradTarget::Capture && !allow_unused {
        {
            for g in captured.iter() {
                if g.is_none() {
                    return Err(Error::runtime(
                        "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.",
                    ));
                }
            }
        }
    }
    if target == GradTarget::Capture && !create_graph {
        captured = captured
            .into_iter()
            .map(|g| g.map(|g| g.detached()))
            .collect();
    }
    Ok(captured)
}

/// The task table of the last pass on this thread, kept (emptied) for the next: a pass
/// over a thousand nodes otherwise grows a fresh table through several rehashes, and
/// freeing the large table makes the C allocator consolidate its free lists.
mod task_map {
    use super::{NodeKeyMap, Task};
    use std::cell::RefCell;

    /// Tables that grew past this many entries are freed rather than kept.
    const KEEP_UP_TO: usize = 1 << 16;

    thread_local! {
        static SPARE: RefCell<Option<NodeKeyMap<Task>>> = const { RefCell::new(None) };
    }

    pub(super) fn take() -> NodeKeyMap<Task> {
        SPARE.with(|s| s.borrow_mut().take()).unwrap_or_default()
    }

    pub(super) fn recycle(mut tasks: NodeKeyMap<Task>) {
        if tasks.capacity() > KEEP_UP_TO {
            return;
        }
        tasks.clear();
        SPARE.with(|s| *s.borrow_mut() = Some(tasks));
    }
}

fn new_task(node: &NodeRef) -> Task {
    let n = node.node();
    let slots = n.outputs.len().max(1);
    Task {
        node: node.clone(),
        dependencies: 0,
        needed: false,
        buffer: smallvec::smallvec![None; slots],
    }
}

/// In anomaly mode, errors raised by a backward formula say where its forward ran.
fn annotate(e: Error, node: &super::node::Node) -> Error {
    match (
        super::mode::is_anomaly_enabled(),
        node.extras_if_any()
            .and_then(|e| e.creation_trace.lock().clone()),
    ) {
        (true, Some(trace)) => Error {
            kind: e.kind,
            message: format!(
                "{}\n\nThe forward call that created {} was:\n{trace}",
                e.message,
                node.name()
            ),
        },
        _ => e,
    }
}

/// PyTorch's anomaly-mode error for a backward that produced NaN.
fn check_for_nan(node: &super::node::Node, grads: &[Option<Tensor>]) -> Result<()> {
    for (i, g) in grads.iter().enumerate() {
        let Some(g) = g else { continue };
        let values = if g.dtype().is_complex() {
            crate::ops::complex::real_view_raw(g)
        } else {
            g.clone()
        };
        if values.dtype().is_floating() && values.to_vec::<f64>().iter().any(|v| v.is_nan()) {
            let mut message = format!(
                "Function '{}' returned nan values in its {i}th output.",
                node.name()
            );
            let trace = node
                .extras_if_any()
                .and_then(|e| e.creation_trace.lock().clone());
            if let Some(trace) = trace {
                message.push_str(&format!(
                    "\n\nThe forward call that created {} was:\n{trace}",
                    node.name()
                ));
            }
            return Err(Error::runtime(message));
        }
    }
    Ok(())
}

fn accumulate_into(slot: &mut Option<Tensor>, g: Tensor, create_graph: bool) -> Result<()> {
    *slot = Some(match slot.take() {
        None => g,
        // a gradient only this buffer holds is summed in place (PyTorch's InputBuffer)
        Some(prev)
            if !create_graph && prev.is_exclusive() && ops::accumulate::add_in_place(&prev, &g) =>
        {
            prev
        }
        Some(prev) => {
            let _mode = GradModeGuard::new(create_graph);
            ops::add(&prev, &g)?
        }
    });
    Ok(())
}

fn validate_gradient(
    n: &super::node::Node,
    index: usize,
    child: &NodeRef,
    input_nr: u32,
    g: Tensor,
) -> Result<Tensor> {
    let Some(meta) = child.node().outputs.get(input_nr as usize) else {
        return Ok(g);
    };
    let mut g = g;
    if g.shape() != meta.shape.as_slice() {
        // A gradient the input broadcasts to is summed down to it, as PyTorch does.
        if crate::tensor::layout::broadcast_shapes(&meta.shape, g.shape())
            .is_ok_and(|s| s.as_slice() == g.shape())
        {
            g = ops::sum_to(&g, &meta.shape)?;
        }
    }
    if g.shape() != meta.shape.as_slice() {
        return Err(Error::runtime(format!(
            "Function {} returned an invalid gradient at index {} - got {} but expected shape compatible with {}",
            n.name(), index, format_shape(g.shape()), format_shape(&meta.shape)
        )));
    }
    if g.dtype() != meta.dtype {
        return ops::to_dtype(&g, meta.dtype);
    }
    Ok(g)
}

/// Tensor hooks and retained grads, then (when the node itself runs) its node pre-hooks.
fn run_pre_hooks(node: &NodeRef, mut grads: GradSlots, node_runs: bool) -> Result<GradSlots> {
    let n = node.node();
    let (tensor_hooks, retained, pre_hooks) = match n.extras_if_any() {
        Some(e) => {
            let h = e.hooks.lock();
            (
                h.tensor_pre_hooks.clone(),
                h.retained.clone(),
                h.pre_hooks.clone(),
            )
        }
        None => Default::default(),
    };
    if let NodeKind::AccumulateGrad(meta) = &n.kind {
        let hooks: Vec<(u64, TensorHook)> = meta.state.lock().hooks.clone();
        if let Some(Some(g)) = grads.first() {
            let mut g = g.clone();
            for (_, hook) in hooks {
                if let Some(new) = hook(&g)? {
                    g = new;
                }
            }
            grads[0] = Some(g);
        }
    }
    for (_, nr, hook) in tensor_hooks {
        if let Some(Some(g)) = grads.get(nr as usize) {
            if let Some(new) = hook(g)? {
                grads[nr as usize] = Some(new);
            }
        }
    }
    for (nr, weak) in retained {
        if let (Some(meta), Some(Some(g))) = (weak.upgrade(), grads.get(nr as usize)) {
            let prev = meta.grad();
            let new = match prev {
                None => ops::clone_detached(g)?,
                Some(p) => ops::add(&p, g)?,
            };
            meta.set_grad(Some(new));
        }
    }
    for (_, hook) in pre_hooks.into_iter().filter(|_| node_runs) {
        if let Some(new) = hook(&grads)? {
            grads = GradSlots::from_vec(new);
        }
    }
    Ok(grads)
}

fn run_node_hooks(
    node: &NodeRef,
    grads_in: Vec<Option<Tensor>>,
    grads_out: &[Option<Tensor>],
) -> Result<Vec<Option<Tensor>>> {
    let hooks = node
        .node()
        .extras_if_any()
        .map(|e| e.hooks.lock().hooks.clone())
        .unwrap_or_default();
    let mut grads_in = grads_in;
    for (_, hook) in hooks {
        if let Some(new) = hook(&grads_in, grads_out)? {
            grads_in = new;
        }
    }
    Ok(grads_in)
}

pub(crate) fn accumulate_leaf(
    meta: &Arc<super::meta::AutogradMeta>,
    g: Tensor,
    create_graph: bool,
) -> Result<()> {
    let _exclusive = meta.accumulating.lock();
    let prev = meta.grad();
    let new = match prev {
        None => {
            let owner = meta.state.lock().owner.as_ref().and_then(|w| w.upgrade());
            let leaf = owner.as_ref().map(|t| &t.layout);
            super::grad_layout::first_grad(g, leaf, create_graph)?
        }
        Some(p) => {
            // PyTorch: out of place under grad mode (create_graph), else in place even
            // when the stored grad has history.
            let sum = if create_graph {
                let _mode = GradModeGuard::new(true);
                ops::add(&p, &g)?
            } else {
                ops::add_into(&p, &g)?;
                p
            };
            let owner = meta.state.lock().owner.as_ref().and_then(|w| w.upgrade());
            if let Some(leaf) = owner {
                super::grad_layout::warn_unless_obeys(&sum, &leaf.layout)?;
            }
            sum
        }
    };
    meta.set_grad(Some(new));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autograd::node::next_hook_id;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn leaf(v: f64) -> Tensor {
        let t = Tensor::from_vec(vec![v], &[1]).unwrap();
        t.meta().state.lock().requires_grad = true;
        t
    }

    #[test]
    fn a_diamond_runs_the_shared_node_once_with_the_summed_gradient() {
        let x = leaf(3.0);
        let a = ops::mul(&x, &x).unwrap(); // a = x²
        let b = ops::add(&a, &x).unwrap(); // b = x² + x
        let c = ops::mul(&a, &b).unwrap(); // c = x⁴ + x³, a reached along two paths
        let runs = Arc::new(AtomicUsize::new(0));
        let seen = runs.clone();
        let grads_seen = Arc::new(parking_lot::Mutex::new(Vec::new()));
        let record = grads_seen.clone();
        a.grad_fn()
            .unwrap()
            .node()
            .extras()
            .hooks
            .lock()
            .tensor_pre_hooks
            .push((
                next_hook_id(),
                0,
                Arc::new(move |g: &Tensor| {
                    seen.fetch_add(1, Ordering::SeqCst);
                    record.lock().push(g.to_vec::<f64>()[0]);
                    Ok(None)
                }),
            ));
        let seed = Tensor::from_vec(vec![1.0f64], &[1]).unwrap();
        backward(&[c], &[seed], false, false, None).unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), 1, "a's node ran once");
        // dc/da = b + a = 12 + 9 = 21, both paths summed before a's node ran
        assert_eq!(grads_seen.lock()[0], 21.0);
        // dc/dx = 4x³ + 3x² = 108 + 27
        assert_eq!(x.meta().grad().unwrap().to_vec::<f64>(), vec![135.0]);
    }

    #[test]
    fn an_unshared_first_gradient_becomes_grad_without_a_copy() {
        let x = leaf(2.0);
        let y = Tensor::from_vec(vec![6.0f64], &[1]).unwrap();
        let made_at = Arc::new(AtomicUsize::new(0));
        let made = made_at.clone();
        crate::autograd::record("Fresh", &[&x], &[&y], vec![], move |_| {
            let g = Tensor::from_vec(vec![3.0f64], &[1])?;
            made.store(g.storage().data_ptr() as usize, Ordering::SeqCst);
            Ok(vec![Some(g)])
        });
        let seed = Tensor::from_vec(vec![1.0f64], &[1]).unwrap();
        backward(&[y], &[seed], false, false, None).unwrap();
        let grad = x.meta().grad().unwrap();
        assert_eq!(grad.to_vec::<f64>(), vec![3.0]);
        assert_eq!(
            grad.storage().data_ptr() as usize,
            made_at.load(Ordering::SeqCst)
        );
    }

    #[test]
    fn second_backward_through_freed_buffers_is_refused() {
        let x = leaf(2.0);
        let y = ops::mul(&x, &x).unwrap();
        let seed = Tensor::from_vec(vec![1.0f64], &[1]).unwrap();
        backward(
            std::slice::from_ref(&y),
            std::slice::from_ref(&seed),
            false,
            false,
            None,
        )
        .unwrap();
        let err = backward(&[y], &[seed], false, false, None).unwrap_err();
        assert!(err.message.contains("retain_graph=True"));
    }

    #[test]
    fn create_graph_gives_second_derivatives() {
        let x = leaf(2.0);
        let y = ops::mul(&ops::mul(&x, &x).unwrap(), &x).unwrap(); // x³
        let seed = Tensor::from_vec(vec![1.0f64], &[1]).unwrap();
        let g = grad(
            &[y],
            std::slice::from_ref(&seed),
            std::slice::from_ref(&x),
            true,
            true,
            false,
        )
        .unwrap();
        let dy = g[0].clone().unwrap(); // 3x² = 12
        assert_eq!(dy.to_vec::<f64>(), vec![12.0]);
        let g2 = grad(&[dy], &[seed], &[x], false, false, false).unwrap();
        assert_eq!(g2[0].clone().unwrap().to_vec::<f64>(), vec![12.0]); // 6x
    }
}
