//! `set_flush_denormal`: the calling thread's SSE control bits that flush subnormal
//! results to zero (FTZ) and read subnormal inputs as zero (DAZ), as PyTorch sets them
//! (for the calling thread only; pool workers keep theirs).

#[cfg(target_arch = "x86_64")]
const FTZ_DAZ: u32 = (1 << 15) | (1 << 6);

/// Turns flushing on or off; false where the CPU has no such mode (then nothing changes).
#[cfg(target_arch = "x86_64")]
pub fn set_flush_denormal(on: bool) -> bool {
    let mut csr: u32 = 0;
    // SAFETY: stmxcsr stores the 32-bit SSE control/status register into `csr`, a live
    // local; every x86-64 CPU has SSE.
    unsafe { std::arch::asm!("stmxcsr [{}]", in(reg) &mut csr, options(nostack)) };
    csr = if on { csr | FTZ_DAZ } else { csr & !FTZ_DAZ };
    // SAFETY: ldmxcsr loads a value read from the register with only the FTZ and DAZ bits
    // changed (both defined on every CPU with SSE2, which x86-64 implies); it changes how
    // this thread rounds subnormal floats and nothing else.
    unsafe { std::arch::asm!("ldmxcsr [{}]", in(reg) &csr, options(nostack, readonly)) };
    true
}

#[cfg(not(target_arch = "x86_64"))]
pub fn set_flush_denormal(_on: bool) -> bool {
    false
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::set_flush_denormal;

    #[test]
    fn flushing_zeroes_subnormal_results_until_turned_off() {
        let tiny = std::hint::black_box(1e-30_f32);
        let scale = std::hint::black_box(1e-10_f32);
        assert!(set_flush_denormal(true));
        let flushed = std::hint::black_box(tiny * scale);
        assert!(set_flush_denormal(false));
        let kept = std::hint::black_box(tiny * scale);
        assert_eq!(flushed, 0.0);
        assert!(kept > 0.0 && kept < f32::MIN_POSITIVE);
    }
}
