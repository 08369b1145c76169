//! f32 GEMM throughput on one thread: ferrograd's kernel (`kernels::sgemm_avx512`)
//! against `matrixmultiply::sgemm`, interleaved round by round, thread CPU time, best of
//! the rounds. `benches/sgemm_compare.py` runs it next to NumPy.
//!
//! ```sh
//! cargo run --release --example sgemm_compare -- [ROUNDS] [SHAPE...]
//! ```
//! A shape is `MxKxN`, optionally followed by `nt` (B column-major, as `x @ W.T`) or `tn`
//! (A column-major, as `g.T @ x`). Output: one line per shape, GFLOP/s of each kernel.

use std::time::Duration;

const SHAPES: &[&str] = &[
    "128x128x128",
    "256x256x256",
    "512x512x512",
    "1024x1024x1024",
    "256x256x256nt",
    "256x256x256tn",
    "1024x1024x1024nt",
    "1024x1024x1024tn",
    "128x784x256nt",
    "128x256x10nt",
    "256x128x784tn",
    "10x128x256tn",
    "128x10x256",
];

/// The CPU time this thread has used (what other processes on a busy machine do not
/// inflate).
#[cfg(target_os = "linux")]
fn thread_time() -> Duration {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, t: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut t = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `t` is a valid timespec to write.
    unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.sec as u64, t.nsec as u32)
}

/// Wall time since the first call, where no thread clock is at hand.
#[cfg(not(target_os = "linux"))]
fn thread_time() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

type Sgemm = unsafe fn(
    usize,
    usize,
    usize,
    f32,
    *const f32,
    isize,
    isize,
    *const f32,
    isize,
    isize,
    f32,
    *mut f32,
    isize,
    isize,
);

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let rounds: usize = match args.peek().and_then(|s| s.parse().ok()) {
        Some(r) => {
            args.next();
            r
        }
        None => 7,
    };
    let mut shapes: Vec<String> = args.collect();
    if shapes.is_empty() {
        shapes = SHAPES.iter().map(|s| s.to_string()).collect();
    }
    let kernels: [(&str, Sgemm); 2] = [
        ("ferrograd", ferrograd::kernels::sgemm_avx512::sgemm),
        ("matrixmultiply", matrixmultiply::sgemm),
    ];
    for spec in &shapes {
        let split = spec.find(['n', 't']).unwrap_or(spec.len());
        let (dims, layout) = spec.split_at(split);
        let dims: Vec<usize> = dims.split('x').filter_map(|d| d.parse().ok()).collect();
        let [m, k, n] = dims[..] else {
            eprintln!("bad shape {spec}: want MxKxN[nt|tn]");
            std::process::exit(2);
        };
        let (rsa, csa) = if layout == "tn" {
            (1, m as isize)
        } else {
            (k as isize, 1)
        };
        let (rsb, csb) = if layout == "nt" {
            (1, k as isize)
        } else {
            (n as isize, 1)
        };
        let a: Vec<f32> = (0..m * k)
            .map(|i| ((i * 7919) % 1000) as f32 / 1000.0)
            .collect();
        let b: Vec<f32> = (0..k * n)
            .map(|i| ((i * 104729) % 1000) as f32 / 1000.0)
            .collect();
        let mut c = vec![0.0f32; m * n];
        let flops = 2.0 * (m * k * n) as f64;
        let reps = ((2e8 / flops) as usize).max(1);
        let mut best = [f64::MAX; 2];
        for _ in 0..rounds {
            for (slot, (_, f)) in best.iter_mut().zip(kernels) {
                let t = thread_time();
                for _ in 0..reps {
                    // SAFETY: a is m×k, b k×n (strides as built), c m×n row-major.
                    unsafe {
                        f(
                            m,
                            k,
                            n,
                            1.0,
                            a.as_ptr(),
                            rsa,
                            csa,
                            b.as_ptr(),
                            rsb,
                            csb,
                            0.0,
                            c.as_mut_ptr(),
                            n as isize,
                            1,
                        )
                    };
                }
                *slot = slot.min((thread_time() - t).as_secs_f64() / reps as f64);
            }
        }
        let line: Vec<String> = kernels
            .iter()
            .zip(best)
            .map(|((name, _), t)| format!("{name} {:.1}", flops / t / 1e9))
            .collect();
        println!("{spec} {}", line.join(" "));
    }
}
