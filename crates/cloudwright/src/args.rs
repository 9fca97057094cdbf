use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A cloud and infrastructure engineer in one fast, offline binary.
///
/// With no command, `cloudwright [PATH...]` scans.
#[derive(Debug, Parser)]
#[command(name = "cloudwright", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub scan: ScanArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find and check infrastructure code (the default command).
    Scan(ScanArgs),
    /// Apply fixes (safe ones by default).
    Fix(FixArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Show a rule's documentation.
    Rule(RuleArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Sarif,
    Junit,
    Github,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Which files and rules: shared by `scan` and `fix`.
#[derive(Debug, Clone, Args)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "command-line flags: clap fills one bool per switch"
)]
pub struct SelectionArgs {
    /// Files or directories to scan [default: .]
    pub paths: Vec<PathBuf>,
    /// Run only these rules (codes, names or prefixes such as `DKR`, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,
    /// Also run these rules.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Do not run these rules.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Skip paths matching this glob (relative to the scan base; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Use this configuration file instead of the nearest `cloudwright.toml`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// Run preview rules too.
    #[arg(long)]
    pub preview: bool,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print only findings: no summary, no progress.
    #[arg(long, short)]
    pub quiet: bool,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Colour the output [default: auto, honouring NO_COLOR].
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Set a Terraform variable in every root module: NAME=VALUE (VALUE in HCL syntax for lists
    /// and maps, as `terraform -var`). Repeatable; applies after every --var-file.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read Terraform variables from a `.tfvars` or `.tfvars.json` file, for every root module.
    /// Repeatable; later files win, after `[terraform] var-files` of the config.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Write the output to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this severity [default: error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// Show only findings at or above this severity (the exit code still follows --fail-on).
    #[arg(long, value_enum, default_value_t = SeverityArg::Info)]
    pub min_severity: SeverityArg,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in FILE as the baseline, and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Apply unsafe fixes too (they may change behaviour).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the changes as a diff instead of writing them.
    #[arg(long)]
    pub diff: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Args)]
pub struct RuleArgs {
    /// A rule code (`DKR001`) or name (`base-image-latest-tag`).
    pub rule: String,
}
