//! The Mersenne Twister (MT19937) that PyTorch's CPU generator uses, so that the same
//! seed yields the same numbers as PyTorch.

const N: usize = 624;
const M: usize = 397;

#[derive(Clone)]
pub struct Mt19937 {
    state: [u32; N],
    index: usize,
    seed: u64,
    /// Box–Muller's second value, kept for the next double normal sample.
    pub next_double_normal: Option<f64>,
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
            index: N,
            seed,
            next_double_normal: None,
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
        self.index = 0;
    }

    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
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

    /// The full state, for `get_state`/`set_state`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(N * 4 + 32);
        for w in self.state {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out.extend_from_slice(&(self.index as u64).to_le_bytes());
        out.extend_from_slice(&self.seed.to_le_bytes());
        let (flag, v) = match self.next_double_normal {
            Some(v) => (1u64, v),
            None => (0, 0.0),
        };
        out.extend_from_slice(&flag.to_le_bytes());
        out.extend_from_slice(&v.to_le_bytes());
        out
    }

    pub fn from_bytes(b: &[u8]) -> Option<Mt19937> {
        if b.len() != N * 4 + 32 {
            return None;
        }
        let mut state = [0u32; N];
        for (i, w) in state.iter_mut().enumerate() {
            *w = u32::from_le_bytes(b[i * 4..i * 4 + 4].try_into().ok()?);
        }
        let word =
            |k: usize| u64::from_le_bytes(b[N * 4 + k * 8..N * 4 + k * 8 + 8].try_into().unwrap());
        let index = word(0) as usize;
        if index > N {
            return None;
        }
        let next = if word(2) == 1 {
            Some(f64::from_bits(word(3)))
        } else {
            None
        };
        Some(Mt19937 {
            state,
            index,
            seed: word(1),
            next_double_normal: next,
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
}
