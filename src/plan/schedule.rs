//! Turning each linter's files into batches, and ordering them. A batch is one linter on some of its files
//! (all of them, for whole-project linters such as mypy); each becomes one action.
//!
//! The scheduler works from costs: each linter's start-up time and time per file, learnt from earlier runs
//! (see `costs`), or a prior when there is no history. It starts with one batch per linter, then splits
//! the batch that ends last for as long as that shortens the run: a split pays one more start-up, so a
//! linter whose start-up costs more than the split gains is not split, and no batch is smaller than the
//! definition's `min_batch`. Batches then start longest first (longest processing time first), so the
//! longest chain is never left for the end. Each batch also stays under the argument-length budget.

use crate::catalog::Mode;

/// The byte budget for file arguments in one command line; far below Linux's limit (`ARG_MAX`, usually
/// 2 MiB, shared with the environment), so no system is near it.
pub(crate) const MAX_ARG_BYTES: usize = 96 * 1024;

/// Seconds a linter takes: `startup + files × per_file`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Cost {
    pub(crate) startup: f64,
    pub(crate) per_file: f64,
}

impl Cost {
    /// What to assume with no history: project linters (type checkers) are slow to start and per file.
    pub(crate) fn prior(mode: Mode) -> Cost {
        match mode {
            Mode::Project => Cost {
                startup: 1.0,
                per_file: 0.01,
            },
            Mode::Batch | Mode::File => Cost {
                startup: 0.2,
                per_file: 0.002,
            },
        }
    }

    pub(crate) fn of(&self, files: usize) -> f64 {
        self.startup + self.per_file * files as f64
    }
}

/// One linter's share of the work, as the scheduler sees it.
pub(crate) struct Work<'a> {
    pub(crate) linter: &'a str,
    pub(crate) mode: Mode,
    pub(crate) files: Vec<&'a str>,
    pub(crate) min_batch: usize,
    pub(crate) cost: Cost,
    /// How one file is written on the command line (`{file}` is its path).
    pub(crate) file_arg: &'a str,
    /// Arguments for these files only (a definition's `type_args`, a configured schema): a linter whose
    /// files need different arguments is several works.
    pub(crate) args: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Batch {
    pub(crate) linter: String,
    /// Root-relative paths, in path order.
    pub(crate) files: Vec<String>,
    /// Arguments for this batch's files only.
    pub(crate) args: Vec<String>,
}

/// How a file is written on the command line: never as something that looks like an option.
pub(crate) fn file_arg(template: &str, path: &str) -> String {
    let safe = if path.starts_with('-') {
        format!("./{path}")
    } else {
        path.to_owned()
    };
    template.replace("{file}", &safe)
}

/// How many parts each linter's files are split into for `workers` workers.
fn parts(work: &[Work], workers: usize) -> Vec<usize> {
    let mut parts: Vec<usize> = work
        .iter()
        .map(|w| match w.mode {
            Mode::File => w.files.len().max(1),
            _ => 1,
        })
        .collect();
    let workers = workers.max(1) as f64;
    let part_len = |w: &Work, k: usize| w.cost.of(w.files.len().div_ceil(k.max(1)));
    loop {
        let total: f64 = work.iter().zip(&parts).map(|(w, &k)| part_len(w, k) * k as f64).sum();
        // The batch that ends last, if it can be split.
        let Some((i, longest)) = work
            .iter()
            .zip(&parts)
            .enumerate()
            .filter(|(_, (w, _))| w.mode == Mode::Batch)
            .map(|(i, (w, &k))| (i, part_len(w, k)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
        else {
            break;
        };
        let w = &work[i];
        let k = parts[i];
        let can_split = w.files.len() / (k + 1) >= w.min_batch.max(1);
        // Worth it only if it is the bottleneck (longer than an even share of all the work) and the time
        // it saves exceeds the start-up it adds.
        let gain = longest - part_len(w, k + 1);
        if !can_split || longest <= total / workers || gain <= w.cost.startup {
            break;
        }
        parts[i] += 1;
    }
    parts
}

/// Splits every linter's files into batches and orders them longest first.
pub(crate) fn schedule(work: &[Work], workers: usize) -> Vec<Batch> {
    let parts = parts(work, workers);
    let mut batches: Vec<(f64, Batch)> = Vec::new();
    for (w, k) in work.iter().zip(parts) {
        if w.files.is_empty() {
            continue;
        }
        let per_part = w.files.len().div_ceil(k.max(1));
        for chunk in w.files.chunks(per_part.max(1)) {
            // Respect the argument-length budget inside each part (not for project linters: they take
            // their files as one program).
            let mut start = 0;
            let mut bytes = 0;
            for (i, f) in chunk.iter().enumerate() {
                let len = file_arg(w.file_arg, f).len() + 1;
                if w.mode != Mode::Project && i > start && bytes + len > MAX_ARG_BYTES {
                    batches.push(batch(w, &chunk[start..i]));
                    start = i;
                    bytes = 0;
                }
                bytes += len;
            }
            batches.push(batch(w, &chunk[start..]));
        }
    }
    // Longest first; ties in a fixed order so runs are reproducible.
    batches.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| a.1.linter.cmp(&b.1.linter))
            .then_with(|| a.1.files.cmp(&b.1.files))
    });
    batches.into_iter().map(|(_, b)| b).collect()
}

fn batch(w: &Work, files: &[&str]) -> (f64, Batch) {
    (
        w.cost.of(files.len()),
        Batch {
            linter: w.linter.to_owned(),
            files: files.iter().map(|s| (*s).to_owned()).collect(),
            args: w.args.clone(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work<'a>(linter: &'a str, mode: Mode, files: &[&'a str], cost: Cost) -> Work<'a> {
        Work {
            linter,
            mode,
            files: files.to_vec(),
            min_batch: 1,
            cost,
            file_arg: "{file}",
            args: Vec::new(),
        }
    }

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("f{i:05}.py")).collect()
    }

    #[test]
    fn small_batches_stay_whole() {
        let b = schedule(
            &[work(
                "sh",
                Mode::Batch,
                &["a.sh", "b.sh", "c.sh"],
                Cost::prior(Mode::Batch),
            )],
            2,
        );
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].files, ["a.sh", "b.sh", "c.sh"]);
    }

    #[test]
    fn a_big_batch_is_split_over_the_workers() {
        let n = names(1000);
        let files: Vec<&str> = n.iter().map(String::as_str).collect();
        let cost = Cost {
            startup: 0.1,
            per_file: 0.01,
        };
        let b = schedule(&[work("ruff", Mode::Batch, &files, cost)], 2);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].files.len() + b[1].files.len(), 1000);
    }

    #[test]
    fn an_expensive_start_up_is_not_split() {
        // 10 files at 10 ms each: a split would save 50 ms and cost a 2 s start.
        let n = names(10);
        let files: Vec<&str> = n.iter().map(String::as_str).collect();
        let cost = Cost {
            startup: 2.0,
            per_file: 0.01,
        };
        assert_eq!(schedule(&[work("eslint", Mode::Batch, &files, cost)], 2).len(), 1);
    }

    #[test]
    fn splitting_stops_when_others_fill_the_workers() {
        // A long project run already fills one worker: ruff gets the other, unsplit.
        let n = names(100);
        let files: Vec<&str> = n.iter().map(String::as_str).collect();
        let mypy = Cost {
            startup: 1.0,
            per_file: 0.1,
        };
        let ruff = Cost {
            startup: 0.05,
            per_file: 0.01,
        };
        let b = schedule(
            &[
                work("mypy", Mode::Project, &files, mypy),
                work("ruff", Mode::Batch, &files, ruff),
            ],
            2,
        );
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].linter, "mypy", "the longest starts first");
    }

    #[test]
    fn longest_first_from_recorded_costs() {
        let quick = Cost {
            startup: 0.01,
            per_file: 0.001,
        };
        let slow = Cost {
            startup: 3.0,
            per_file: 0.001,
        };
        let b = schedule(
            &[
                work("a-quick", Mode::Batch, &["x"], quick),
                work("b-slow", Mode::Batch, &["x"], slow),
            ],
            2,
        );
        assert_eq!(b[0].linter, "b-slow");
    }

    #[test]
    fn min_batch_bounds_the_split() {
        let n = names(100);
        let files: Vec<&str> = n.iter().map(String::as_str).collect();
        let mut w = work(
            "x",
            Mode::Batch,
            &files,
            Cost {
                startup: 0.0,
                per_file: 1.0,
            },
        );
        w.min_batch = 40;
        assert_eq!(schedule(&[w], 8).len(), 2);
    }

    #[test]
    fn argument_budget_splits() {
        let n: Vec<String> = (0..40).map(|i| format!("{}{i}.sh", "d/".repeat(2000))).collect();
        let files: Vec<&str> = n.iter().map(String::as_str).collect();
        let b = schedule(&[work("sh", Mode::Batch, &files, Cost::prior(Mode::Batch))], 1);
        assert!(b.len() > 1);
        for j in &b {
            assert!(j.files.iter().map(|f| f.len() + 1).sum::<usize>() <= MAX_ARG_BYTES);
        }
        assert_eq!(b.iter().map(|j| j.files.len()).sum::<usize>(), 40);
    }

    #[test]
    fn project_mode_is_one_batch_and_file_mode_one_per_file() {
        let b = schedule(
            &[work(
                "mypy",
                Mode::Project,
                &["a.py", "b.py"],
                Cost::prior(Mode::Project),
            )],
            4,
        );
        assert_eq!(b.len(), 1);
        let b = schedule(
            &[work("one", Mode::File, &["a.py", "b.py"], Cost::prior(Mode::File))],
            4,
        );
        assert_eq!(b.len(), 2);
    }

    #[test]
    fn dash_files_are_never_options() {
        assert_eq!(file_arg("{file}", "-rf.py"), "./-rf.py");
        assert_eq!(file_arg(":{file}", "-x.md"), ":./-x.md");
        assert_eq!(file_arg(":{file}", "docs/a.md"), ":docs/a.md");
    }
}
