//! Tests that scan a small tree written to a temporary directory.

use std::convert::Infallible;

use cw_linter::Settings;

use crate::scan::{DEFAULT_MAX_FILE_SIZE, Scan, ScanOptions};

/// Writes `files` (relative path, text) to a temporary directory, scans it with `settings`, and
/// returns each finding as `path:line CODE message`, in stream order.
pub(crate) fn scan_tree(files: &[(&str, &str)], settings: Settings) -> Vec<String> {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (rel, text) in files {
        let path = tmp.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let opts = ScanOptions {
        roots: vec![tmp.path().to_path_buf()],
        base: tmp.path().to_path_buf(),
        settings,
        exclude: Vec::new(),
        max_file_size: DEFAULT_MAX_FILE_SIZE,
        threads: 2,
        terraform: Vec::new(),
    };
    let mut found = Vec::new();
    Scan::walk(&opts)
        .expect("walk")
        .lint(&|_, _| {}, |file| {
            found.extend(file);
            Ok::<_, Infallible>(())
        })
        .expect("the sink never fails");
    found
        .iter()
        .map(|d| format!("{}:{} {} {}", d.path, d.start.line, d.code(), d.message))
        .collect()
}
