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

criterion_group!(benches, elementwise, vector_math, reduction, matmul);
criterion_main!(benches);
