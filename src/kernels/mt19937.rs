//! The Mersenne Twister (MT19937) that PyTorch's CPU generator uses, so that the same
//! seed yields the same numbers as PyTorch.

const N: usize = 624;
const M: usize = 397;

/// Bytes in PyTorch's serialized CPU generator state (`CPUGeneratorImplState`).
pub const STATE_BYTES: usize = 5056;

// Offsets of the fields of PyTorch's state: the legacy POD (seed, left, seeded, next,
// 624 state words widened to 64 bits, three doubles of the old normal cache and its flag),
// then the float normal cache and its flag, padded to 8 bytes.
const SEED_AT: usize = 0;
const LEFT_AT: usize = 8;
const SEEDED_AT: usize = 12;
const NEXT_AT: usize = 16;
const WORDS_AT: usize = 24;
const NORMAL_Y_AT: usize = WORDS_AT + N * 8 + 8;
const NORMAL_VALID_AT: usize = NORMAL_Y_AT + 16;
const FLOAT_NORMAL_AT: usize = NORMAL_VALID_AT + 8;
const FLOAT_NORMAL_VALID_AT: usize = FLOAT_NORMAL_AT + 4;

/// PyTorch's engine: `left` counts down to the next twist, `next` indexes the state word
/// the next draw tempers (kept as PyTorch keeps them, so that states serialize byte for byte).
#[derive(Clone)]
pub struct Mt19937 {
    state: [u32; N],
    left: u32,
    next: u32,
    seeded: bool,
    seed: u64,
    /// Box–Muller's second value, kept for the next double normal sample.
    pub next_double_normal: Option<f64>,
    /// PyTorch's float normal cache: carried through `get_state`/`set_state`.
    next_float_normal: Option<f32>,
}

impl Mt19937 {
    pub fn new(seed: u64) -> Self {
        let mut state = [0u32; N];
        state[0] = seed as u32;
        for i in 1..N {
            state[i] = 1812433253u32
                .wrapping_mul(state[i - 1] ^ (state[i - 1] >> 30))
                .wrapping_add(i as u32);
        }
        Mt19937 {
            state,
            left: 1,
            next: 0,
            seeded: true,
            seed,
            next_double_normal: None,
            next_float_normal: None,
        }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    fn twist(&mut self) {
        for i in 0..N {
            let y = (self.state[i] & 0x8000_0000) | (self.state[(i + 1) % N] & 0x7fff_ffff);
            let mut v = self.state[(i + M) % N] ^ (y >> 1);
            if y & 1 != 0 {
                v ^= 0x9908_b0df;
            }
            self.state[i] = v;
        }
        self.left = N as u32;
        self.next = 0;
    }

    pub fn next_u32(&mut self) -> u32 {
        self.left -= 1;
        if self.left == 0 {
            self.twist();
        }
        // A state set from bytes may pair any valid `left` with any `next` <= N.
        let mut y = self.state[self.next as usize % N];
        self.next += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    pub fn next_u64(&mut self) -> u64 {
        let hi = self.next_u32() as u64;
        let lo = self.next_u32() as u64;
        (hi << 32) | lo
    }

    /// Uniform in [0, 1) with 24 random bits (PyTorch's float path).
    pub fn uniform_f32(&mut self) -> f32 {
        (self.next_u32() & ((1 << 24) - 1)) as f32 * (1.0 / (1u32 << 24) as f32)
    }

    /// Uniform in [0, 1) with 53 random bits (PyTorch's double path).
    pub fn uniform_f64(&mut self) -> f64 {
        (self.next_u64() & ((1u64 << 53) - 1)) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// One standard normal sample as PyTorch's scalar path draws it.
    pub fn normal_f64(&mut self) -> f64 {
        if let Some(v) = self.next_double_normal.take() {
            return v;
        }
        let u1 = self.uniform_f64();
        let u2 = self.uniform_f64();
        let r = (-2.0 * (-u2).ln_1p()).sqrt();
        let theta = 2.0 * std::f64::consts::PI * u1;
        self.next_double_normal = Some(r * theta.sin());
        r * theta.cos()
    }

    /// The full state in PyTorch's layout (`torch.get_rng_state()`'s bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![0u8; STATE_BYTES];
        let mut put = |at: usize, bytes: &[u8]| out[at..at + bytes.len()].copy_from_slice(bytes);
        put(SEED_AT, &self.seed.to_le_bytes());
        put(LEFT_AT, &(self.left as i32).to_le_bytes());
        put(SEEDED_AT, &(self.seeded as i32).to_le_bytes());
        put(NEXT_AT, &(self.next as u64).to_le_bytes());
        for (i, w) in self.state.iter().enumerate() {
            put(WORDS_AT + i * 8, &(*w as u64).to_le_bytes());
        }
        if let Some(v) = self.next_double_normal {
            put(NORMAL_Y_AT, &v.to_le_bytes());
            put(NORMAL_VALID_AT, &1i32.to_le_bytes());
        }
        if let Some(v) = self.next_float_normal {
            put(FLOAT_NORMAL_AT, &v.to_le_bytes());
            put(FLOAT_NORMAL_VALID_AT, &[1]);
        }
        out
    }

    /// A state from `to_bytes` (or PyTorch's); None unless it is one PyTorch accepts.
    pub fn from_bytes(b: &[u8]) -> Option<Mt19937> {
        if b.len() != STATE_BYTES {
            return None;
        }
        let take = |at: usize, n: usize| &b[at..at + n];
        let u64_at = |at: usize| u64::from_le_bytes(take(at, 8).try_into().unwrap_or([0; 8]));
        let i32_at = |at: usize| i32::from_le_bytes(take(at, 4).try_into().unwrap_or([0; 4]));
        let left = i32_at(LEFT_AT);
        let next = u64_at(NEXT_AT) as u32;
        let seeded = i32_at(SEEDED_AT) != 0;
        if !seeded || left <= 0 || left as usize > N || next as usize > N {
            return None;
        }
        let mut state = [0u32; N];
        for (i, w) in state.iter_mut().enumerate() {
            *w = u64_at(WORDS_AT + i * 8) as u32;
        }
        let float_at = u32::from_le_bytes(take(FLOAT_NORMAL_AT, 4).try_into().unwrap_or([0; 4]));
        Some(Mt19937 {
            state,
            left: left as u32,
            next,
            seeded,
            seed: u64_at(SEED_AT),
            next_double_normal: (i32_at(NORMAL_VALID_AT) != 0)
                .then(|| f64::from_bits(u64_at(NORMAL_Y_AT))),
            next_float_normal: (b[FLOAT_NORMAL_VALID_AT] != 0).then(|| f32::from_bits(float_at)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_sequence() {
        // std::mt19937 seeded with 5489: the 10000th output is 4123659995.
        let mut g = Mt19937::new(5489);
        let mut last = 0;
        for _ in 0..10000 {
            last = g.next_u32();
        }
        assert_eq!(last, 4123659995);
    }

    #[test]
    fn state_round_trips() {
        let mut g = Mt19937::new(7);
        g.normal_f64();
        let mut h = Mt19937::from_bytes(&g.to_bytes()).unwrap();
        assert_eq!(g.next_u32(), h.next_u32());
        assert_eq!(g.next_double_normal, h.next_double_normal);
    }

    #[test]
    fn state_has_pytorchs_layout() {
        // PyTorch's torch.Generator().get_state(): seed 67280421310721, left 1, seeded,
        // next 0; after 624 float draws from seed 1: left 1, next 624.
        let b = Mt19937::new(67280421310721).to_bytes();
        assert_eq!(b.len(), 5056);
        assert_eq!(
            &b[..24],
            &[1, 209, 156, 241, 48, 61, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        );
        let mut g = Mt19937::new(1);
        for _ in 0..624 {
            g.next_u32();
        }
        let b = g.to_bytes();
        assert_eq!(
            &b[8..24],
            &[1, 0, 0, 0, 1, 0, 0, 0, 112, 2, 0, 0, 0, 0, 0, 0]
        );
        assert!(Mt19937::from_bytes(&[0; 5056]).is_none());
    }
}
