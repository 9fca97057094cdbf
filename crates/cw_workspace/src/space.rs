//! The scan's address space: every file that takes part in a multi-file check (Kubernetes objects
//! checked against each other, Kustomize renders) gets a base offset, so that one `TextRange` says
//! which file and where.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use cw_model::kustomize::{Loaded, Loader};

use crate::scan::{ReadError, read_text};

#[derive(Default)]
pub(crate) struct Space {
    next: AtomicU64,
    /// `(base, len, path)` of every placed file.
    placed: Mutex<Vec<(u32, u32, String)>>,
    /// Texts read for Kustomize renders (kept while the phase runs).
    texts: Mutex<HashMap<String, Loaded>>,
}

impl Space {
    /// Places a file of `len` bytes; `None` when the space is full (4 GiB of manifests).
    pub(crate) fn place(&self, path: &str, len: usize) -> Option<u32> {
        let len = u32::try_from(len).ok()?;
        // One byte of gap, so that an empty range at a file's end never touches the next file.
        let base = self.next.fetch_add(u64::from(len) + 1, Ordering::Relaxed);
        let base = u32::try_from(base).ok()?;
        base.checked_add(len)?;
        self.placed
            .lock()
            .expect("invariant: no panics while locked")
            .push((base, len, path.to_string()));
        Some(base)
    }

    /// The placed files, sorted by base, for [`locate`].
    pub(crate) fn table(&self) -> Vec<(u32, u32, String)> {
        let mut t = self
            .placed
            .lock()
            .expect("invariant: no panics while locked")
            .clone();
        t.sort_by_key(|(b, _, _)| *b);
        t
    }

    /// The texts read for Kustomize renders, `(base, text)` sorted by base.
    pub(crate) fn texts(&self) -> Vec<(u32, Arc<str>)> {
        let texts = self
            .texts
            .lock()
            .expect("invariant: no panics while locked");
        let mut out: Vec<_> = texts.values().map(|l| (l.base, l.text.clone())).collect();
        out.sort_by_key(|(b, _)| *b);
        out
    }

    pub(crate) fn drop_texts(&self) {
        self.texts
            .lock()
            .expect("invariant: no panics while locked")
            .clear();
    }
}

/// The file of `table` that holds `offset`: its index.
pub(crate) fn locate(table: &[(u32, u32, String)], offset: u32) -> Option<usize> {
    let i = table
        .partition_point(|(b, _, _)| *b <= offset)
        .checked_sub(1)?;
    let (base, len, _) = &table[i];
    (offset <= base + len).then_some(i)
}

/// Reads the files a Kustomize render asks for, relative to the scan base.
pub(crate) struct FsLoader<'a> {
    pub space: &'a Space,
    pub base: &'a Path,
    pub max_file_size: u64,
}

impl Loader for FsLoader<'_> {
    fn load(&self, path: &str) -> Result<Loaded, String> {
        if let Some(l) = self
            .space
            .texts
            .lock()
            .expect("invariant: no panics while locked")
            .get(path)
        {
            return Ok(l.clone());
        }
        let text = match read_text(&self.base.join(path), self.max_file_size) {
            Ok(t) => t,
            Err(ReadError::TooLarge(len)) => {
                return Err(format!(
                    "{len} bytes is over the size cap (`max-file-size`)"
                ));
            }
            Err(ReadError::NotUtf8(at)) => {
                return Err(format!("not UTF-8 text (invalid byte at offset {at})"));
            }
            Err(ReadError::Io(e)) => return Err(e.to_string()),
        };
        let mut texts = self
            .space
            .texts
            .lock()
            .expect("invariant: no panics while locked");
        if let Some(l) = texts.get(path) {
            return Ok(l.clone());
        }
        let base = self
            .space
            .place(path, text.len())
            .ok_or_else(|| "too many manifests in one scan".to_string())?;
        let loaded = Loaded {
            text: Arc::from(text),
            base,
        };
        texts.insert(path.to_string(), loaded.clone());
        Ok(loaded)
    }

    fn is_dir(&self, path: &str) -> bool {
        self.base.join(path).is_dir()
    }
}
