use std::process::ExitCode;

fn main() -> ExitCode {
    cloudwright::main()
}
