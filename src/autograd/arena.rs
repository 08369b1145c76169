//! The graph arena: a slab of nodes addressed by generational ids, with strong counts
//! and a free list.
//!
//! A `NodeRef` is a counted handle; when the last one goes, the slot is freed and the
//! node's own edges and saved tensors are dropped. That can cascade down a chain of a
//! million nodes, so releasing is iterative: a release that happens while another is
//! in progress on this thread is queued instead of recursing.

use super::node::Node;
use parking_lot::Mutex;
use std::cell::{Cell, RefCell};
use std::ptr::NonNull;
use std::sync::atomic::Ordering;

struct Slot {
    generation: u32,
    // a `Box`, not an `Arc`: `NodeRef`s count through `Node::strong`, so freeing the node
    // needs no second atomic count
    node: Option<Box<Node>>,
}

#[derive(Default)]
struct Slab {
    slots: Vec<Slot>,
    free: Vec<u32>,
    live: usize,
}

static ARENA: Mutex<Slab> = Mutex::new(Slab {
    slots: Vec::new(),
    free: Vec::new(),
    live: 0,
});

/// Counters for `ferrograd.autograd.graph_stats()`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GraphStats {
    pub live_nodes: usize,
    pub slots: usize,
    pub saved_tensors: usize,
    pub saved_bytes: usize,
}

/// The saved tensors are counted here, by reading each live node, rather than by
/// global counters that every op would update twice.
pub fn graph_stats() -> GraphStats {
    let (live, slots, idle_accumulators) = {
        let a = ARENA.lock();
        let idle = a
            .slots
            .iter()
            .filter_map(|slot| slot.node.as_ref())
            .filter(|n| n.held_only_by_its_leaf(0))
            .count();
        (a.live, a.slots.len(), idle)
    };
    // outside the arena's lock: a node's saved list is also locked while unpacking,
    // which may run Python code that records nodes
    let nodes = live_nodes();
    let (mut saved_tensors, mut saved_bytes) = (0, 0);
    for n in &nodes {
        let saved = n.node().saved.lock();
        saved_tensors += saved.tensors.len();
        saved_bytes += saved.tensors.iter().map(|t| t.nbytes()).sum::<usize>();
    }
    drop(nodes);
    GraphStats {
        live_nodes: live - idle_accumulators,
        slots,
        saved_tensors,
        saved_bytes,
    }
}

/// A strong, counted handle to a node in the arena. The node's `strong` count is the
/// only count a handle touches: the arena's slot owns the node and drops it when that
/// count reaches zero (a clone or drop is one atomic operation, not two as with an
/// `Arc` per handle).
pub struct NodeRef {
    id: u32,
    generation: u32,
    // None only for a handle read from zeroed memory; taken out in Drop.
    node: Option<NonNull<Node>>,
}

// SAFETY: a `NodeRef` shares a `Node` (which is Send + Sync) the way an `Arc<Node>`
// would: the node lives while its strong count is positive, and this handle holds one.
unsafe impl Send for NodeRef {}
// SAFETY: as above; through a shared handle only `&Node` is reachable.
unsafe impl Sync for NodeRef {}

/// A handle that does not keep the node alive (leaf tensors' grad accumulators).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeakNodeRef {
    id: u32,
    generation: u32,
}

impl NodeRef {
    /// Puts a node in the arena with one strong reference.
    pub fn new(node: Box<Node>) -> NodeRef {
        node.strong.store(1, Ordering::Relaxed);
        let ptr = NonNull::from(&*node);
        let mut a = ARENA.lock();
        a.live += 1;
        let (id, generation) = match a.free.pop() {
            Some(id) => {
                let s = &mut a.slots[id as usize];
                s.node = Some(node);
                (id, s.generation)
            }
            None => {
                a.slots.push(Slot {
                    generation: 0,
                    node: Some(node),
                });
                ((a.slots.len() - 1) as u32, 0)
            }
        };
        NodeRef {
            id,
            generation,
            node: Some(ptr),
        }
    }

    pub fn node(&self) -> &Node {
        self.try_node().expect("a live NodeRef holds its node")
    }

    /// The node, or `None` for a handle read from zeroed memory (a Python object whose
    /// contents are not written yet, as the garbage collector may see it).
    pub fn try_node(&self) -> Option<&Node> {
        // SAFETY: the slot keeps the node until its strong count reaches zero, and this
        // handle holds one of those counts for as long as the borrow lasts.
        self.node.map(|p| unsafe { &*p.as_ptr() })
    }

    pub fn downgrade(&self) -> WeakNodeRef {
        WeakNodeRef {
            id: self.id,
            generation: self.generation,
        }
    }

    /// The node's slot in the arena: a dense index, unique among live nodes.
    pub(crate) fn slot(&self) -> u32 {
        self.id
    }

    /// A key that identifies the node while it lives.
    pub fn key(&self) -> u64 {
        ((self.generation as u64) << 32) | self.id as u64
    }

    /// How many `NodeRef`s hold the node now.
    pub fn strong_count(&self) -> u32 {
        self.node().strong.load(Ordering::Acquire)
    }

    pub fn ptr_eq(&self, other: &NodeRef) -> bool {
        self.id == other.id && self.generation == other.generation
    }
}

impl WeakNodeRef {
    /// A strong handle if the node is still alive (a stale id is refused).
    pub fn upgrade(&self) -> Option<NodeRef> {
        let a = ARENA.lock();
        let slot = a.slots.get(self.id as usize)?;
        if slot.generation != self.generation {
            return None;
        }
        let node = slot.node.as_deref()?;
        if !try_acquire(node) {
            return None;
        }
        Some(NodeRef {
            id: self.id,
            generation: self.generation,
            node: Some(NonNull::from(node)),
        })
    }
}

/// Adds a strong count, unless the count already reached zero: a node whose release is
/// under way is never revived.
fn try_acquire(node: &Node) -> bool {
    let mut current = node.strong.load(Ordering::Acquire);
    loop {
        if current == 0 {
            return false;
        }
        match node.strong.compare_exchange_weak(
            current,
            current + 1,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => return true,
            Err(seen) => current = seen,
        }
    }
}

/// Strong handles to every live node (graph accounting; the caller holds them briefly).
pub(crate) fn live_nodes() -> Vec<NodeRef> {
    let a = ARENA.lock();
    a.slots
        .iter()
        .enumerate()
        .filter_map(|(id, slot)| {
            let node = slot.node.as_ref()?;
            try_acquire(node).then(|| NodeRef {
                id: id as u32,
                generation: slot.generation,
                node: Some(NonNull::from(&**node)),
            })
        })
        .collect()
}

/// Whether any live node satisfies `pred` (which must not touch the arena).
pub(crate) fn any_live(pred: impl Fn(&Node) -> bool) -> bool {
    let a = ARENA.lock();
    a.slots.iter().any(|slot| {
        slot.node
            .as_ref()
            .is_some_and(|n| n.strong.load(Ordering::Acquire) > 0 && pred(n))
    })
}

impl Clone for NodeRef {
    fn clone(&self) -> Self {
        self.node().strong.fetch_add(1, Ordering::Relaxed);
        NodeRef {
            id: self.id,
            generation: self.generation,
            node: self.node,
        }
    }
}

impl std::fmt::Debug for NodeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "NodeRef({}#{}: {})",
            self.id,
            self.generation,
            self.node().name()
        )
    }
}

/// Called when a node with extras goes down to one holder, which may be the custom
/// Function context the node itself holds: the Python binding then frees that pair.
static ONE_HOLDER_LEFT: std::sync::OnceLock<fn(&Node)> = std::sync::OnceLock::new();

pub fn set_one_holder_left_hook(hook: fn(&Node)) {
    let _ = ONE_HOLDER_LEFT.set(hook);
}

/// This thread's release in progress: nodes whose last handle went while it runs wait
/// in `pending` instead of recursing. One thread-local for both, read once per release.
struct Releases {
    active: Cell<bool>,
    pending: RefCell<Vec<u32>>,
}

thread_local! {
    static RELEASES: Releases = const {
        Releases {
            active: Cell::new(false),
            pending: RefCell::new(Vec::new()),
        }
    };
}

impl Drop for NodeRef {
    fn drop(&mut self) {
        let Some(node) = self.try_node() else { return };
        // The hook runs while this handle still holds the node (once the count is down,
        // another thread may free it): the one other holder is what it looks at.
        if node.strong.load(Ordering::Acquire) == 2 && node.extras_if_any().is_some() {
            if let Some(hook) = ONE_HOLDER_LEFT.get() {
                hook(node);
            }
        }
        let before = node.strong.fetch_sub(1, Ordering::AcqRel);
        self.node = None;
        if before != 1 {
            return;
        }
        let id = self.id;
        let released = match RELEASES.try_with(|r| release_all(r, id)) {
            Ok(n) => n,
            Err(_) => {
                // this thread's locals are being torn down: release without the queue
                drop(release_one(id));
                0
            }
        };
        if released >= super::heap_trim::LARGE_RELEASE {
            super::heap_trim::return_free_memory();
        }
    }
}

/// Releases `node` and every node whose last handle goes with it, one at a time; returns
/// how many (0 when a release already running on this thread takes the node instead).
///
/// `pending` is the work stack itself: dropping a node queues the nodes it let go of
/// there, and the loop pops them (last queued first) until none is left.
fn release_all(r: &Releases, id: u32) -> usize {
    if r.active.get() {
        r.pending.borrow_mut().push(id);
        return 0;
    }
    r.active.set(true);
    struct Reset<'a>(&'a Cell<bool>);
    impl Drop for Reset<'_> {
        fn drop(&mut self) {
            self.0.set(false);
        }
    }
    let _reset = Reset(&r.active);
    let mut next = Some(id);
    let mut released: usize = 0;
    while let Some(id) = next {
        released += 1;
        // Dropping the node drops its edges and saved tensors; their releases are
        // queued in `pending` rather than recursing (the borrow is not held meanwhile).
        drop(release_one(id));
        next = r.pending.borrow_mut().pop();
    }
    released
}

/// Frees the slot of a node whose count reached zero.
fn release_one(id: u32) -> Option<Box<Node>> {
    let mut a = ARENA.lock();
    let slot = &mut a.slots[id as usize];
    slot.generation = slot.generation.wrapping_add(1);
    let node = slot.node.take();
    a.free.push(id);
    a.live -= 1;
    node
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autograd::node::{Edge, Node};

    #[test]
    fn slots_are_reused_and_stale_ids_refused() {
        let a = NodeRef::new(Node::leafless("TestBackward0", vec![]));
        let weak = a.downgrade();
        assert!(weak.upgrade().is_some());
        drop(a);
        assert!(weak.upgrade().is_none(), "stale id must not resolve");
        let b = NodeRef::new(Node::leafless("TestBackward0", vec![]));
        // the freed slot may be handed out again, with a new generation
        assert!(weak.upgrade().is_none());
        drop(b);
    }

    #[test]
    fn freeing_a_million_node_chain_does_not_overflow_the_stack() {
        let mut head = NodeRef::new(Node::leafless("ChainBackward0", vec![]));
        for _ in 0..1_000_000 {
            let edge = Edge {
                node: head,
                input_nr: 0,
            };
            head = NodeRef::new(Node::leafless("ChainBackward0", vec![Some(edge)]));
        }
        let weak = head.downgrade();
        drop(head);
        assert!(weak.upgrade().is_none());
    }

    #[test]
    fn counts_stay_exact_under_concurrent_clones_drops_and_upgrades() {
        let a = NodeRef::new(Node::leafless("SharedBackward0", vec![]));
        let weak = a.downgrade();
        std::thread::scope(|scope| {
            for _ in 0..4 {
                let a = &a;
                scope.spawn(move || {
                    for _ in 0..10_000 {
                        let c = a.clone();
                        let u = weak.upgrade().expect("alive while `a` is held");
                        drop((c, u));
                    }
                });
            }
        });
        assert_eq!(a.node().strong.load(Ordering::SeqCst), 1);
        drop(a);
        assert!(weak.upgrade().is_none());
    }

    #[test]
    fn strong_counts_keep_shared_nodes_alive() {
        let a = NodeRef::new(Node::leafless("TestBackward0", vec![]));
        let weak = a.downgrade();
        let b = NodeRef::new(Node::leafless(
            "UserBackward0",
            vec![Some(Edge {
                node: a.clone(),
                input_nr: 0,
            })],
        ));
        drop(a);
        assert!(weak.upgrade().is_some(), "held by b's edge");
        drop(b);
        assert!(weak.upgrade().is_none());
    }
}
