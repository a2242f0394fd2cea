//! Test support: loads output recorded from the real tools (tests/fixtures/<tool>/<version>/<case>.*),
//! with the recording's `@ROOT@` placeholder replaced by the root the test's [`Ctx`] uses.

use std::path::Path;

use super::Ctx;

pub(crate) const ROOT: &str = "/repo";

pub(crate) struct Recorded {
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) status: i32,
}

pub(crate) fn recorded(tool: &str, version: &str, case: &str) -> Recorded {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(tool)
        .join(version);
    let read = |ext: &str| {
        let path = dir.join(format!("{case}.{ext}"));
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("missing fixture {}: {e}", path.display()))
            .replace("@ROOT@", ROOT)
    };
    Recorded {
        stdout: read("stdout"),
        stderr: read("stderr"),
        status: read("status").trim().parse().expect("status file holds a number"),
    }
}

pub(crate) fn ctx(linter: &str) -> Ctx {
    Ctx::new(linter, Path::new(ROOT))
}
