//! The `lintmux` binary: parse the command line, run, exit with lintmux's exit code. Errors that stop a
//! command are printed once, here, as `lintmux: <error>`, with control characters escaped.

use clap::Parser;

fn main() {
    // lintmux started again as the supervisor of one linter process (see engine/process/supervise.rs).
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == lintmux::SUPERVISE_ARG) {
        std::process::exit(lintmux::supervise_main(&args[2..]));
    }
    let opts = lintmux::cli::Opts::parse();
    let code = match lintmux::run(opts) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("lintmux: {}", lintmux::escape_lines(&format!("{err:#}")));
            lintmux::ExitCode::Error
        }
    };
    std::process::exit(code as i32);
}
