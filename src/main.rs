//! The `lintmux` binary: parse the command line, run, exit with lintmux's exit code. Errors that stop a
//! command are printed once, here, as `lintmux: <error>`, with control characters escaped.

use clap::Parser;

fn main() {
    let opts = lintmux::cli::Opts::parse();
    let code = match lintmux::run(opts) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("lintmux: {}", lintmux::report::escape::lines(&format!("{err:#}")));
            lintmux::ExitCode::Error
        }
    };
    std::process::exit(code as i32);
}
