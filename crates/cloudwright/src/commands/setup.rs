//! From arguments and `cloudwright.toml` to scan options: shared by `scan` and `fix`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use cw_diagnostics::Severity;
use cw_linter::{PerPathIgnore, Selector, SettingsBuilder};
use cw_workspace::{
    CliInput, Config, DEFAULT_MAX_FILE_SIZE, ScanOptions, SourceFile, find_config, load_config,
    today,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::args::{ColorArg, SelectionArgs};
use crate::printer;

pub(crate) struct Setup {
    pub options: ScanOptions,
    pub config: Config,
}

pub(crate) fn setup(args: &SelectionArgs) -> anyhow::Result<Setup> {
    let roots: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let config = if args.no_config {
        Config::default()
    } else if let Some(path) = &args.config {
        load_config(path)?
    } else if let Some(path) = find_config(&roots[0]) {
        load_config(&path)?
    } else {
        Config::default()
    };
    let cfg_name = config.path.as_ref().map_or_else(
        || "the configuration".to_string(),
        |p| p.display().to_string(),
    );
    let parse = |list: &[String], what: &str| -> anyhow::Result<Vec<Selector>> {
        list.iter()
            .map(|s| {
                s.parse::<Selector>()
                    .map_err(|e| anyhow::anyhow!("{what}: {e}"))
            })
            .collect()
    };
    let select = match (&args.select, &config.select) {
        (Some(cli), _) => Some(parse(cli, "--select")?),
        (None, Some(cfg)) => Some(parse(cfg, &format!("{cfg_name}: `select`"))?),
        (None, None) => None,
    };
    let mut extend_select = parse(
        &config.extend_select,
        &format!("{cfg_name}: `extend-select`"),
    )?;
    extend_select.extend(parse(&args.extend_select, "--extend-select")?);
    let mut ignore = parse(&config.ignore, &format!("{cfg_name}: `ignore`"))?;
    ignore.extend(parse(&args.ignore, "--ignore")?);
    let severity = config
        .severity
        .iter()
        .map(|(k, v)| {
            let sel = k
                .parse::<Selector>()
                .map_err(|e| anyhow::anyhow!("{cfg_name}: [severity]: {e}"))?;
            Ok((sel, Severity::from(*v)))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let per_path = config
        .per_path
        .iter()
        .map(|p| {
            Ok(PerPathIgnore {
                paths: p.paths.clone(),
                ignore: parse(&p.ignore, &format!("{cfg_name}: [[per-path]] `ignore`"))?,
                reason: p.reason.clone(),
                expires: p.expires.map(|d| d.to_string()),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let settings = SettingsBuilder {
        select,
        extend_select,
        ignore,
        severity,
        options: config
            .rules
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        per_path,
        preview: args.preview || config.preview.unwrap_or(false),
        today: today(),
    }
    .build()
    .map_err(|e| anyhow::anyhow!("{cfg_name}: {e}"))?;
    for e in &settings.expired {
        printer::warning(&format!(
            "{cfg_name}: the [[per-path]] entry for `{}` expired on {}; it no longer suppresses anything",
            e.paths.join(", "),
            e.expires.as_deref().unwrap_or("?"),
        ));
    }
    if let Some(threads) = args.threads {
        if threads == 0 {
            bail!("--threads must be at least 1");
        }
        // Ignored when the global pool already exists (only in tests that call `run` twice).
        let _ = rayon_pool(threads);
    }
    let mut exclude = config.exclude.clone();
    exclude.extend(args.exclude.iter().cloned());
    let terraform = terraform_inputs(&config, args, &cwd)?;
    Ok(Setup {
        options: ScanOptions {
            roots,
            base: cwd,
            settings,
            exclude,
            max_file_size: config.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
            threads: args.threads.unwrap_or(0),
            terraform,
        },
        config,
    })
}

/// The Terraform variables given outside the modules, in the order they apply: the config's
/// `[terraform] var-files` (relative to the config file), `--var-file`, then `--var`.
fn terraform_inputs(
    config: &Config,
    args: &SelectionArgs,
    cwd: &Path,
) -> anyhow::Result<Vec<CliInput>> {
    let config_dir = config
        .path
        .as_ref()
        .and_then(|p| p.parent())
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
    let from_config = config
        .terraform
        .iter()
        .flat_map(|t| &t.var_files)
        .map(|f| (config_dir.join(f), "[terraform] var-files"));
    let from_args = args.var_files.iter().map(|f| (f.clone(), "--var-file"));
    let mut out = Vec::new();
    for (path, what) in from_config.chain(from_args) {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("{what}: cannot read `{}`", path.display()))?;
        let shown = path.strip_prefix(cwd).unwrap_or(&path);
        out.push(CliInput::VarFile(SourceFile::new(
            shown.to_string_lossy().replace('\\', "/"),
            text,
        )));
    }
    for var in &args.vars {
        match var.split_once('=') {
            Some((name, _)) if is_identifier(name) => out.push(CliInput::Var(var.clone())),
            _ => bail!("--var `{var}`: expected NAME=VALUE"),
        }
    }
    Ok(out)
}

/// A Terraform variable name: a letter or `_`, then letters, digits, `_` and `-`.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn rayon_pool(threads: usize) -> Result<(), String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .map_err(|e| e.to_string())
}

/// Whether to colour output written to standard output.
pub(crate) fn use_color(arg: ColorArg, to_file: bool) -> bool {
    match arg {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            !to_file
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && printer::stdout_is_terminal()
        }
    }
}

/// A progress bar on stderr that appears only when the scan takes longer than a second and stderr
/// is a terminal.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: OnceLock<()>,
}

impl Progress {
    pub(crate) fn new(args: &SelectionArgs) -> Self {
        let enabled = !args.no_progress && !args.quiet && printer::stderr_is_terminal();
        Self {
            bar: enabled.then(|| ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())),
            started: Instant::now(),
            shown: OnceLock::new(),
        }
    }

    pub(crate) fn tick(&self, done: usize, total: usize) {
        let Some(bar) = &self.bar else { return };
        if self.started.elapsed() < Duration::from_secs(1) {
            return;
        }
        self.shown.get_or_init(|| {
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} scanning {pos}/{len} files {wide_bar} {eta}",
                )
                .expect("invariant: a valid template"),
            );
            bar.set_length(total as u64);
            bar.set_draw_target(ProgressDrawTarget::stderr());
        });
        bar.set_position(done as u64);
    }

    /// The bar, when it may appear.
    pub(crate) fn bar(&self) -> Option<&ProgressBar> {
        self.bar.as_ref()
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
