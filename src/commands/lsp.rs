//! `lintmux lsp`: a language server on stdin and stdout, for editors (see [`crate::lsp`]). It serves until
//! the client says `exit`, or the command is interrupted.

use super::context::Cx;
use super::exit::ExitCode;

pub(crate) fn run(cx: &Cx) -> anyhow::Result<ExitCode> {
    let (connection, io) = lsp_server::Connection::stdio();
    let setup = crate::lsp::Setup {
        cache: crate::engine::writable_cache_dir(),
        supervisor: std::env::current_exe().ok(),
    };
    crate::lsp::serve(&connection, setup, cx.cancel)?;
    drop(connection);
    io.join()?;
    Ok(ExitCode::Clean)
}
