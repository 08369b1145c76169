//! PyTorch's float32 normal sampler for 16 or more elements (its AVX2 path): Box–Muller in
//! single precision with Cephes-style `log` and `sincos` polynomials evaluated lane by
//! lane, so the same uniforms give the same float32 normals bit for bit. PyTorch's build
//! contracts each multiply feeding an add into a fused multiply-add; `mul_add` below
//! reproduces exactly those contractions (checked against PyTorch on 16000 samples).

/// ln(x) for x in (0, 1], as the vectorised Cephes polynomial computes it.
#[inline(always)]
fn log_f32(x: f32) -> f32 {
    const SQRTHF: f32 = 0.707_106_77;
    const P: [f32; 9] = [
        7.037_683_6E-2,
        -1.151_461_E-1,
        1.167_699_84E-1,
        -1.242_014_1E-1,
        1.424_932_3E-1,
        -1.666_805_8E-1,
        2.000_071_4E-1,
        -2.499_999_4E-1,
        3.333_333E-1,
    ];
    const Q1: f32 = -2.121_944_4e-4;
    const Q2: f32 = 0.693_359_4;
    if x <= 0.0 {
        return f32::NAN;
    }
    let x = x.max(f32::MIN_POSITIVE);
    let bits = x.to_bits();
    let exponent = (bits >> 23) as i32 - 0x7f;
    // The mantissa, scaled into [0.5, 1).
    let mut m = f32::from_bits((bits & !0x7f80_0000) | 0.5f32.to_bits());
    let mut e = exponent as f32 + 1.0;
    let below = m < SQRTHF;
    let tmp = if below { m } else { 0.0 };
    m -= 1.0;
    if below {
        e -= 1.0;
    }
    m += tmp;
    let z = m * m;
    let mut y = P[0];
    for &c in &P[1..] {
        y = y.mul_add(m, c);
    }
    y *= m;
    y = y.mul_add(z, e * Q1);
    y = (-z).mul_add(0.5, y);
    e.mul_add(Q2, m + y)
}

/// (sin θ, cos θ) for θ ≥ 0, with the Cephes range reduction and polynomials.
#[inline(always)]
fn sincos_f32(theta: f32) -> (f32, f32) {
    const FOPI: f32 = 1.273_239_5;
    const DP1: f32 = -0.785_156_25;
    const DP2: f32 = -2.418_756_5e-4;
    const DP3: f32 = -3.774_895e-8;
    const COS: [f32; 3] = [2.443_315_7e-5, -1.388_731_6e-3, 4.166_664_6e-2];
    const SIN: [f32; 3] = [-1.951_529_6e-4, 8.332_161e-3, -1.666_665_5e-1];
    let sign_in = theta.is_sign_negative();
    let mut x = theta.abs();
    let mut j = (x * FOPI) as i32;
    j = (j + 1) & !1;
    let y = j as f32;
    let swap_sin = j & 4 != 0;
    let use_sin_poly_for_sin = j & 2 == 0;
    x = y.mul_add(DP1, x);
    x = y.mul_add(DP2, x);
    x = y.mul_add(DP3, x);
    let cos_negative = (!(j - 2)) & 4 != 0;
    let z = x * x;
    let mut yc = COS[0];
    yc = yc.mul_add(z, COS[1]);
    yc = yc.mul_add(z, COS[2]);
    yc *= z;
    yc = yc.mul_add(z, -(z * 0.5));
    yc += 1.0;
    let mut ys = SIN[0];
    ys = ys.mul_add(z, SIN[1]);
    ys = ys.mul_add(z, SIN[2]);
    ys *= z;
    ys = ys.mul_add(x, x);
    let (s, c) = if use_sin_poly_for_sin {
        (ys, yc)
    } else {
        (yc, ys)
    };
    let s = if sign_in ^ swap_sin { -s } else { s };
    let c = if cos_negative { -c } else { c };
    (s, c)
}

/// Turns 16 float32 uniforms into 16 standard normals in place.
pub fn normal_fill_16_f32(data: &mut [f32]) {
    normal_fill_blocks_f32(&mut data[..16]);
}

/// Turns each whole block of 16 float32 uniforms of `data` into 16 standard normals in
/// place (a partial last block is left alone).
pub fn normal_fill_blocks_f32(data: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("fma") && std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has the features the function is compiled for (checked above).
        unsafe { fill_blocks_fma(data) };
        return;
    }
    fill_blocks(data);
}

/// `fill_blocks` compiled with FMA instructions: `mul_add` becomes one instruction
/// instead of a call to the C library's software `fmaf` (the same exactly rounded
/// result either way), and the 8 lanes of each half-block vectorize.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn fill_blocks_fma(data: &mut [f32]) {
    fill_blocks(data);
}

#[inline(always)]
fn fill_blocks(data: &mut [f32]) {
    let two_pi = (2.0 * std::f64::consts::PI) as f32;
    for block in data.chunks_exact_mut(16) {
        let (u1s, u2s) = block.split_at_mut(8);
        for (a, b) in u1s.iter_mut().zip(u2s.iter_mut()) {
            let u1 = 1.0 - *a;
            let u2 = *b;
            let radius = (-2.0 * log_f32(u1)).sqrt();
            let (s, c) = sincos_f32(two_pi * u2);
            *a = radius * c;
            *b = radius * s;
        }
    }
}
