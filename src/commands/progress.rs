//! Progress as the commands show it: the engine's events drawn as indicatif bars when stderr is a
//! terminal (a spinner per install, then one bar over all actions), and as plain lines otherwise (one per
//! install, which can take a while); nothing decorative in CI logs.

use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use super::ci::Ci;
use crate::engine::{Event, Sink};
use crate::report::escape;

/// Progress on a terminal: a spinner per install, then one bar over all actions.
struct Bars {
    multi: MultiProgress,
    installs: Mutex<Vec<(String, ProgressBar)>>,
    actions: Mutex<Option<ProgressBar>>,
}

impl Bars {
    fn new() -> Bars {
        Bars {
            multi: MultiProgress::new(),
            installs: Mutex::new(Vec::new()),
            actions: Mutex::new(None),
        }
    }
}

impl Sink for Bars {
    fn event(&self, event: &Event<'_>) {
        match *event {
            Event::InstallStarted { linter } => {
                let bar = self.multi.add(ProgressBar::new_spinner());
                bar.set_message(format!("installing {}", escape::text(linter)));
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                self.installs
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((linter.to_owned(), bar));
            }
            Event::InstallFinished { linter } => {
                let bars = self.installs.lock().unwrap_or_else(|e| e.into_inner());
                if let Some((_, bar)) = bars.iter().find(|(l, _)| l == linter) {
                    bar.finish_and_clear();
                }
            }
            Event::Planned { actions } => {
                let bar = self.multi.add(ProgressBar::new(actions as u64));
                if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} jobs {msg}") {
                    bar.set_style(style);
                }
                *self.actions.lock().unwrap_or_else(|e| e.into_inner()) = Some(bar);
            }
            Event::ActionFinished { linter, .. } => {
                if let Some(bar) = &*self.actions.lock().unwrap_or_else(|e| e.into_inner()) {
                    bar.set_message(escape::text(linter).into_owned());
                    bar.inc(1);
                }
            }
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        if let Some(bar) = &*self.actions.lock().unwrap_or_else(|e| e.into_inner()) {
            bar.finish_and_clear();
        }
    }
}

/// Without a terminal: one plain line per install, since an install can take a while.
struct Plain;

impl Sink for Plain {
    fn event(&self, event: &Event<'_>) {
        if let Event::InstallStarted { linter } = event {
            eprintln!("lintmux: installing {} (once; it is cached)", escape::text(linter));
        }
    }
}

/// Bars on a terminal, plain lines elsewhere (nothing decorative in CI logs).
pub(crate) fn sink() -> Box<dyn Sink> {
    if std::io::stderr().is_terminal() && !Ci::from_env().active() {
        Box::new(Bars::new())
    } else {
        Box::new(Plain)
    }
}
