//! What each linter costs, learnt from earlier runs, for the scheduler: the last observations of (files,
//! seconds) of every action that really ran (cache hits teach nothing), kept per linter and tool version in
//! `<cache>/costs/`, and a least-squares line through them: `seconds = startup + files × per_file`. With
//! too little history the definition's mode gives a prior.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::catalog::Mode;
use crate::plan::schedule::Cost;

/// How many observations are kept per linter.
const KEEP: usize = 16;

#[derive(Default, Serialize, Deserialize)]
struct Book {
    /// (files, seconds), oldest first.
    seen: Vec<(usize, f64)>,
}

pub(crate) struct Costs {
    dir: PathBuf,
}

impl Costs {
    pub(crate) fn new(cache: &Path) -> Costs {
        Costs {
            dir: cache.join("costs"),
        }
    }

    fn path(&self, linter: &str, version: &str) -> PathBuf {
        let id = blake3::hash(format!("{linter}\0{version}").as_bytes()).to_hex();
        self.dir.join(format!("{linter}-{}.json", &id[..12]))
    }

    fn book(&self, linter: &str, version: &str) -> Book {
        std::fs::read(self.path(linter, version))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// The estimated cost of `linter` at `version`.
    pub(crate) fn estimate(&self, linter: &str, version: &str, mode: Mode) -> Cost {
        fit(&self.book(linter, version).seen).unwrap_or_else(|| Cost::prior(mode))
    }

    /// Adds observations; failures to write only lose history.
    pub(crate) fn record(&self, linter: &str, version: &str, seen: &[(usize, f64)]) {
        if seen.is_empty() {
            return;
        }
        let mut book = self.book(linter, version);
        book.seen.extend_from_slice(seen);
        let excess = book.seen.len().saturating_sub(KEEP);
        book.seen.drain(..excess);
        let path = self.path(linter, version);
        if std::fs::create_dir_all(&self.dir).is_ok()
            && let Ok(bytes) = serde_json::to_vec(&book)
            && let Ok(mut tmp) = tempfile::NamedTempFile::new_in(&self.dir)
            && std::io::Write::write_all(&mut tmp, &bytes).is_ok()
        {
            let _ = tmp.persist(path);
        }
    }
}

/// The least-squares line through the observations, kept non-negative. One distinct file count cannot
/// separate start-up from per-file time: then half the time is taken as start-up.
fn fit(seen: &[(usize, f64)]) -> Option<Cost> {
    if seen.is_empty() {
        return None;
    }
    let n = seen.len() as f64;
    let mean_x = seen.iter().map(|(x, _)| *x as f64).sum::<f64>() / n;
    let mean_y = seen.iter().map(|(_, y)| *y).sum::<f64>() / n;
    let var: f64 = seen.iter().map(|(x, _)| (*x as f64 - mean_x).powi(2)).sum();
    if var < 1e-9 {
        let startup = mean_y / 2.0;
        return Some(Cost {
            startup,
            per_file: if mean_x > 0.0 { (mean_y - startup) / mean_x } else { 0.0 },
        });
    }
    let cov: f64 = seen.iter().map(|(x, y)| (*x as f64 - mean_x) * (y - mean_y)).sum();
    let per_file = (cov / var).max(0.0);
    let startup = (mean_y - per_file * mean_x).max(0.0);
    Some(Cost { startup, per_file })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_through_the_observations() {
        let c = fit(&[(10, 1.1), (100, 2.0), (1000, 11.0)]).unwrap();
        assert!((c.per_file - 0.01).abs() < 0.001, "{c:?}");
        assert!((c.startup - 1.0).abs() < 0.1, "{c:?}");
    }

    #[test]
    fn learnt_and_remembered_per_version() {
        let dir = tempfile::tempdir().unwrap();
        let costs = Costs::new(dir.path());
        assert_eq!(costs.estimate("ruff", "1", Mode::Batch), Cost::prior(Mode::Batch));
        costs.record("ruff", "1", &[(10, 0.2), (1000, 2.1)]);
        let c = costs.estimate("ruff", "1", Mode::Batch);
        assert!((c.per_file - 0.0019).abs() < 0.0002, "{c:?}");
        assert_eq!(costs.estimate("ruff", "2", Mode::Batch), Cost::prior(Mode::Batch));
        costs.record("ruff", "1", &vec![(5, 0.1); 40]);
        assert_eq!(costs.book("ruff", "1").seen.len(), KEEP);
    }
}
