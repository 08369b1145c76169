//! The most one allocation may ask for. Rust aborts the whole process when an allocation
//! fails, so sizes that the machine's memory and swap together can never back are refused
//! up front with PyTorch's out-of-memory RuntimeError; smaller requests go to the
//! allocator as they would in PyTorch.

use crate::error::{Error, Result};
use std::sync::OnceLock;

/// Used where `/proc/meminfo` cannot be read (other systems): 64 TiB.
const FALLBACK_LIMIT: u128 = 1 << 46;

/// Physical memory plus swap, in bytes, read once.
pub fn limit_bytes() -> u128 {
    static LIMIT: OnceLock<u128> = OnceLock::new();
    *LIMIT.get_or_init(|| read_meminfo().unwrap_or(FALLBACK_LIMIT))
}

fn read_meminfo() -> Option<u128> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let field = |name: &str| -> Option<u128> {
        let line = text.lines().find(|l| l.starts_with(name))?;
        let kib: u128 = line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kib * 1024)
    };
    let total = field("MemTotal:")? + field("SwapTotal:").unwrap_or(0);
    (total > 0).then_some(total)
}

pub fn out_of_memory(bytes: u128) -> Error {
    Error::runtime(format!(
        "[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate {bytes} bytes. Error code 12 (Cannot allocate memory)"
    ))
}

/// Refuses `numel` elements of `elem_bytes` each when no machine state could hold them.
pub fn check(numel: usize, elem_bytes: usize) -> Result<()> {
    let bytes = numel as u128 * elem_bytes.max(1) as u128;
    if bytes > limit_bytes() {
        return Err(out_of_memory(bytes));
    }
    Ok(())
}

/// The payload of a panic raised where a kernel without a `Result` was asked for more
/// than memory holds; `guarded` turns it into the out-of-memory RuntimeError.
#[derive(Debug, Clone, Copy)]
pub struct OutOfMemory(pub u128);

/// An empty `Vec` with room for `n` elements, or a panic carrying [`OutOfMemory`] (never
/// the allocator's abort).
pub fn vec_with_capacity<T>(n: usize) -> Vec<T> {
    let bytes = n as u128 * std::mem::size_of::<T>() as u128;
    let mut v = Vec::new();
    if bytes > limit_bytes() || v.try_reserve_exact(n).is_err() {
        std::panic::panic_any(OutOfMemory(bytes));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_memory_cannot_hold() {
        assert!(check(16, 8).is_ok());
        let too_many = usize::try_from(limit_bytes() / 4 + 1).unwrap_or(usize::MAX);
        let err = check(too_many, 8).unwrap_err();
        assert!(
            err.message.contains("DefaultCPUAllocator"),
            "{}",
            err.message
        );
    }

    #[test]
    fn vec_with_capacity_panics_with_the_size() {
        let v: Vec<u64> = vec_with_capacity(10);
        assert!(v.capacity() >= 10);
        let caught = std::panic::catch_unwind(|| vec_with_capacity::<u64>(usize::MAX / 8));
        let payload = caught.unwrap_err();
        let oom = payload
            .downcast_ref::<OutOfMemory>()
            .expect("OutOfMemory payload");
        assert!(oom.0 >= (usize::MAX / 8) as u128 * 8);
    }
}
