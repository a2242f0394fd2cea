//! Turning targets and linters into jobs. A job is one linter on one batch of files (or on all its files
//! at once, for whole-project linters such as mypy). Batches are split so that both the argument-length
//! limit holds and, when a linter has many files, every worker of the pool gets a share; but a batch is
//! never smaller than the definition's `min_batch`, because each process start has a cost (ESLint and
//! mypy take a good fraction of a second just to start).

use crate::catalog::{LinterDef, Mode};
use crate::walk::Target;

/// The byte budget for file arguments in one command line; far below Linux's limit (`ARG_MAX`, usually
/// 2 MiB, shared with the environment), so no system is near it.
pub const MAX_ARG_BYTES: usize = 96 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    pub linter: String,
    /// Root-relative paths, in path order.
    pub files: Vec<String>,
    /// Arguments for this job's files only (a definition's `type_args`, a configured schema).
    pub args: Vec<String>,
}

/// The files of `targets` that `def` lints.
pub fn files_for<'a>(def: &LinterDef, targets: &'a [Target]) -> Vec<&'a str> {
    targets
        .iter()
        .filter(|t| def.file_types.iter().any(|ft| ft == t.file_type))
        .map(|t| t.path.as_str())
        .collect()
}

/// How a file is written on the command line: never as something that looks like an option.
pub fn file_arg(def: &LinterDef, path: &str) -> String {
    let safe = if path.starts_with('-') {
        format!("./{path}")
    } else {
        path.to_owned()
    };
    def.file_arg.replace("{file}", &safe)
}

/// Splits one linter's files into jobs.
pub fn plan_linter(def: &LinterDef, files: &[&str], workers: usize) -> Vec<Job> {
    if files.is_empty() {
        return Vec::new();
    }
    let job = |chunk: &[&str]| Job {
        linter: def.name.clone(),
        files: chunk.iter().map(|s| (*s).to_owned()).collect(),
        args: Vec::new(),
    };
    match def.mode {
        Mode::Project => vec![job(files)],
        Mode::File => files.iter().map(|f| job(std::slice::from_ref(f))).collect(),
        Mode::Batch => {
            let min_batch = def.min_batch.max(1);
            let wanted = files.len().div_ceil(min_batch).clamp(1, workers.max(1));
            let per_chunk = files.len().div_ceil(wanted);
            let mut jobs = Vec::new();
            for chunk in files.chunks(per_chunk) {
                // Respect the argument-length budget inside each share.
                let mut start = 0;
                let mut bytes = 0;
                for (i, f) in chunk.iter().enumerate() {
                    let len = file_arg(def, f).len() + 1;
                    if i > start && bytes + len > MAX_ARG_BYTES {
                        jobs.push(job(&chunk[start..i]));
                        start = i;
                        bytes = 0;
                    }
                    bytes += len;
                }
                jobs.push(job(&chunk[start..]));
            }
            jobs
        }
    }
}

/// Orders jobs so the longest-running kinds start first: whole-project jobs, then bigger batches.
pub fn order(jobs: &mut [Job], defs: &dyn Fn(&str) -> Mode) {
    jobs.sort_by_key(|j| (defs(&j.linter) != Mode::Project, std::cmp::Reverse(j.files.len())));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn def(name: &str) -> LinterDef {
        Catalog::load(&[]).unwrap().get(name).unwrap().clone()
    }

    #[test]
    fn small_batches_stay_whole() {
        let files = ["a.sh", "b.sh", "c.sh"];
        let jobs = plan_linter(&def("shellcheck"), &files, 2);
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].files, ["a.sh", "b.sh", "c.sh"]);
    }

    #[test]
    fn big_batches_split_over_workers() {
        let names: Vec<String> = (0..100).map(|i| format!("f{i:03}.sh")).collect();
        let files: Vec<&str> = names.iter().map(String::as_str).collect();
        let jobs = plan_linter(&def("shellcheck"), &files, 2);
        assert_eq!(jobs.len(), 2);
        assert_eq!(jobs[0].files.len() + jobs[1].files.len(), 100);
    }

    #[test]
    fn argument_budget_splits() {
        let names: Vec<String> = (0..40).map(|i| format!("{}{i}.sh", "d/".repeat(2000))).collect();
        let files: Vec<&str> = names.iter().map(String::as_str).collect();
        let jobs = plan_linter(&def("shellcheck"), &files, 1);
        assert!(jobs.len() > 1);
        for j in &jobs {
            assert!(j.files.iter().map(|f| f.len() + 1).sum::<usize>() <= MAX_ARG_BYTES);
        }
        assert_eq!(jobs.iter().map(|j| j.files.len()).sum::<usize>(), 40);
    }

    #[test]
    fn project_mode_is_one_job() {
        let jobs = plan_linter(&def("mypy"), &["a.py", "b.py"], 4);
        assert_eq!(jobs.len(), 1);
    }

    #[test]
    fn dash_files_are_never_options() {
        assert_eq!(file_arg(&def("ruff"), "-rf.py"), "./-rf.py");
        assert_eq!(file_arg(&def("markdownlint-cli2"), "-x.md"), ":./-x.md");
        assert_eq!(file_arg(&def("markdownlint-cli2"), "docs/a.md"), ":docs/a.md");
    }
}
