//! The engine's events as the editor shows them: an install of a pinned tool (the first start can take a
//! minute) is `window/workDoneProgress`, begun when it starts and ended when it is done, so the editor
//! says what is happening instead of showing nothing; without the client's support, a log message.

use std::sync::atomic::{AtomicU64, Ordering};

use crossbeam_channel::Sender;
use lsp_server::{Message, Notification, Request, RequestId};
use lsp_types::notification::{LogMessage, Notification as _, Progress};
use lsp_types::request::{Request as _, WorkDoneProgressCreate};
use lsp_types::{
    LogMessageParams, MessageType, NumberOrString, ProgressParams, ProgressParamsValue, WorkDoneProgress,
    WorkDoneProgressBegin, WorkDoneProgressCreateParams, WorkDoneProgressEnd,
};

use crate::engine::{Event, Sink};

static TOKENS: AtomicU64 = AtomicU64::new(0);

/// A sink that tells the client about installs.
pub(crate) struct ProgressSink {
    pub(crate) sender: Sender<Message>,
    /// The client takes `window/workDoneProgress`.
    pub(crate) supported: bool,
}

fn token(linter: &str) -> NumberOrString {
    NumberOrString::String(format!("lintmux/install/{linter}"))
}

impl ProgressSink {
    fn progress(&self, linter: &str, value: WorkDoneProgress) {
        let params = ProgressParams {
            token: token(linter),
            value: ProgressParamsValue::WorkDone(value),
        };
        let _ = self
            .sender
            .send(Notification::new(Progress::METHOD.to_owned(), params).into());
    }

    fn log(&self, message: String) {
        let params = LogMessageParams {
            typ: MessageType::INFO,
            message,
        };
        let _ = self
            .sender
            .send(Notification::new(LogMessage::METHOD.to_owned(), params).into());
    }
}

impl Sink for ProgressSink {
    fn event(&self, event: &Event<'_>) {
        match *event {
            Event::InstallStarted { linter } => {
                self.log(format!("lintmux: installing {linter} (once; it is cached)"));
                if !self.supported {
                    return;
                }
                let id = RequestId::from(format!("lintmux-progress-{}", TOKENS.fetch_add(1, Ordering::SeqCst)));
                let create = WorkDoneProgressCreateParams { token: token(linter) };
                let _ = self
                    .sender
                    .send(Request::new(id, WorkDoneProgressCreate::METHOD.to_owned(), create).into());
                self.progress(
                    linter,
                    WorkDoneProgress::Begin(WorkDoneProgressBegin {
                        title: format!("lintmux: installing {linter}"),
                        cancellable: Some(false),
                        message: Some("the pinned tool is installed once and then cached".to_owned()),
                        percentage: None,
                    }),
                );
            }
            Event::InstallFinished { linter } => {
                if self.supported {
                    self.progress(linter, WorkDoneProgress::End(WorkDoneProgressEnd { message: None }));
                }
            }
            Event::Planned { .. } | Event::ActionFinished { .. } => {}
        }
    }
}
