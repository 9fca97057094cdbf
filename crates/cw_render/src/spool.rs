//! Bytes kept to be copied out later: in memory up to a limit, then in a temporary file, so that a
//! format that prints totals before its parts (JUnit) holds a bounded amount however long the report.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Seek as _, SeekFrom, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes held in memory before the spool moves to a temporary file.
const MEMORY_LIMIT: usize = 4 << 20;

#[derive(Debug)]
pub(crate) struct Spool {
    memory: Vec<u8>,
    file: Option<BufWriter<File>>,
    /// `MEMORY_LIMIT`, or no limit once a temporary file could not be made.
    limit: usize,
}

impl Default for Spool {
    fn default() -> Self {
        Self {
            memory: Vec::new(),
            file: None,
            limit: MEMORY_LIMIT,
        }
    }
}

impl Spool {
    /// Writes everything spooled so far to `out`.
    pub(crate) fn copy_to(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&self.memory)?;
        if let Some(file) = &mut self.file {
            file.flush()?;
            let file = file.get_mut();
            file.seek(SeekFrom::Start(0))?;
            io::copy(file, out)?;
        }
        Ok(())
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.file.is_none() && self.memory.len() + buf.len() > self.limit {
            match temp_file() {
                Ok(mut file) => {
                    file.write_all(&self.memory)?;
                    self.memory = Vec::new();
                    self.file = Some(file);
                }
                Err(_) => self.limit = usize::MAX,
            }
        }
        match &mut self.file {
            Some(file) => file.write_all(buf)?,
            None => self.memory.extend_from_slice(buf),
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A new file in the temporary directory, readable only by its owner and gone once closed: unlinked at
/// once (Windows deletes it on close instead).
fn temp_file() -> io::Result<BufWriter<File>> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let path = std::env::temp_dir().join(format!(
        "cloudwright-{}-{nanos}-{}.spool",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let mut options = OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    #[cfg(windows)]
    {
        const FILE_ATTRIBUTE_TEMPORARY: u32 = 0x100;
        const FILE_FLAG_DELETE_ON_CLOSE: u32 = 0x0400_0000;
        std::os::windows::fs::OpenOptionsExt::custom_flags(
            &mut options,
            FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE,
        );
    }
    let file = options.open(&path)?;
    #[cfg(not(windows))]
    std::fs::remove_file(&path)?;
    Ok(BufWriter::new(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spools_past_the_memory_limit_in_order() {
        let mut spool = Spool::default();
        let line = [b'x'; 1000];
        let mut expected = Vec::new();
        for i in 0..(2 * MEMORY_LIMIT / line.len()) {
            let chunk = format!("{i}:");
            spool.write_all(chunk.as_bytes()).expect("write");
            spool.write_all(&line).expect("write");
            expected.extend_from_slice(chunk.as_bytes());
            expected.extend_from_slice(&line);
        }
        assert!(spool.file.is_some(), "spilled to a file");
        assert!(spool.memory.capacity() <= MEMORY_LIMIT);
        let mut out = Vec::new();
        spool.copy_to(&mut out).expect("copy");
        assert!(out == expected, "the spooled bytes come back unchanged");
    }
}
