//! What lintmux's container image relies on, checked without building it (`.ci/image-test` builds and runs
//! the image itself, on podman and Docker): the pinned tools found in a directory of their own
//! (`LINTMUX_TOOLS_DIR`, read-only in the image) apart from the cache that results go to, a run that
//! still works when the cache directory cannot be written, and the image's labels naming the same pins as
//! linters.d.

use crate::support::{TestEnv, code, finding_keys, json, manifest_dir, shared_cache, stderr};

const SHELL_DEFECT: &str = "#!/bin/sh\necho $1\n";

fn entries(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.count())
}

#[test]
fn tools_come_from_lintmux_tools_dir_and_results_go_to_the_cache() {
    let env = TestEnv::with_files(&[("run.sh", SHELL_DEFECT)]).with_own_cache();
    // The shared cache holds the pinned shellcheck (installed there on first use by any test).
    assert_eq!(code(&TestEnv::new().run(&["install", "shellcheck"])), 0);
    let run = || {
        env.cmd()
            .env("LINTMUX_TOOLS_DIR", shared_cache().join("tools"))
            .args(["check", "--format", "json", "--no-install"])
            .output()
            .expect("lintmux runs")
    };
    let out = run();
    assert_eq!(code(&out), 0, "{}", stderr(&out)); // SC2086 is a note
    assert_eq!(
        finding_keys(&json(&out)),
        [("shellcheck".into(), "SC2086".into(), "run.sh".into(), 2)]
    );
    assert!(!env.cache.join("tools").exists(), "nothing installed into the cache");
    assert!(entries(&env.cache.join("results")) > 0, "results are cached");
    assert_eq!(json(&run())["findings"], json(&out)["findings"], "and read back");
}

#[test]
fn a_cache_dir_that_cannot_be_written_falls_back_to_a_temporary_one() {
    let env = TestEnv::with_files(&[("run.sh", SHELL_DEFECT)]);
    assert_eq!(code(&env.run(&["install", "shellcheck"])), 0);
    let tmp = env.dir.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    // Below a regular file: no user (root included) can create it.
    let unwritable = manifest_dir().join("Cargo.toml").join("cache");
    let out = env
        .cmd()
        .env("LINTMUX_CACHE_DIR", &unwritable)
        .env("LINTMUX_TOOLS_DIR", shared_cache().join("tools"))
        .env("TMPDIR", &tmp)
        .args(["check", "--format", "json", "--no-install"])
        .output()
        .expect("lintmux runs");
    assert_eq!(code(&out), 0, "{}", stderr(&out)); // SC2086 is a note
    assert_eq!(finding_keys(&json(&out)).len(), 1);
    // SAFETY: getuid cannot fail.
    let uid = unsafe { libc::getuid() };
    let fallback = tmp.join(format!("lintmux-cache-{uid}"));
    assert_eq!(
        stderr(&out),
        format!(
            "lintmux: note: the cache directory {} cannot be written; this run uses {} (results are not kept: make the cache directory writable, or mount a volume there)\n",
            unwritable.display(),
            fallback.display()
        )
    );
    assert!(
        entries(&fallback.join("results")) > 0,
        "results went to the temporary cache"
    );
}

#[test]
fn the_image_labels_name_the_pins_of_linters_d_and_the_version() {
    let containerfile = std::fs::read_to_string(manifest_dir().join("Containerfile")).expect("Containerfile");
    let mut labelled: Vec<(String, String)> = regex::Regex::new(r#"org\.lintmux\.linter\.([\w-]+)="([^"]+)""#)
        .unwrap()
        .captures_iter(&containerfile)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect();
    labelled.sort();
    let pin = regex::Regex::new(r#"pin = "([^"]+)""#).unwrap();
    let mut pinned = Vec::new();
    for entry in std::fs::read_dir(manifest_dir().join("linters.d")).unwrap() {
        let path = entry.unwrap().path();
        // types.toml is the file-type table, not a linter.
        if path.extension().is_some_and(|e| e == "toml") && !path.ends_with("types.toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            pinned.push((name, pin.captures(&text).expect("a pin")[1].to_owned()));
        }
    }
    pinned.sort();
    assert_eq!(
        labelled, pinned,
        "update the org.lintmux.linter.* labels in Containerfile"
    );
    assert!(
        containerfile.contains(&format!("ARG VERSION={}\n", env!("CARGO_PKG_VERSION"))),
        "Containerfile's ARG VERSION is not Cargo.toml's version"
    );
}
