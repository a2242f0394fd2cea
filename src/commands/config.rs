//! `lintmux config`: the effective configuration, each value with the `file:line` it came from (or
//! `default`).

use super::context::Cx;
use super::exit::ExitCode;

pub(crate) fn run(cx: &Cx) -> anyhow::Result<ExitCode> {
    let ws = cx.open(&[])?;
    let mut out = std::io::stdout().lock();
    crate::config::write_effective(&ws.config, &mut out)?;
    Ok(ExitCode::Clean)
}
