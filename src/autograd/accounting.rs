//! Graph memory accounting: which roots keep live nodes alive (`live_graphs`), and a
//! warning when a graph outlives N backward passes without taking part in them
//! (`set_retention_steps`), the leak of `total_loss += loss`.
//!
//! Nothing here costs anything per op unless asked for: a node notes the backward-pass
//! count at its creation (one relaxed load), and where it was made only while site
//! recording is on. The backward engine marks the nodes a pass reaches (one relaxed
//! store per node). All the graph walking happens in `live_graphs` and, when the warning
//! is on, once per backward pass.

use super::arena::{self, NodeRef};
use super::node::Node;
use crate::error::Result;
use parking_lot::RwLock;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// Backward passes (`backward()` and `autograd.grad()`) started so far.
static PASSES: AtomicU32 = AtomicU32::new(0);
/// Warn about graphs that outlived this many passes; 0 = off.
static RETENTION_STEPS: AtomicU32 = AtomicU32::new(0);
static RECORD_SITES: AtomicBool = AtomicBool::new(false);

/// `file:line` of the user code running now; the Python layer installs it.
pub type SiteProvider = fn() -> Option<String>;
static SITE_PROVIDER: RwLock<Option<SiteProvider>> = RwLock::new(None);

/// Reports a graph that outlived the retention limit (the Python layer warns).
pub type RetentionWarner = fn(&LiveGraph, u32) -> Result<()>;
static WARNER: RwLock<Option<RetentionWarner>> = RwLock::new(None);

pub fn set_site_provider(f: SiteProvider) {
    *SITE_PROVIDER.write() = Some(f);
}

pub fn set_retention_warner(f: RetentionWarner) {
    *WARNER.write() = Some(f);
}

/// Turns recording of creation sites on or off; returns the previous setting.
pub fn set_record_sites(enabled: bool) -> bool {
    RECORD_SITES.swap(enabled, Ordering::Relaxed)
}

pub fn is_recording_sites() -> bool {
    RECORD_SITES.load(Ordering::Relaxed)
}

/// Sets how many backward passes a graph may outlive before the warning (0 = off);
/// returns the previous value.
pub fn set_retention_steps(steps: u32) -> u32 {
    RETENTION_STEPS.swap(steps, Ordering::Relaxed)
}

pub fn retention_steps() -> u32 {
    RETENTION_STEPS.load(Ordering::Relaxed)
}

/// How many backward passes have started.
pub fn backward_passes() -> u32 {
    PASSES.load(Ordering::Relaxed)
}

/// What a new node records: the pass count now and, when asked for, its creation site.
pub(crate) fn birth(wants_site: bool) -> (u32, Option<Box<str>>) {
    let passes = PASSES.load(Ordering::Relaxed);
    if !wants_site || !RECORD_SITES.load(Ordering::Relaxed) {
        return (passes, None);
    }
    let site = (*SITE_PROVIDER.read()).and_then(|f| f());
    (passes, site.map(String::into_boxed_str))
}

/// Per-node bookkeeping, kept in the node.
pub struct NodeAccount {
    /// Backward passes started before the node was made.
    pub born_at: u32,
    /// The pass count just after the last pass that reached the node.
    last_pass: AtomicU32,
    /// Set once the retention warning named a graph holding this node.
    warned: AtomicBool,
    /// Where the forward op ran (`file:line`), when site recording was on.
    pub site: Option<Box<str>>,
}

impl NodeAccount {
    pub(crate) fn new(wants_site: bool) -> NodeAccount {
        let (born_at, site) = birth(wants_site);
        NodeAccount {
            born_at,
            last_pass: AtomicU32::new(born_at),
            warned: AtomicBool::new(false),
            site,
        }
    }

    /// How many passes started since the node was made or last reached by a pass.
    fn idle_passes(&self, passes: u32) -> u32 {
        passes.saturating_sub(self.last_pass.load(Ordering::Relaxed).max(self.born_at))
    }
}

/// Called by the engine for each node a backward pass reaches.
pub(crate) fn mark_reached(node: &Node, pass: u32) {
    node.account.last_pass.store(pass, Ordering::Relaxed);
}

/// Called by the engine as a backward pass starts: counts it, checks for graphs that
/// outlived the retention limit, and returns the number to mark reached nodes with.
pub(crate) fn start_backward_pass() -> Result<u32> {
    let before = PASSES.fetch_add(1, Ordering::Relaxed);
    let steps = RETENTION_STEPS.load(Ordering::Relaxed);
    if steps > 0 {
        warn_about_retained_graphs(before, steps)?;
    }
    Ok(before.wrapping_add(1))
}

/// One graph kept alive by a root: a live node that no other live node points to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveGraph {
    /// The root node's name (`AddBackward0`).
    pub root: String,
    /// Live nodes reachable from the root, itself included.
    pub nodes: usize,
    /// Tensors those nodes still hold for backward, and their bytes.
    pub saved_tensors: usize,
    pub saved_bytes: usize,
    /// Where the root's forward op ran, when site recording was on.
    pub site: Option<String>,
    /// Backward passes started since the longest-idle node of the graph was made or
    /// last reached by a pass.
    pub idle_passes: u32,
}

/// Every graph alive now, by root, largest (saved bytes, then nodes) first. A node
/// shared by two roots counts in both.
pub fn live_graphs() -> Vec<LiveGraph> {
    let passes = PASSES.load(Ordering::Relaxed);
    let mut graphs: Vec<LiveGraph> = roots_of(&arena::live_nodes())
        .iter()
        .map(|root| walk(root, passes, |_| {}))
        .collect();
    graphs
        .sort_by(|a, b| (b.saved_bytes, b.nodes, &a.root).cmp(&(a.saved_bytes, a.nodes, &b.root)));
    graphs
}

/// The live nodes that no other live node has an edge to (leaving out leaves'
/// accumulators that no graph holds).
fn roots_of(nodes: &[NodeRef]) -> Vec<NodeRef> {
    let referenced: HashSet<u64> = nodes
        .iter()
        .flat_map(|n| n.node().next_edges.iter().flatten().map(|e| e.node.key()))
        .collect();
    nodes
        .iter()
        .filter(|n| !referenced.contains(&n.key()) && !n.node().held_only_by_its_leaf(1))
        .cloned()
        .collect()
}

/// Counts what `root` reaches; `visit` sees every node reached.
fn walk(root: &NodeRef, passes: u32, mut visit: impl FnMut(&Node)) -> LiveGraph {
    let mut seen: HashSet<u64> = HashSet::new();
    let mut stack = vec![root.clone()];
    seen.insert(root.key());
    let (mut nodes, mut saved_tensors, mut saved_bytes, mut idle) = (0, 0, 0, 0);
    while let Some(n) = stack.pop() {
        let node = n.node();
        nodes += 1;
        {
            let saved = node.saved.lock();
            saved_tensors += saved.tensors.len();
            saved_bytes += saved.tensors.iter().map(|s| s.nbytes()).sum::<usize>();
        }
        if !node.is_accumulate_grad() {
            idle = idle.max(node.account.idle_passes(passes));
        }
        visit(node);
        for e in node.next_edges.iter().flatten() {
            if seen.insert(e.node.key()) {
                stack.push(e.node.clone());
            }
        }
    }
    LiveGraph {
        root: root.node().name().to_string(),
        nodes,
        saved_tensors,
        saved_bytes,
        site: root.node().account.site.as_deref().map(str::to_string),
        idle_passes: idle,
    }
}

/// Warns once per graph holding a node idle for `steps` passes or more.
fn warn_about_retained_graphs(passes: u32, steps: u32) -> Result<()> {
    let Some(warner) = *WARNER.read() else {
        return Ok(());
    };
    let stale =
        |node: &Node| !node.is_accumulate_grad() && node.account.idle_passes(passes) >= steps;
    if !arena::any_live(stale) {
        return Ok(());
    }
    let nodes = arena::live_nodes();
    let mut reports = Vec::new();
    for root in roots_of(&nodes) {
        let mut already_warned = false;
        let graph = walk(&root, passes, |node| {
            if stale(node) {
                already_warned |= node.account.warned.load(Ordering::Relaxed);
            }
        });
        if graph.idle_passes >= steps && !already_warned {
            // Mark the idle nodes so the same leaked graph is named once, not every pass.
            walk(&root, passes, |node| {
                if stale(node) {
                    node.account.warned.store(true, Ordering::Relaxed);
                }
            });
            reports.push(graph);
        }
    }
    drop(nodes);
    for graph in &reports {
        warner(graph, steps)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autograd::node::{Edge, Node};

    /// `live_graphs` holds the nodes it walks for a moment: a test that asserts a graph is
    /// gone must not run beside another walk.
    static WALKS: parking_lot::Mutex<()> = parking_lot::Mutex::new(());

    fn chain(root_name: &'static str, len: usize) -> NodeRef {
        let mut head = NodeRef::new(Node::leafless("AccountingLeafBackward0", vec![]));
        for _ in 1..len {
            let edge = Edge {
                node: head,
                input_nr: 0,
            };
            head = NodeRef::new(Node::leafless("AccountingMidBackward0", vec![Some(edge)]));
        }
        let edge = Edge {
            node: head,
            input_nr: 0,
        };
        NodeRef::new(Node::leafless(root_name, vec![Some(edge)]))
    }

    fn graphs_named(name: &str) -> Vec<LiveGraph> {
        live_graphs()
            .into_iter()
            .filter(|g| g.root == name)
            .collect()
    }

    #[test]
    fn a_chain_is_one_graph_named_by_its_root() {
        let _walk = WALKS.lock();
        let root = chain("AccountingRootBackward0", 10);
        let graphs = graphs_named("AccountingRootBackward0");
        assert_eq!(graphs.len(), 1);
        assert_eq!(graphs[0].nodes, 11);
        assert_eq!((graphs[0].saved_tensors, graphs[0].saved_bytes), (0, 0));
        drop(root);
        assert!(graphs_named("AccountingRootBackward0").is_empty());
    }

    #[test]
    fn two_roots_sharing_a_node_each_count_it() {
        let _walk = WALKS.lock();
        let shared = chain("AccountingSharedBackward0", 3);
        let a = NodeRef::new(Node::leafless(
            "AccountingTwinBackward0",
            vec![Some(Edge {
                node: shared.clone(),
                input_nr: 0,
            })],
        ));
        let b = NodeRef::new(Node::leafless(
            "AccountingTwinBackward0",
            vec![Some(Edge {
                node: shared.clone(),
                input_nr: 0,
            })],
        ));
        drop(shared);
        let graphs = graphs_named("AccountingTwinBackward0");
        assert_eq!(graphs.iter().map(|g| g.nodes).collect::<Vec<_>>(), [5, 5]);
        assert!(graphs_named("AccountingSharedBackward0").is_empty());
        drop((a, b));
    }
}
