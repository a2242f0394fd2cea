//! The protocol, in process: a client on one end of `Connection::memory()` and the server on the other,
//! linting a temporary repository with the real pinned linters (from the tests' shared cache, where
//! `.ci/run` installs them; a missing one is installed on first use).

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::{PublishDiagnosticsParams, TextEdit};
use serde_json::{Value, json};

use super::{Setup, serve};
use crate::engine::CancelToken;

/// The tools the tests share: `target/tmp/lintmux-cache`.
pub(crate) fn shared_cache() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.ancestors().nth(3).unwrap().join("tmp/lintmux-cache")
}

/// A repository with a lintmux.toml (so it is its own root) and the given files.
pub(crate) fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("lintmux.toml"), "").unwrap();
    for (path, text) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

pub(crate) struct Client {
    conn: Connection,
    server: Option<JoinHandle<anyhow::Result<()>>>,
    next: i32,
    pub(crate) root: PathBuf,
    /// Messages read while waiting for something else.
    stash: Vec<Message>,
}

impl Client {
    /// Starts a server and initializes it with `options` and the client `capabilities`.
    pub(crate) fn start(root: &Path, options: Value, capabilities: Value) -> (Client, Value) {
        Client::start_in(root, options, capabilities, shared_cache())
    }

    /// [`Client::start`] with lintmux's cache directory at `cache`.
    pub(crate) fn start_in(root: &Path, options: Value, capabilities: Value, cache: PathBuf) -> (Client, Value) {
        let (server_end, client_end) = Connection::memory();
        let setup = Setup {
            cache,
            // The test binary cannot supervise linters as lintmux's executable does.
            supervisor: None,
        };
        let server = std::thread::spawn(move || serve(&server_end, setup, &CancelToken::new()));
        let root = root.canonicalize().unwrap();
        let mut client = Client {
            conn: client_end,
            server: Some(server),
            next: 0,
            root: root.clone(),
            stash: Vec::new(),
        };
        let init = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": format!("file://{}", root.display()),
                "capabilities": capabilities,
                "initializationOptions": options,
            }),
        );
        client.notify("initialized", json!({}));
        (client, init.response_result.unwrap())
    }

    pub(crate) fn uri(&self, path: &str) -> String {
        format!("file://{}/{path}", self.root.display())
    }

    pub(crate) fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Notification::new(method.to_owned(), params).into())
            .unwrap();
    }

    /// Sends a request and returns its response (what else arrives meanwhile is kept).
    pub(crate) fn request(&mut self, method: &str, params: Value) -> Response {
        let id = self.send_request(method, params);
        self.response(&id)
    }

    pub(crate) fn send_request(&mut self, method: &str, params: Value) -> RequestId {
        self.next += 1;
        let id = RequestId::from(self.next);
        let req = Request::new(id.clone(), method.to_owned(), params);
        self.conn.sender.send(req.into()).unwrap();
        id
    }

    pub(crate) fn response(&mut self, id: &RequestId) -> Response {
        let found = self.wait(
            Duration::from_secs(300),
            |m| matches!(m, Message::Response(r) if r.id == *id),
        );
        match found {
            Message::Response(r) => r,
            _ => unreachable!(),
        }
    }

    /// The next diagnostics published for `path`.
    pub(crate) fn diagnostics(&mut self, path: &str) -> PublishDiagnosticsParams {
        let uri = self.uri(path);
        let found = self.wait(Duration::from_secs(300), |m| {
            matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics"
                && n.params["uri"] == uri.as_str())
        });
        match found {
            Message::Notification(n) => serde_json::from_value(n.params).unwrap(),
            _ => unreachable!(),
        }
    }

    /// Reads messages until one matches (answering the server's own requests as a client does).
    fn wait(&mut self, within: Duration, wanted: impl Fn(&Message) -> bool) -> Message {
        if let Some(i) = self.stash.iter().position(&wanted) {
            return self.stash.remove(i);
        }
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = self.conn.receiver.recv_timeout(left).unwrap_or_else(|_| {
                panic!(
                    "nothing the test waited for came within {within:?}; read: {:?}",
                    self.stash
                )
            });
            if let Message::Request(r) = &msg {
                let reply = Response::new_ok(r.id.clone(), ());
                self.conn.sender.send(reply.into()).unwrap();
            }
            if wanted(&msg) {
                return msg;
            }
            self.stash.push(msg);
        }
    }

    pub(crate) fn open(&self, path: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": self.uri(path), "languageId": language, "version": 1, "text": text}}),
        );
    }

    pub(crate) fn change(&self, path: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": self.uri(path), "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// Shuts the server down and checks it ended cleanly.
    pub(crate) fn stop(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.response_result.is_ok(), "{r:?}");
        self.notify("exit", Value::Null);
        let server = self.server.take().unwrap();
        server.join().unwrap().unwrap();
    }
}

/// (source, code, line, character) of each diagnostic, sorted.
pub(crate) fn keys(d: &PublishDiagnosticsParams) -> Vec<(String, String, u32, u32)> {
    let mut keys: Vec<(String, String, u32, u32)> = d
        .diagnostics
        .iter()
        .map(|d| {
            let code = match &d.code {
                Some(lsp_types::NumberOrString::String(s)) => s.clone(),
                Some(lsp_types::NumberOrString::Number(n)) => n.to_string(),
                None => String::new(),
            };
            (
                d.source.clone().unwrap_or_default(),
                code,
                d.range.start.line,
                d.range.start.character,
            )
        })
        .collect();
    keys.sort();
    keys
}

/// `text` with `edits` applied (positions in UTF-8 bytes of ASCII text, as the tests use).
pub(crate) fn apply(text: &str, edits: &[TextEdit]) -> String {
    let t = super::text::Text::new(text.to_owned());
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            let off = |p: lsp_types::Position| {
                let line_start: usize = text.split_inclusive('\n').take(p.line as usize).map(str::len).sum();
                (line_start + p.character as usize).min(t.end())
            };
            (off(e.range.start), off(e.range.end), e.new_text.as_str())
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (s, e, new) in spans {
        out.replace_range(s..e, new);
    }
    out
}

const APP: &str = "import os\nimport sys\n\nprint(sys.argv)\n";

#[test]
fn initialize_negotiates_the_encoding_and_says_what_it_serves() {
    let dir = repo(&[]);
    let caps = json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}});
    let (client, init) = Client::start(dir.path(), Value::Null, caps);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(init["capabilities"]["documentFormattingProvider"], true);
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 1, "full sync");
    let kinds = &init["capabilities"]["codeActionProvider"]["codeActionKinds"];
    assert_eq!(kinds, &json!(["quickfix", "source.fixAll.lintmux"]));
    client.stop();
    let (client, init) = Client::start(dir.path(), Value::Null, json!({}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16", "the default");
    client.stop();
}

#[test]
fn an_opened_file_gets_the_diagnostics_check_gives_and_a_quick_fix_removes_its_finding() {
    let dir = repo(&[("app.py", APP)]);
    let (mut client, _) = Client::start(dir.path(), json!({"linters": ["ruff"]}), json!({}));
    client.open("app.py", "python", APP);
    let d = client.diagnostics("app.py");
    assert_eq!(d.version, Some(1));
    assert_eq!(keys(&d), [("ruff".to_owned(), "F401".to_owned(), 0, 7)]);
    let f401 = &d.diagnostics[0];
    assert_eq!((f401.range.end.line, f401.range.end.character), (0, 9));
    assert_eq!(
        f401.code_description.as_ref().map(|c| c.href.as_str()),
        Some("https://docs.astral.sh/ruff/rules/unused-import")
    );
    // The quick fix for it, applied, leaves nothing to fix.
    let r = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": client.uri("app.py")}, "range": f401.range,
               "context": {"diagnostics": [f401]}}),
    );
    let actions = r.response_result.unwrap();
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .unwrap_or_else(|| panic!("a quick fix in {actions}"));
    let edits: Vec<TextEdit> = serde_json::from_value(fix["edit"]["changes"][client.uri("app.py")].clone()).unwrap();
    let fixed = apply(APP, &edits);
    assert_eq!(fixed, "import sys\n\nprint(sys.argv)\n");
    client.change("app.py", 2, &fixed);
    let d = client.diagnostics("app.py");
    assert_eq!(d.version, Some(2));
    assert_eq!(keys(&d), []);
    client.stop();
}

#[test]
fn formatting_returns_what_the_formatter_prints() {
    // ruff.toml: the repository uses ruff, so its formatter governs the file.
    let dir = repo(&[("app.py", "x=1\n"), ("ruff.toml", "")]);
    let (mut client, _) = Client::start(dir.path(), json!({"linters": ["ruff-format"]}), json!({}));
    client.open("app.py", "python", "x=1\n");
    client.diagnostics("app.py");
    let r = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": client.uri("app.py")}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    let edits: Vec<TextEdit> = serde_json::from_value(r.response_result.unwrap()).unwrap();
    assert_eq!(apply("x=1\n", &edits), "x = 1\n");
    // Formatting writes nothing: the file is as it was.
    assert_eq!(std::fs::read_to_string(dir.path().join("app.py")).unwrap(), "x=1\n");
    client.stop();
}

#[test]
fn a_changed_configuration_is_read_again() {
    let dir = repo(&[("app.py", APP)]);
    let (mut client, _) = Client::start(dir.path(), Value::Null, json!({}));
    client.open("app.py", "python", APP);
    let before = keys(&client.diagnostics("app.py"));
    assert!(before.iter().any(|k| k.0 == "ruff"), "{before:?}");
    std::fs::write(dir.path().join("lintmux.toml"), "disable = [\"ruff\"]\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": client.uri("lintmux.toml"), "type": 2}]}),
    );
    let after = keys(&client.diagnostics("app.py"));
    assert!(!after.iter().any(|k| k.0 == "ruff"), "{after:?}");
    client.stop();
}

/// Makes `script` an executable helper at `name` in `dir` (outside the linted repository).
fn helper(dir: &Path, name: &str, script: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// A repository definition (Python files) of a linter that runs `program`.
fn definition(program: &Path, extra: &str) -> String {
    format!(
        "description = \"a helper that misbehaves\"\nhomepage = \"https://example.invalid/helper\"\n\
         file_types = [\"python\"]\ncommand = [\"{p}\", \"{{files}}\"]\noutput = {{ format = \"ruff_json\" }}\n\
         version = {{ pin = \"1.0\", command = [\"{p}\", \"--version\"], pattern = \"^(\\\\d\\\\S*)\" }}\n{extra}",
        p = program.display()
    )
}

#[test]
fn unsaved_content_is_linted_as_typed_and_only_its_last_version_is_published() {
    let dir = repo(&[("app.py", APP)]);
    let (mut client, _) = Client::start(dir.path(), json!({"linters": ["ruff"]}), json!({}));
    client.open("app.py", "python", APP);
    assert_eq!(client.diagnostics("app.py").version, Some(1));
    // Twenty changes in a burst: one run, of the last; the unsaved content is what ruff reads.
    for v in 2..=21 {
        let text = format!(
            "import sys\n\nprint(sys.argv)\n{}",
            "import os\n".repeat(v as usize % 3)
        );
        client.change("app.py", v, &text);
    }
    let d = client.diagnostics("app.py");
    assert_eq!(d.version, Some(21));
    // 21 % 3 == 0: no `import os` left.
    assert_eq!(keys(&d), []);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app.py")).unwrap(),
        APP,
        "nothing is written"
    );
    client.stop();
}

#[test]
fn a_place_after_emoji_and_cyrillic_is_the_same_character_in_every_encoding() {
    // `os` follows `🎉привет` on its line: ruff counts characters, the client UTF-8 bytes or UTF-16 units.
    let text = "import sys\nx = \"🎉привет\"; import os\nprint(sys.argv, x)\n";
    let dir = repo(&[("app.py", text)]);
    let col_of_os = |unit_len: fn(char) -> usize| -> u32 {
        let line = "x = \"🎉привет\"; import os";
        line[..line.find("os").unwrap()].chars().map(unit_len).sum::<usize>() as u32
    };
    for (offered, want) in [
        ("utf-8", col_of_os(char::len_utf8)),
        ("utf-16", col_of_os(char::len_utf16)),
        ("utf-32", col_of_os(|_| 1)),
    ] {
        let caps = json!({"general": {"positionEncodings": [offered]}});
        let (mut client, init) = Client::start(dir.path(), json!({"linters": ["ruff"]}), caps);
        assert_eq!(init["capabilities"]["positionEncoding"], offered);
        client.open("app.py", "python", text);
        let d = client.diagnostics("app.py");
        let f401 = d
            .diagnostics
            .iter()
            .find(|d| d.message.contains("`os`"))
            .expect("F401 on os");
        assert_eq!(
            (f401.range.start.line, f401.range.start.character),
            (1, want),
            "{offered}"
        );
        assert_eq!(
            f401.range.end.character,
            want + 2,
            "{offered}: `os` is two units in each"
        );
        client.stop();
    }
}

#[test]
fn a_crashing_linter_is_an_error_at_the_top_of_the_file_and_the_others_still_speak() {
    let tools = tempfile::tempdir().unwrap();
    let crash = helper(
        tools.path(),
        "crash",
        "#!/bin/sh\n[ \"$1\" = --version ] && { echo 1.0; exit 0; }\necho 'not json at all'\necho 'Segmentation fault' >&2\nexit 139\n",
    );
    let hang = helper(
        tools.path(),
        "hang",
        "#!/bin/sh\n[ \"$1\" = --version ] && { echo 1.0; exit 0; }\nexec sleep 600\n",
    );
    let dir = repo(&[
        ("app.py", APP),
        ("other.py", "import json\n"),
        ("linters.d/crash.toml", &definition(&crash, "")),
        ("linters.d/hang.toml", &definition(&hang, "")),
        ("lintmux.toml", "[linters.hang]\ntimeout = 1\n"),
    ]);
    let options = json!({"trust": "all", "linters": ["ruff", "crash", "hang"]});
    let (mut client, _) = Client::start(dir.path(), options, json!({}));
    client.open("app.py", "python", APP);
    let d = client.diagnostics("app.py");
    let found = keys(&d);
    assert!(
        found.contains(&("ruff".to_owned(), "F401".to_owned(), 0, 7)),
        "{found:?}"
    );
    let said = |linter: &str| {
        d.diagnostics
            .iter()
            .find(|d| {
                d.source.as_deref() == Some("lintmux")
                    && d.message.starts_with(&format!("{linter} could not lint this file"))
            })
            .unwrap_or_else(|| panic!("a diagnostic saying {linter} failed: {:?}", d.diagnostics))
    };
    let crashed = said("crash");
    assert_eq!(crashed.severity, Some(lsp_types::DiagnosticSeverity::ERROR));
    assert_eq!((crashed.range.start.line, crashed.range.start.character), (0, 0));
    assert!(crashed.message.contains("Segmentation fault"), "{}", crashed.message);
    let hung = said("hang");
    assert_eq!(
        hung.code,
        Some(lsp_types::NumberOrString::String("timeout".to_owned())),
        "{}",
        hung.message
    );
    // The server keeps serving: another file opened after them is linted.
    client.open("other.py", "python", "import json\n");
    let other = keys(&client.diagnostics("other.py"));
    assert!(
        other.contains(&("ruff".to_owned(), "F401".to_owned(), 0, 7)),
        "{other:?}"
    );
    client.stop();
}

#[test]
fn a_repository_definition_under_trust_none_is_refused_and_says_so() {
    let tools = tempfile::tempdir().unwrap();
    let fine = helper(
        tools.path(),
        "fine",
        "#!/bin/sh\n[ \"$1\" = --version ] && { echo 1.0; exit 0; }\necho '[]'\n",
    );
    let dir = repo(&[("app.py", APP), ("linters.d/fine.toml", &definition(&fine, ""))]);
    let options = json!({"trust": "none", "linters": ["fine", "ruff"]});
    let (mut client, _) = Client::start(dir.path(), options, json!({}));
    client.open("app.py", "python", APP);
    let d = client.diagnostics("app.py");
    let refused: Vec<_> = d
        .diagnostics
        .iter()
        .filter(|d| d.source.as_deref() == Some("lintmux"))
        .collect();
    assert_eq!(refused.len(), 1, "{:?}", d.diagnostics);
    assert_eq!(
        refused[0].code,
        Some(lsp_types::NumberOrString::String("refused".to_owned()))
    );
    assert!(
        refused[0].message.starts_with("fine could not lint this file"),
        "{}",
        refused[0].message
    );
    assert!(refused[0].message.contains("trust none"), "{}", refused[0].message);
    assert!(
        keys(&d).contains(&("ruff".to_owned(), "F401".to_owned(), 0, 7)),
        "{:?}",
        keys(&d)
    );
    client.stop();
}

#[test]
fn a_hanging_formatter_is_stopped_when_the_client_cancels() {
    let tools = tempfile::tempdir().unwrap();
    let (pidfile, hang) = (tools.path().join("printing.pid"), tools.path().join("hang"));
    // It formats (`x=1` → `x = 1`) until `hang` exists; then it hangs, its pid written.
    let slow = helper(
        tools.path(),
        "slowfmt",
        &format!(
            "#!/bin/sh\ncase \"$1\" in --version) echo 1.0; exit 0 ;; list) echo app.py; exit 1 ;; esac\n\
             if [ -e {hang} ]; then echo $$ > {pid}; exec sleep 600; fi\nsed 's/=/ = /'\n",
            hang = hang.display(),
            pid = pidfile.display()
        ),
    );
    let def = format!(
        "kind = \"formatter\"\ndescription = \"d\"\nhomepage = \"h\"\nfile_types = [\"python\"]\n\
         command = [\"{t}\", \"list\", \"{{files}}\"]\noutput = {{ format = \"regex\", pattern = '^(?P<path>.+)$', rule = \"format\" }}\n\
         version = {{ pin = \"1.0\", command = [\"{t}\", \"--version\"], pattern = \"(.*)\" }}\n\
         [format]\nprint = [\"{t}\", \"print\", \"{{file}}\"]\n",
        t = slow.display()
    );
    let dir = repo(&[("app.py", "x=1\n"), ("linters.d/slowfmt.toml", &def)]);
    // Linted on open and save only: the change below is formatted, not linted.
    let options = json!({"trust": "all", "linters": ["slowfmt"], "lint": "save"});
    let (mut client, _) = Client::start(dir.path(), options, json!({}));
    client.open("app.py", "python", "x=1\n");
    let d = client.diagnostics("app.py");
    assert_eq!(keys(&d), [("slowfmt".to_owned(), "format".to_owned(), 0, 0)]);
    std::fs::write(&hang, "").unwrap();
    client.change("app.py", 2, "x=2\n");
    let id = client.send_request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": client.uri("app.py")}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    // The formatter is printing (it wrote its pid) when the client gives up on it.
    let deadline = Instant::now() + Duration::from_secs(60);
    let pid = loop {
        assert!(
            Instant::now() < deadline,
            "the formatter never started printing: {:?}",
            client.stash
        );
        if let Some(pid) = std::fs::read_to_string(&pidfile)
            .ok()
            .and_then(|s| s.trim().parse::<i32>().ok())
        {
            break pid;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    client.notify("$/cancelRequest", json!({"id": id}));
    let r = client.response(&id);
    let error = r.response_result.expect_err("a cancelled formatting is an error");
    assert_eq!(error.code, lsp_server::ErrorCode::RequestCanceled as i32);
    assert!(
        !Path::new(&format!("/proc/{pid}")).exists(),
        "the formatter's process is gone once the request is answered"
    );
    client.stop();
}

#[test]
fn documents_outside_the_file_system_are_left_alone() {
    let dir = repo(&[("app.py", APP)]);
    let (mut client, _) = Client::start(dir.path(), json!({"linters": ["ruff"]}), json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "untitled:Untitled-1", "languageId": "python", "version": 1, "text": APP}}),
    );
    let r = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": "untitled:Untitled-1"}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert_eq!(r.response_result.unwrap(), Value::Null);
    // The server still lints what it can.
    client.open("app.py", "python", APP);
    assert_eq!(keys(&client.diagnostics("app.py")).len(), 1);
    client.stop();
}

#[test]
fn fix_all_applies_every_safe_fix_and_no_fix_outlives_its_content() {
    let text = "import os\nimport re\nimport sys\n\nprint(sys.argv)\n";
    let dir = repo(&[("app.py", text)]);
    // Linted on open and save only: a change leaves the findings of the older content.
    let options = json!({"linters": ["ruff"], "lint": "save"});
    let (mut client, _) = Client::start(dir.path(), options, json!({}));
    client.open("app.py", "python", text);
    assert_eq!(keys(&client.diagnostics("app.py")).len(), 2);
    let everything = json!({"start": {"line": 0, "character": 0}, "end": {"line": 5, "character": 0}});
    let ask = |client: &mut Client| {
        let r = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": client.uri("app.py")}, "range": everything,
                   "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        );
        r.response_result.unwrap().as_array().unwrap().clone()
    };
    let actions = ask(&mut client);
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.lintmux");
    let edits: Vec<TextEdit> =
        serde_json::from_value(actions[0]["edit"]["changes"][client.uri("app.py")].clone()).unwrap();
    assert_eq!(apply(text, &edits), "import sys\n\nprint(sys.argv)\n");
    // Typed over, not yet linted: the fixes were for other content and are not offered.
    client.change("app.py", 2, &format!("# a comment\n{text}"));
    assert_eq!(ask(&mut client), Vec::<Value>::new());
    client.stop();
}

#[test]
fn a_whole_project_linter_reads_unsaved_content_and_speaks_of_every_open_file() {
    let (lib, user) = ("def f() -> int:\n    return 1\n", "from lib import f\n\nx: str = f()\n");
    let dir = repo(&[("lib.py", lib), ("user.py", user)]);
    let (mut client, _) = Client::start(dir.path(), json!({"linters": ["mypy"]}), json!({}));
    client.open("user.py", "python", user);
    let d = client.diagnostics("user.py");
    assert_eq!(
        keys(&d),
        [("mypy".to_owned(), "assignment".to_owned(), 2, 9)],
        "{:?}",
        d.diagnostics
    );
    client.open("lib.py", "python", lib);
    assert_eq!(keys(&client.diagnostics("lib.py")), []);
    // lib.py now returns a str, unsaved: mypy reads the buffer, and user.py, not edited, is clean.
    client.change("lib.py", 2, "def f() -> str:\n    return \"1\"\n");
    let (mut lib_done, mut user_done) = (false, false);
    while !(lib_done && user_done) {
        let found = client.wait(
            Duration::from_secs(300),
            |m| matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics"),
        );
        let Message::Notification(n) = found else {
            unreachable!()
        };
        let p: PublishDiagnosticsParams = serde_json::from_value(n.params).unwrap();
        if p.uri.as_str() == client.uri("lib.py") && p.version == Some(2) {
            assert_eq!(keys(&p), []);
            lib_done = true;
        } else if p.uri.as_str() == client.uri("user.py") {
            user_done = keys(&p).is_empty();
        }
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("lib.py")).unwrap(),
        lib,
        "nothing is written"
    );
    client.stop();
}

#[test]
fn an_ignored_file_is_not_linted_and_another_files_run_leaves_an_open_file_as_it_was() {
    let dir = repo(&[("app.py", APP), (".gitignore", "vendored/\n"), ("vendored/lib.py", APP)]);
    let (mut client, _) = Client::start(dir.path(), json!({"linters": ["ruff"]}), json!({}));
    client.open("app.py", "python", APP);
    let first = keys(&client.diagnostics("app.py"));
    assert!(
        first.contains(&("ruff".to_owned(), "F401".to_owned(), 0, 7)),
        "{first:?}"
    );
    // A file the ignore files leave out is not linted when it is opened, as `check` would not lint it.
    client.open("vendored/lib.py", "python", APP);
    let ignored = keys(&client.diagnostics("vendored/lib.py"));
    assert_eq!(
        ignored,
        vec![("lintmux".to_owned(), "not-linted".to_owned(), 0, 0)],
        "only lintmux's word that nothing lints it"
    );
    // The run of the other file said nothing new of app.py: it was not published again, and certainly not
    // with a "not linted" note. (A request answered after the run is a barrier: what the run published
    // has arrived by then.)
    let barrier = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": client.uri("app.py")},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []}
        }),
    );
    assert!(barrier.response_result.is_ok(), "{barrier:?}");
    let app_uri = client.uri("app.py");
    let republished: Vec<&Message> = client
        .stash
        .iter()
        .filter(|m| {
            matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics"
                && n.params["uri"] == app_uri.as_str())
        })
        .collect();
    assert!(republished.is_empty(), "app.py published again: {republished:?}");
    client.stop();
}

#[test]
fn a_first_install_is_shown_as_progress_and_then_the_file_is_linted() {
    // An empty cache of its own: shellcheck is installed (from PyPI, as `lintmux install` does) on first use.
    let cache = tempfile::tempdir().unwrap();
    let script = "#!/bin/sh\necho $1\n";
    let dir = repo(&[("run.sh", script)]);
    let caps = json!({"window": {"workDoneProgress": true}});
    let options = json!({"linters": ["shellcheck"]});
    let (mut client, _) = Client::start_in(dir.path(), options, caps, cache.path().to_path_buf());
    client.open("run.sh", "shellscript", script);
    let within = Duration::from_secs(600);
    let create = client.wait(
        within,
        |m| matches!(m, Message::Request(r) if r.method == "window/workDoneProgress/create"),
    );
    let Message::Request(create) = create else {
        unreachable!()
    };
    assert_eq!(create.params["token"], "lintmux/install/shellcheck");
    let progress = |kind: &'static str| {
        move |m: &Message| {
            matches!(m, Message::Notification(n) if n.method == "$/progress"
                && n.params["token"] == "lintmux/install/shellcheck" && n.params["value"]["kind"] == kind)
        }
    };
    let Message::Notification(begin) = client.wait(within, progress("begin")) else {
        unreachable!()
    };
    assert_eq!(begin.params["value"]["title"], "lintmux: installing shellcheck");
    client.wait(within, progress("end"));
    let d = client.diagnostics("run.sh");
    let found = keys(&d);
    assert!(
        found.contains(&("shellcheck".to_owned(), "SC2086".to_owned(), 1, 5)),
        "{found:?}"
    );
    client.stop();
}
