//! Small, seedable generators whose streams depend only on `(seed, stream index)`.
//!
//! Every chunk of trajectories gets its own stream, so a run does not depend on how chunks
//! are spread over threads. [`xorshift64`] is cheap enough to run in vector lanes; its output
//! is only ever read through its high bits ([`unit_open`], [`below`]), which are its good ones.

/// SplitMix64's finaliser: a bijective mix of 64 bits.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The non-zero initial state of stream `index` under `seed`.
pub fn stream_state(seed: u64, index: u64) -> u64 {
    let s = mix64(mix64(seed ^ 0x9e37_79b9_7f4a_7c15).wrapping_add(mix64(index)));
    if s == 0 {
        0x2545_f491_4f6c_dd1d
    } else {
        s
    }
}

/// One step of Marsaglia's xorshift64 (13, 7, 17); never maps a non-zero state to zero.
#[inline(always)]
pub fn xorshift64(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^ (x << 17)
}

/// A float in `[0, 1)` from the high 52 bits: built from the bits, no integer conversion, so
/// it vectorises.
#[inline(always)]
pub fn unit(x: u64) -> f64 {
    f64::from_bits((x >> 12) | 0x3ff0_0000_0000_0000) - 1.0
}

/// A float in `(0, 1)`, never 0 nor 1: the high 52 bits plus one half, over `2^52`.
pub fn unit_open(x: u64) -> f64 {
    ((x >> 12) as f64 + 0.5) * (1.0 / (1u64 << 52) as f64)
}

/// An index in `0..n` from the high 32 bits (multiply-shift; bias below 2^-32 · n).
#[inline(always)]
pub fn below(x: u64, n: u64) -> usize {
    (((x >> 32) * n) >> 32) as usize
}

/// A sequential generator for the scalar code paths (exact mode, data, label noise).
#[derive(Clone, Debug)]
pub struct Stream(u64);

impl Stream {
    /// Stream `index` of `seed`.
    pub fn new(seed: u64, index: u64) -> Stream {
        Stream(stream_state(seed, index))
    }

    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = xorshift64(self.0);
        mix64(self.0)
    }

    /// A float in `(0, 1)`.
    pub fn open01(&mut self) -> f64 {
        unit_open(self.next_u64())
    }

    /// An index in `0..n`.
    pub fn index(&mut self, n: usize) -> usize {
        below(self.next_u64(), n as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_and_are_reproducible() {
        assert_eq!(stream_state(7, 3), stream_state(7, 3));
        assert_ne!(stream_state(7, 3), stream_state(7, 4));
        assert_ne!(stream_state(7, 3), stream_state(8, 3));
    }

    #[test]
    fn unit_floats_stay_in_range() {
        for x in [0, 1, u64::MAX, 1 << 63] {
            assert!((0.0..1.0).contains(&unit(x)));
            let v = unit_open(x);
            assert!(v > 0.0 && v < 1.0);
            assert!(below(x, 5) < 5);
        }
    }

    #[test]
    fn uniform_mean_is_about_one_half() {
        let mut s = Stream::new(1, 0);
        let mean = (0..100_000).map(|_| s.open01()).sum::<f64>() / 1e5;
        assert!((mean - 0.5).abs() < 0.005, "{mean}");
    }
}
