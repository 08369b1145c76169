//! Reverse-mode autograd: the node arena, the backward engine, grad mode, and the
//! per-tensor metadata (grad, grad_fn, hooks).

pub mod accounting;
pub mod arena;
pub mod autocast;
pub mod engine;
pub mod grad_layout;
pub mod heap_trim;
pub mod meta;
pub mod mode;
pub mod node;
pub mod node_key_map;
pub mod record;
pub mod saved;
pub mod saved_hooks;
pub mod scalar_engine;
pub mod scalar_rule;

pub use arena::{graph_stats, set_one_holder_left_hook, GraphStats, NodeRef, WeakNodeRef};
pub use engine::{backward, grad, GradTarget};
pub use meta::{AutogradMeta, TensorHook};
pub use mode::{is_grad_enabled, set_grad_enabled, GradModeGuard};
pub use node::{BackwardCtx, Edge, Node};
pub use record::{needs_grad, record};
pub use saved::SavedTensor;
