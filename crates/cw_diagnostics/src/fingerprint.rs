/// FNV-1a, 64 bit: a stable hash (the same on every platform and release) for fingerprints.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Builds fingerprints from parts, separated so that `("ab","c")` and `("a","bc")` differ.
#[derive(Default)]
pub struct Fingerprinter {
    buf: Vec<u8>,
}

impl Fingerprinter {
    pub fn new() -> Self {
        Self::default()
    }

    #[must_use]
    pub fn part(mut self, s: &str) -> Self {
        self.buf.extend_from_slice(s.as_bytes());
        self.buf.push(0x1f);
        self
    }

    /// Adds `s` with runs of white space folded to one space and the ends trimmed.
    #[must_use]
    pub fn normalized(mut self, s: &str) -> Self {
        let mut first = true;
        for word in s.split_whitespace() {
            if !first {
                self.buf.push(b' ');
            }
            first = false;
            self.buf.extend_from_slice(word.as_bytes());
        }
        self.buf.push(0x1f);
        self
    }

    pub fn finish(&self) -> String {
        format!("{:016x}", fnv1a64(&self.buf))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_separated() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        let a = Fingerprinter::new().part("ab").part("c").finish();
        let b = Fingerprinter::new().part("a").part("bc").finish();
        assert_ne!(a, b);
        let c = Fingerprinter::new().normalized("RUN  a \n b").finish();
        let d = Fingerprinter::new().normalized("RUN a b").finish();
        assert_eq!(c, d);
    }
}
