//! Throughput of the Dockerfile parser and model over the fixture corpus, repeated to ~50 MB.
//!
//! `cargo run --release -p cw_model --example throughput [MB]`

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use cw_model::dockerfile::Dockerfile;

#[expect(clippy::disallowed_methods, reason = "a benchmark reads its corpus")]
fn corpus() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../cw_syntax/tests/data");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus")
        .filter_map(|e| std::fs::read_to_string(e.expect("entry").path()).ok())
        .collect();
    files.sort();
    files
}

/// CPU time of this thread in seconds (Linux), so that a busy shared machine does not skew the
/// figures; wall time where it is not available.
#[expect(clippy::disallowed_methods, reason = "a benchmark reads its CPU clock")]
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

#[expect(
    clippy::cast_precision_loss,
    reason = "byte and file counts far below 2^52"
)]
fn measure(name: &str, files: &[String], rounds: usize, f: impl Fn(&str) -> usize) {
    let only = std::env::args().nth(2);
    if only.is_some_and(|o| !name.contains(o.as_str())) {
        return;
    }
    let bytes: usize = files.iter().map(String::len).sum::<usize>() * rounds;
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let mut sink = 0;
    for _ in 0..rounds {
        for file in files {
            sink += f(black_box(file));
        }
    }
    let wall = start.elapsed().as_secs_f64();
    let secs = match (cpu_start, cpu_seconds()) {
        (Some(a), Some(b)) => b - a,
        _ => wall,
    };
    let files_per_s = (files.len() * rounds) as f64 / secs;
    #[expect(clippy::print_stdout, reason = "the benchmark's report")]
    {
        println!(
            "{name:>26}: {:>6.1} MB/s  {:>8.0} files/s  ({:.1} MB in {secs:.2} s CPU, {wall:.2} s wall, {sink} items)",
            bytes as f64 / secs / 1e6,
            files_per_s,
            bytes as f64 / 1e6,
        );
    }
}

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50);
    let files = corpus();
    let size: usize = files.iter().map(String::len).sum();
    let rounds = (mb * 1_000_000).div_ceil(size.max(1));
    // One big file as well: the fixtures joined, without their directives.
    let big: String = files
        .iter()
        .map(|f| {
            f.trim_start_matches('\u{feff}')
                .replace("# escape=`", "# escape")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let big_rounds = (mb * 1_000_000).div_ceil(big.len());
    let big = vec![big.repeat(big_rounds)];

    measure("parse (files)", &files, rounds, |t| {
        cw_syntax::dockerfile::parse(t).instructions.len()
    });
    measure("parse (one big file)", &big, 1, |t| {
        cw_syntax::dockerfile::parse(t).instructions.len()
    });
    measure("parse + build (files)", &files, rounds, |t| {
        Dockerfile::from_source(t).runs.len()
    });
    measure("parse + build (big file)", &big, 1, |t| {
        Dockerfile::from_source(t).runs.len()
    });
}
