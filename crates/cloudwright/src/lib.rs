//! The `cloudwright` command line. `main` parses arguments, runs a command and maps the outcome to an
//! exit code: 0 nothing at or above `--fail-on`, 1 findings at or above it, 2 the tool failed.

mod args;
mod commands;
mod printer;

use std::process::ExitCode;

use clap::Parser;

pub use args::{Cli, Command};

/// What a command tells `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Findings,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            printer::error(&err);
            ExitCode::from(2)
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        None => commands::scan::run(&cli.scan),
        Some(Command::Scan(args)) => commands::scan::run(&args),
        Some(Command::Fix(args)) => commands::fix::run(&args),
        Some(Command::Rules(args)) => commands::rules::list(&args),
        Some(Command::Rule(args)) => commands::rules::show(&args),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
