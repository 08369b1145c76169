//! Kernel benchmarks through the Rust API (`cargo bench --bench kernels`).
//!
//! Every op here runs on tensors that do not require grad, so no graph node is recorded:
//! what is timed is the argument checks, the kernel and the output allocation.
//! Throughput: elementwise ops and reductions report bytes moved (inputs read + output
//! written); matmuls report `2·m·n·k` as "elements", so criterion's `elem/s` reads as FLOP/s.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ferrograd::{ops, Tensor};

const N: usize = 1 << 20;
const F32: u64 = std::mem::size_of::<f32>() as u64;

/// Deterministic values in [-1, 1): a fixed LCG, so every run sees the same data.
fn values(n: usize, seed: u32) -> Vec<f32> {
    let mut s = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..n)
        .map(|_| {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (s >> 8) as f32 / (1u32 << 23) as f32 - 1.0
        })
        .collect()
}

fn tensor(shape: &[usize], seed: u32) -> Tensor {
    let n = shape.iter().product();
    Tensor::from_vec(values(n, seed), shape).expect("valid shape")
}

fn elementwise(c: &mut Criterion) {
    let a = tensor(&[N], 1);
    let b = tensor(&[N], 2);
    let mut g = c.benchmark_group("elementwise_f32_1M");
    g.throughput(Throughput::Bytes(3 * F32 * N as u64));
    g.bench_function("add", |bench| {
        bench.iter(|| ops::add(black_box(&a), black_box(&b)).unwrap())
    });
    g.bench_function("mul", |bench| {
        bench.iter(|| ops::mul(black_box(&a), black_box(&b)).unwrap())
    });
    g.throughput(Throughput::Bytes(2 * F32 * N as u64));
    g.bench_function("tanh", |bench| {
        bench.iter(|| ops::tanh(black_box(&a)).unwrap())
    });
    g.finish();
}

/// The vectorized float32 math kernels on each instruction set this CPU has.
fn vector_math(c: &mut Criterion) {
    use ferrograd::kernels::vmath::{self, Level, SliceKernel};
    let x = values(N, 3);
    let mut y = vec![0.0f32; N];
    let mut g = c.benchmark_group("vmath_f32_1M");
    g.throughput(Throughput::Bytes(2 * F32 * N as u64));
    let kernels: [(&str, SliceKernel); 4] = [
        ("exp", vmath::exp_with),
        ("ln", vmath::ln_with),
        ("tanh", vmath::tanh_with),
        ("sigmoid", vmath::sigmoid_with),
    ];
    let mut levels = vec![Level::Portable];
    if vmath::level() != Level::Portable {
        levels.push(vmath::level());
    }
    for (name, kernel) in kernels {
        for &level in &levels {
            g.bench_function(BenchmarkId::new(name, format!("{level:?}")), |bench| {
                bench.iter(|| kernel(black_box(&x), &mut y, level))
            });
        }
    }
    g.bench_function("libm_exp", |bench| {
        bench.iter(|| {
            for (d, s) in y.iter_mut().zip(black_box(&x)) {
                *d = s.exp();
            }
        })
    });
    g.finish();
}

fn reduction(c: &mut Criterion) {
    let a = tensor(&[N], 3);
    let mut g = c.benchmark_group("sum_f32");
    g.throughput(Throughput::Bytes(F32 * N as u64));
    g.bench_function("all_1M", |bench| {
        bench.iter(|| ops::sum(black_box(&a), None, false, None).unwrap())
    });
    let m = tensor(&[1024, 1024], 4);
    g.bench_function("dim0_1024x1024", |bench| {
        bench.iter(|| ops::sum(black_box(&m), Some(&[0]), false, None).unwrap())
    });
    g.bench_function("dim1_1024x1024", |bench| {
        bench.iter(|| ops::sum(black_box(&m), Some(&[1]), false, None).unwrap())
    });
    let tall = tensor(&[65536, 16], 5);
    g.bench_function("dim0_65536x16", |bench| {
        bench.iter(|| ops::sum(black_box(&tall), Some(&[0]), false, None).unwrap())
    });
    let cube = tensor(&[64, 64, 256], 6);
    g.bench_function("dim1_64x64x256", |bench| {
        bench.iter(|| ops::sum(black_box(&cube), Some(&[1]), false, None).unwrap())
    });
    g.finish();

    // products near 1, so they stay finite
    let near_one = |shape: &[usize], seed| {
        let n: usize = shape.iter().product();
        let v: Vec<f32> = values(n, seed).iter().map(|x| 1.0 + x * 1e-3).collect();
        Tensor::from_vec(v, shape).expect("valid shape")
    };
    let mut g = c.benchmark_group("prod_f32");
    g.throughput(Throughput::Bytes(F32 * N as u64));
    let flat = near_one(&[N], 7);
    g.bench_function("all_1M", |bench| {
        bench.iter(|| ops::prod(black_box(&flat), None, false, None).unwrap())
    });
    let m = near_one(&[1024, 1024], 8);
    g.bench_function("dim0_1024x1024", |bench| {
        bench.iter(|| ops::prod(black_box(&m), Some(0), false, None).unwrap())
    });
    g.bench_function("dim1_1024x1024", |bench| {
        bench.iter(|| ops::prod(black_box(&m), Some(1), false, None).unwrap())
    });
    g.finish();
}

fn matmul(c: &mut Criterion) {
    let mut g = c.benchmark_group("matmul_f32");
    for n in [256usize, 1024] {
        let a = tensor(&[n, n], 5);
        let b = tensor(&[n, n], 6);
        let nn = n as u64;
        g.throughput(Throughput::Elements(2 * nn * nn * nn));
        if n >= 1024 {
            // ~tens of ms per call on one core: 10 samples keep the run short.
            g.sample_size(10);
        }
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |bench, _| {
            bench.iter(|| ops::matmul(black_box(&a), black_box(&b)).unwrap())
        });
    }
    g.finish();
}

/// `matrixmultiply::sgemm`'s signature.
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

/// The raw f32 GEMM kernels on one thread: `kernels::sgemm_avx512::sgemm` (AVX-512 where
/// the CPU has it) against `matrixmultiply::sgemm`, on squares and the MLP's shapes
/// (`nt`: B column-major, as `x @ W.T`; `tn`: A column-major, as `g.T @ x`).
fn sgemm(c: &mut Criterion) {
    let mut g = c.benchmark_group("sgemm_f32");
    let shapes = [
        ("128", 128, 128, 128, false, false),
        ("256", 256, 256, 256, false, false),
        ("512", 512, 512, 512, false, false),
        ("1024", 1024, 1024, 1024, false, false),
        ("128x784x256nt", 128, 784, 256, false, true),
        ("128x256x10nt", 128, 256, 10, false, true),
        ("256x128x784tn", 256, 128, 784, true, false),
        ("128x10x256", 128, 10, 256, false, false),
    ];
    for (name, m, k, n, a_t, b_t) in shapes {
        let a = values(m * k, 7);
        let b = values(k * n, 8);
        let mut out = vec![0.0f32; m * n];
        let (rsa, csa) = if a_t {
            (1, m as isize)
        } else {
            (k as isize, 1)
        };
        let (rsb, csb) = if b_t {
            (1, k as isize)
        } else {
            (n as isize, 1)
        };
        g.throughput(Throughput::Elements(2 * (m * k * n) as u64));
        // ~20 ms per call at 1024³: 10 samples keep the run short (the setting sticks, so
        // every shape sets its own).
        g.sample_size(if m * k * n >= 1 << 30 { 10 } else { 100 });
        let kernels: [(&str, Sgemm); 2] = [
            ("ferrograd", ferrograd::kernels::sgemm_avx512::sgemm),
            ("matrixmultiply", matrixmultiply::sgemm),
        ];
        for (kernel, f) in kernels {
            g.bench_with_input(BenchmarkId::new(kernel, name), &name, |bench, _| {
                bench.iter(|| {
                    // SAFETY: a is m×k, b k×n (strides as built), out m×n row-major.
                    unsafe {
                        f(
                            m,
                            k,
                            n,
                            1.0,
                            black_box(a.as_ptr()),
                            rsa,
                            csa,
                            black_box(b.as_ptr()),
                            rsb,
                            csb,
                            0.0,
                            out.as_mut_ptr(),
                            n as isize,
                            1,
                        )
                    }
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, elementwise, vector_math, reduction, matmul, sgemm);
criterion_main!(benches);
