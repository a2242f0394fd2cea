//! The server's loop. One thread owns the state (the open documents, the workspaces, what each document's
//! last lint found) and reads three things: the client's messages, what the runs it started send back,
//! and the clock, which starts the lint of a document about 300 ms after its last change. Each run is an
//! engine run on a thread of its own with its own cancellation token: a run of a root is cancelled when a
//! document it lints changes again (a stale result is never published), and `$/cancelRequest` cancels a
//! formatting. The server writes nothing into the workspace; the only edits are those the client applies.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, select};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeConfiguration, DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, LogMessage, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, Formatting, RegisterCapability, Request as _};
use lsp_types::{
    CodeActionOptions, CodeActionParams, CodeActionProviderCapability, Diagnostic, DiagnosticSeverity,
    DidChangeConfigurationParams, DidChangeTextDocumentParams, DidChangeWatchedFilesRegistrationOptions,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams, DocumentFormattingParams,
    FileSystemWatcher, GlobPattern, InitializeParams, LogMessageParams, MessageType, OneOf, PublishDiagnosticsParams,
    Registration, RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo, ShowMessageParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, Uri,
};

use super::actions::{Linted as DocLinted, code_actions, fix_all_kind};
use super::diagnostics::{self, Conv};
use super::documents::{Document, Documents, path_of};
use super::options::{LintWhen, Options};
use super::progress::ProgressSink;
use super::runs::{self, Done, FormatRun, LintRun, Linted};
use super::text::{Encoding, Text};
use crate::catalog::Columns;
use crate::config::{GivenTrust, Open, Workspace};
use crate::engine::{CancelToken, GitFetch, Outcome};

/// How long after the last change a document is linted.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// What the client can do that the server uses.
#[derive(Clone, Copy, Debug, Default)]
struct Client {
    progress: bool,
    watch_files: bool,
}

/// A lint run in flight for a root.
struct Running {
    run: u64,
    cancel: CancelToken,
    versions: BTreeMap<Uri, i32>,
}

/// What the server keeps of a document's last lint: its diagnostics by linter, and its findings.
#[derive(Default)]
struct Published {
    by_linter: BTreeMap<String, Vec<Diagnostic>>,
    linted: DocLinted,
}

struct Server {
    setup: Setup,
    sender: Sender<Message>,
    encoding: Encoding,
    client: Client,
    options: Options,
    docs: Documents,
    /// Workspaces by root, opened when a document of the root is first linted; dropped when a
    /// configuration may have changed.
    workspaces: BTreeMap<PathBuf, Arc<Workspace>>,
    /// Documents to lint, and when.
    pending: BTreeMap<Uri, Instant>,
    running: BTreeMap<PathBuf, Running>,
    published: BTreeMap<Uri, Published>,
    /// Formatting requests in flight.
    requests: BTreeMap<RequestId, CancelToken>,
    done: (Sender<Done>, Receiver<Done>),
    next_run: u64,
    shutting_down: bool,
}

/// Where the server's runs keep their results and who supervises their linters.
pub(crate) struct Setup {
    /// lintmux's cache directory (the one `lintmux check` uses, so results are shared).
    pub(crate) cache: PathBuf,
    /// The executable that supervises each linter: lintmux itself (see the engine's `Request`).
    pub(crate) supervisor: Option<PathBuf>,
}

/// Serves `connection` until the client says `exit` (or `interrupted` is set): the initialize handshake,
/// then the loop.
pub(crate) fn serve(connection: &Connection, setup: Setup, interrupted: &CancelToken) -> anyhow::Result<()> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let client = Client {
        progress: params
            .capabilities
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false),
        watch_files: params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false),
    };
    let (options, problem) = match super::options::Options::from_value(params.initialization_options.as_ref()) {
        Ok(o) => (o, None),
        Err(e) => (Options::default(), Some(e)),
    };
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": ServerInfo { name: "lintmux".to_owned(), version: Some(env!("CARGO_PKG_VERSION").to_owned()) },
    });
    connection.initialize_finish(id, result)?;
    let mut server = Server {
        setup,
        sender: connection.sender.clone(),
        encoding,
        client,
        options,
        docs: Documents::default(),
        workspaces: BTreeMap::new(),
        pending: BTreeMap::new(),
        running: BTreeMap::new(),
        published: BTreeMap::new(),
        requests: BTreeMap::new(),
        done: crossbeam_channel::unbounded(),
        next_run: 0,
        shutting_down: false,
    };
    if let Some(problem) = problem {
        server.show(MessageType::ERROR, problem);
    }
    server.watch_configs();
    server.run(&connection.receiver, interrupted)
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(
                SaveOptions {
                    include_text: Some(false),
                }
                .into(),
            ),
            ..TextDocumentSyncOptions::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![lsp_types::CodeActionKind::QUICKFIX, fix_all_kind()]),
            ..CodeActionOptions::default()
        })),
        document_formatting_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

impl Server {
    fn run(&mut self, receiver: &Receiver<Message>, interrupted: &CancelToken) -> anyhow::Result<()> {
        loop {
            if interrupted.is_cancelled() {
                return Ok(());
            }
            let wait = self
                .pending
                .values()
                .min()
                .map_or(Duration::from_secs(1), |at| {
                    at.saturating_duration_since(Instant::now())
                })
                .min(Duration::from_secs(1));
            let done = self.done.1.clone();
            select! {
                recv(receiver) -> msg => match msg {
                    Ok(Message::Notification(n)) if n.method == lsp_types::notification::Exit::METHOD => return Ok(()),
                    Ok(msg) => self.handle(msg),
                    // The client went away.
                    Err(_) => return Ok(()),
                },
                recv(done) -> d => if let Ok(d) = d { self.finished(d) },
                default(wait) => {},
            }
            self.start_due();
        }
    }

    fn handle(&mut self, msg: Message) {
        match msg {
            Message::Request(req) => self.request(req),
            Message::Notification(n) => self.notification(n),
            // Answers to the server's own requests (progress, registration) need nothing.
            Message::Response(_) => {}
        }
    }

    fn request(&mut self, req: Request) {
        if self.shutting_down {
            return self.reply(Response::new_err(
                req.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".to_owned(),
            ));
        }
        match req.method.as_str() {
            lsp_types::request::Shutdown::METHOD => {
                self.shutting_down = true;
                for r in self.running.values() {
                    r.cancel.cancel();
                }
                self.reply(Response::new_ok(req.id, ()));
            }
            CodeActionRequest::METHOD => match serde_json::from_value::<CodeActionParams>(req.params) {
                Ok(p) => {
                    let actions = self.code_actions(&p);
                    self.reply(Response::new_ok(req.id, actions));
                }
                Err(e) => self.reply(invalid(req.id, &e)),
            },
            Formatting::METHOD => match serde_json::from_value::<DocumentFormattingParams>(req.params) {
                Ok(p) => self.format(req.id, &p.text_document.uri),
                Err(e) => self.reply(invalid(req.id, &e)),
            },
            _ => self.reply(Response::new_err(
                req.id,
                ErrorCode::MethodNotFound as i32,
                format!("lintmux does not answer {}", req.method),
            )),
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                    let doc = p.text_document;
                    if let Some(path) = path_of(&doc.uri) {
                        self.docs.open(Document {
                            uri: doc.uri.clone(),
                            path,
                            version: doc.version,
                            text: Text::new(doc.text),
                        });
                        self.lint_at(&doc.uri, Instant::now());
                    }
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) {
                    self.changed(p);
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params) {
                    self.lint_at(&p.text_document.uri, Instant::now());
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    self.docs.close(&uri);
                    self.pending.remove(&uri);
                    self.published.remove(&uri);
                    self.publish(&uri, Vec::new(), None);
                }
            }
            DidChangeWatchedFiles::METHOD | DidChangeConfiguration::METHOD => {
                if n.method == DidChangeConfiguration::METHOD
                    && let Ok(p) = serde_json::from_value::<DidChangeConfigurationParams>(n.params)
                    && !p.settings.is_null()
                {
                    match Options::from_value(Some(&p.settings)) {
                        Ok(o) => self.options = o,
                        Err(e) => self.show(MessageType::ERROR, e),
                    }
                }
                self.reload();
            }
            lsp_types::notification::Cancel::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::CancelParams>(n.params) {
                    let id = match p.id {
                        lsp_types::NumberOrString::Number(n) => RequestId::from(n),
                        lsp_types::NumberOrString::String(s) => RequestId::from(s),
                    };
                    if let Some(token) = self.requests.get(&id) {
                        token.cancel();
                    }
                }
            }
            _ => {}
        }
    }

    /// A document changed: keep its content; lint it after the debounce (when linting on change); and
    /// cancel a run that lints its older content.
    fn changed(&mut self, p: DidChangeTextDocumentParams) {
        let uri = p.text_document.uri;
        let Some(doc) = self.docs.get_mut(&uri) else { return };
        // Full sync: the last change holds the whole text.
        if let Some(change) = p.content_changes.into_iter().last() {
            doc.text = Text::new(change.text);
        }
        doc.version = p.text_document.version;
        for r in self.running.values().filter(|r| r.versions.contains_key(&uri)) {
            r.cancel.cancel();
        }
        if self.options.lint == LintWhen::Change {
            self.lint_at(&uri, Instant::now() + DEBOUNCE);
        }
    }

    fn lint_at(&mut self, uri: &Uri, at: Instant) {
        if self.docs.get(uri).is_some() {
            self.pending.insert(uri.clone(), at);
        }
    }

    /// Starts, for each root with documents due and no run in flight, one run of those documents.
    fn start_due(&mut self) {
        let now = Instant::now();
        let due: Vec<Uri> = self
            .pending
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(u, _)| u.clone())
            .collect();
        let mut by_root: BTreeMap<PathBuf, BTreeSet<Uri>> = BTreeMap::new();
        for uri in due {
            let Some(doc) = self.docs.get(&uri) else {
                self.pending.remove(&uri);
                continue;
            };
            let root = root_of(&doc.path);
            if self.running.contains_key(&root) {
                continue;
            }
            self.pending.remove(&uri);
            by_root.entry(root).or_default().insert(uri);
        }
        for (root, uris) in by_root {
            self.start_lint(root, &uris);
        }
    }

    fn start_lint(&mut self, root: PathBuf, uris: &BTreeSet<Uri>) {
        let ws = match self.workspace(&root) {
            Ok(ws) => ws,
            Err(e) => {
                for uri in uris {
                    let d = diagnostics::top_of_file(DiagnosticSeverity::ERROR, "configuration", e.clone());
                    self.publish(uri, vec![d], None);
                }
                return;
            }
        };
        let mut files = BTreeSet::new();
        let mut buffers = BTreeMap::new();
        let mut versions = BTreeMap::new();
        for doc in self.docs.iter() {
            let Some(rel) = doc.relative_to(&ws.root) else { continue };
            if uris.contains(&doc.uri) {
                files.insert(rel.clone());
            }
            buffers.insert(rel, doc.text.as_str().to_owned());
            versions.insert(doc.uri.clone(), doc.version);
        }
        self.next_run += 1;
        self.log(
            MessageType::LOG,
            format!(
                "run {}: {} file(s) of {}, {} open",
                self.next_run,
                files.len(),
                ws.root.display(),
                buffers.len()
            ),
        );
        let cancel = CancelToken::new();
        self.running.insert(
            root,
            Running {
                run: self.next_run,
                cancel: cancel.clone(),
                versions: versions.clone(),
            },
        );
        let run = LintRun {
            ws,
            run: self.next_run,
            files,
            buffers,
            versions,
            linters: self.options.linters.clone(),
            supervisor: self.setup.supervisor.clone(),
        };
        runs::lint(run, self.sink(), cancel, self.done.0.clone());
    }

    fn sink(&self) -> ProgressSink {
        ProgressSink {
            sender: self.sender.clone(),
            supported: self.client.progress,
        }
    }

    /// The workspace of `root`, opened once (as `lintmux check` opens it, with the options' trust).
    fn workspace(&mut self, root: &Path) -> Result<Arc<Workspace>, String> {
        if let Some(ws) = self.workspaces.get(root) {
            return Ok(ws.clone());
        }
        let cache = self.setup.cache.clone();
        let cancel = CancelToken::new();
        let open = Open {
            cwd: root,
            root: Some(root),
            paths: &[],
            config: None,
            trust: self.options.trust.map(|level| GivenTrust {
                level,
                from: "the editor's lintmux option \"trust\"",
            }),
            cache: cache.clone(),
        };
        let ws = Workspace::open(
            &open,
            &GitFetch {
                cache: &cache,
                cancel: &cancel,
            },
        )
        .map_err(|e| format!("lintmux cannot lint {}: {:#}", root.display(), anyhow::Error::from(e)))?;
        let ws = Arc::new(ws);
        self.workspaces.insert(root.to_path_buf(), ws.clone());
        Ok(ws)
    }

    /// A configuration may have changed: workspaces are opened again, and every open document is
    /// linted again (runs in flight are stale).
    fn reload(&mut self) {
        self.workspaces.clear();
        for r in self.running.values() {
            r.cancel.cancel();
        }
        let uris: Vec<Uri> = self.docs.iter().map(|d| d.uri.clone()).collect();
        for uri in uris {
            self.lint_at(&uri, Instant::now());
        }
    }

    fn finished(&mut self, done: Done) {
        match done {
            Done::Linted(linted) => self.linted(*linted),
            Done::Formatted { id, result } => {
                let cancelled = self.requests.remove(&id).is_some_and(|t| t.is_cancelled());
                let response = match result {
                    _ if cancelled => Response::new_err(
                        id,
                        ErrorCode::RequestCanceled as i32,
                        "the formatting was cancelled".to_owned(),
                    ),
                    Ok(edits) => Response::new_ok(id, edits),
                    Err(e) => Response::new_err(id, ErrorCode::RequestFailed as i32, e),
                };
                self.reply(response);
            }
        }
    }

    /// A lint run ended: unless it was superseded, what it says about each open document whose content
    /// is still what it linted is published.
    fn linted(&mut self, linted: Linted) {
        let current = self.running.get(&linted.root).is_some_and(|r| r.run == linted.run);
        let cancelled = self
            .running
            .get(&linted.root)
            .is_some_and(|r| r.run == linted.run && r.cancel.is_cancelled());
        if current {
            self.running.remove(&linted.root);
        }
        if !current || cancelled {
            return;
        }
        let outcome = match linted.outcome {
            Ok(outcome) => outcome,
            Err(e) => {
                self.log(MessageType::ERROR, e.clone());
                for uri in linted.versions.keys() {
                    let d = diagnostics::top_of_file(DiagnosticSeverity::ERROR, "setup", e.clone());
                    self.publish(uri, vec![d], None);
                }
                return;
            }
        };
        for e in &outcome.report.tool_errors {
            self.log(MessageType::WARNING, format!("{}: {}", e.linter, e.message));
        }
        let columns = self
            .workspaces
            .get(&linted.root)
            .map(|ws| columns_of(ws))
            .unwrap_or_default();
        for (uri, version) in &linted.versions {
            let Some(doc) = self.docs.get(uri).filter(|d| d.version == *version) else {
                continue;
            };
            let Some(rel) = doc.relative_to(&linted.root) else {
                continue;
            };
            let asked = linted.files.contains(&rel);
            let (by_linter, linted_doc) = self.update(doc, &rel, &outcome, &columns, asked);
            // A document that was not asked about hears only from the linters that read it anyway (a
            // whole-project linter); one that was is told everything, and nothing stale remains.
            if !asked && by_linter.is_empty() {
                continue;
            }
            let entry = self.published.entry(uri.clone()).or_default();
            if asked {
                entry.by_linter = by_linter;
                entry.linted = linted_doc;
            } else {
                entry.by_linter.extend(by_linter);
            }
            let all: Vec<Diagnostic> = entry.by_linter.values().flatten().cloned().collect();
            self.publish(uri, all, Some(*version));
        }
    }

    /// What `outcome` says of `doc`: its diagnostics by linter (each linter given the file, and, when
    /// none was and the run was `asked` to lint it, lintmux's word that nothing lints it), and its
    /// findings for code actions.
    fn update(
        &self,
        doc: &Document,
        rel: &str,
        outcome: &Outcome,
        columns: &BTreeMap<String, Columns>,
        asked: bool,
    ) -> (BTreeMap<String, Vec<Diagnostic>>, DocLinted) {
        let mut by_linter = self.with_conv(doc, columns, |conv| diagnostics::of_file(outcome, rel, conv));
        if by_linter.is_empty() && asked {
            by_linter.insert(
                diagnostics::SOURCE.to_owned(),
                vec![diagnostics::top_of_file(
                    DiagnosticSeverity::INFORMATION,
                    "not-linted",
                    "no linter of lintmux lints this file: it is ignored (.gitignore, exclude), too large, binary, or of a type no enabled linter takes".to_owned(),
                )],
            );
        }
        let linted = DocLinted {
            version: doc.version,
            findings: outcome
                .report
                .findings
                .iter()
                .filter(|f| f.path == rel)
                .cloned()
                .collect(),
            as_saved: outcome
                .as_saved
                .iter()
                .filter(|(_, p)| p == rel)
                .map(|(l, _)| l.clone())
                .collect(),
        };
        (by_linter, linted)
    }

    /// `f` with what turns findings on `doc` into what the client shows (`columns`: each linter's unit).
    fn with_conv<R>(&self, doc: &Document, columns: &BTreeMap<String, Columns>, f: impl FnOnce(&Conv) -> R) -> R {
        let unit = |linter: &str| columns.get(linter).copied().unwrap_or_default();
        f(&Conv {
            text: &doc.text,
            encoding: self.encoding,
            columns: &unit,
            min_level: self.options.min_level,
        })
    }

    fn code_actions(&self, p: &CodeActionParams) -> Vec<lsp_types::CodeActionOrCommand> {
        let uri = &p.text_document.uri;
        let (Some(doc), Some(published)) = (self.docs.get(uri), self.published.get(uri)) else {
            return Vec::new();
        };
        // Only for the very content the fixes were computed for.
        if published.linted.version != doc.version {
            return Vec::new();
        }
        let root = root_of(&doc.path);
        let columns = self.workspaces.get(&root).map(|ws| columns_of(ws)).unwrap_or_default();
        self.with_conv(doc, &columns, |conv| {
            code_actions(uri, &published.linted, conv, p.range, p.context.only.as_deref())
        })
    }

    fn format(&mut self, id: RequestId, uri: &Uri) {
        let Some(doc) = self.docs.get(uri) else {
            return self.reply(Response::new_ok(id, ()));
        };
        let root = root_of(&doc.path);
        let (file, text) = (doc.relative_to(&root), doc.text.as_str().to_owned());
        let ws = match self.workspace(&root) {
            Ok(ws) => ws,
            Err(e) => return self.reply(Response::new_err(id, ErrorCode::RequestFailed as i32, e)),
        };
        let Some(file) = file else {
            return self.reply(Response::new_ok(id, ()));
        };
        let cancel = CancelToken::new();
        self.requests.insert(id.clone(), cancel.clone());
        let run = FormatRun {
            ws,
            id,
            file,
            text,
            encoding: self.encoding,
            linters: self.options.linters.clone(),
            supervisor: self.setup.supervisor.clone(),
        };
        runs::format(run, self.sink(), cancel, self.done.0.clone());
    }

    /// Asks the client to tell the server when a configuration changes: lintmux.toml, linters.d, and
    /// every config file a linter reads.
    fn watch_configs(&mut self) {
        if !self.client.watch_files {
            return;
        }
        let mut globs: BTreeSet<String> = ["**/lintmux.toml", "**/.lintmux.toml", "**/linters.d/**"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        if let Ok(catalog) = crate::catalog::Catalog::load(&[], crate::model::Trust::All) {
            for def in catalog.linters.values() {
                globs.extend(def.config_files.iter().map(|c| format!("**/{c}")));
            }
        }
        let watchers = globs
            .into_iter()
            .map(|g| FileSystemWatcher {
                glob_pattern: GlobPattern::String(g),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "lintmux-configs".to_owned(),
                method: DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        let id = RequestId::from("lintmux-register".to_owned());
        let _ = self
            .sender
            .send(Request::new(id, RegisterCapability::METHOD.to_owned(), params).into());
    }

    fn publish(&self, uri: &Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version,
        };
        self.notify(PublishDiagnostics::METHOD, params);
    }

    fn show(&self, typ: MessageType, message: String) {
        self.notify(ShowMessage::METHOD, ShowMessageParams { typ, message });
    }

    fn log(&self, typ: MessageType, message: String) {
        self.notify(LogMessage::METHOD, LogMessageParams { typ, message });
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        let _ = self.sender.send(Notification::new(method.to_owned(), params).into());
    }

    fn reply(&self, response: Response) {
        let _ = self.sender.send(response.into());
    }
}

fn invalid(id: RequestId, e: &serde_json::Error) -> Response {
    Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string())
}

/// The lint root of a file, as `lintmux check FILE` finds it.
fn root_of(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(path);
    let root = crate::config::find_root(dir);
    root.canonicalize().unwrap_or(root)
}

/// How each linter of `ws` counts columns.
fn columns_of(ws: &Workspace) -> BTreeMap<String, Columns> {
    ws.catalog
        .linters
        .values()
        .map(|d| (d.name.clone(), d.output.columns))
        .collect()
}
