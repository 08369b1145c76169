//! Hash maps keyed by arena node keys, for the backward engine's bookkeeping.
//!
//! A key is a dense slot id with a generation in its high half, so one multiply mixes
//! it well enough; SipHash (std's default) costs several times more per lookup, and a
//! backward pass does a handful of lookups per node.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub struct NodeKeyHasher(u64);

const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

impl Hasher for NodeKeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(MIX);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(MIX);
    }
}

pub type NodeKeyMap<V> = HashMap<u64, V, BuildHasherDefault<NodeKeyHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_one_generation_and_of_many_stay_apart() {
        let mut m: NodeKeyMap<u64> = NodeKeyMap::default();
        for generation in 0..4u64 {
            for id in 0..10_000u64 {
                m.insert((generation << 32) | id, generation * 10_000 + id);
            }
        }
        assert_eq!(m.len(), 40_000);
        assert_eq!(m[&((3 << 32) | 9_999)], 39_999);
        assert_eq!(m.get(&((4 << 32) | 1)), None);
    }

    #[test]
    fn nearby_keys_hash_to_different_values() {
        let hash = |k: u64| {
            let mut h = NodeKeyHasher::default();
            h.write_u64(k);
            h.finish()
        };
        assert_ne!(hash(1), hash(2));
        assert_ne!(hash(1), hash(1 << 32 | 1));
        // the low bits, which pick the bucket, differ for consecutive ids
        let buckets: std::collections::HashSet<u64> = (0..64).map(|k| hash(k) & 63).collect();
        assert!(buckets.len() > 32, "{} of 64 buckets", buckets.len());
    }
}
