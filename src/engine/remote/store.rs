//! The remote store itself, through opendal: an operator for the URL's backend, and a get and a put of
//! one entry, each bounded by the request timeout and the entry size cap. Nothing here decides what a
//! failure means for the run (see `super`).

use std::time::Duration;

use opendal::{ErrorKind, Operator, services};

use super::url::{Backend, RemoteUrl};

/// Why a request gave no answer.
#[derive(Clone, Debug)]
pub(crate) enum Fault {
    /// No answer within the timeout.
    Timeout(Duration),
    /// The entry is larger than the cap; it was not read whole.
    TooLarge(usize),
    /// The store refused the request (credentials, permissions).
    Denied(String),
    /// Anything else: unreachable, an error status, a broken connection.
    Failed(String),
}

impl Fault {
    pub(crate) fn describe(&self) -> String {
        match self {
            Fault::Timeout(t) => format!("no answer within {:.1} s", t.as_secs_f64()),
            Fault::TooLarge(cap) => format!("an entry larger than {} MiB", cap / (1024 * 1024)),
            Fault::Denied(m) => format!("permission denied: {m}"),
            Fault::Failed(m) => m.clone(),
        }
    }
}

/// The operator for `url` (the S3 region and endpoint from `AWS_REGION`/`AWS_DEFAULT_REGION` and
/// `AWS_ENDPOINT_URL`, credentials as the AWS tools find them; `gha` from the job's cache variables).
pub(crate) fn operator(url: &RemoteUrl) -> Result<Operator, String> {
    // The HTTP client the S3, WebDAV and GitHub backends send through (installed once per process).
    opendal::install_default();
    let built = match &url.backend {
        Backend::S3 { bucket, prefix } => {
            let region = std::env::var("AWS_REGION")
                .or_else(|_| std::env::var("AWS_DEFAULT_REGION"))
                .unwrap_or_else(|_| "us-east-1".to_owned());
            let mut b = services::S3::default()
                .bucket(bucket)
                .root(&format!("/{prefix}"))
                .region(&region)
                .disable_ec2_metadata();
            if let Ok(endpoint) = std::env::var("AWS_ENDPOINT_URL_S3").or_else(|_| std::env::var("AWS_ENDPOINT_URL")) {
                b = b.endpoint(&endpoint);
            }
            Operator::new(b)
        }
        Backend::Http { endpoint, path, user } => {
            let mut b = services::Webdav::default()
                .endpoint(endpoint)
                .root(&format!("/{path}"))
                // A bare PUT, as Bazel's HTTP cache takes it: no PROPFIND and MKCOL first (nginx's WebDAV
                // module makes the directories itself with `create_full_put_path`).
                .disable_create_dir(true);
            if let Some((name, password)) = user {
                b = b.username(name).password(&password.0);
            }
            Operator::new(b)
        }
        Backend::Redis {
            endpoint,
            db,
            user,
            password,
        } => {
            let mut b = services::Redis::default().endpoint(endpoint).db(*db).root("/lintmux");
            if let Some(user) = user {
                b = b.username(user);
            }
            if let Some(password) = password {
                b = b.password(&password.0);
            }
            Operator::new(b)
        }
        Backend::Gha => {
            if std::env::var_os("ACTIONS_RUNTIME_TOKEN").is_none() {
                return Err("gha needs the job's ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL (or \
                            ACTIONS_CACHE_URL), which GitHub gives only to actions: see the README"
                    .to_owned());
            }
            let b = services::Ghac::default()
                .root("/lintmux")
                .version(concat!("lintmux-", env!("CARGO_PKG_VERSION")));
            Operator::new(b)
        }
    };
    built.map_err(|e| format!("cannot use {}: {}", url.shown, one_line(&e)))
}

/// Where the entry of `key` lives (Bazel's HTTP cache keeps action results under `ac/`).
pub(crate) fn path_of(key: &str) -> String {
    format!("ac/{key}")
}

/// The entry of `key`, if there is one: its size asked first, so that one over `cap` is refused without
/// being read, then exactly that many bytes read (both within one `timeout`).
pub(crate) async fn get(op: &Operator, key: &str, cap: usize, timeout: Duration) -> Result<Option<Vec<u8>>, Fault> {
    let path = path_of(key);
    let lookup = async {
        let size = match op.stat(&path).await {
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(fault(&e)),
            Ok(meta) => meta.content_length(),
        };
        if size > cap as u64 {
            return Err(Fault::TooLarge(cap));
        }
        if size == 0 {
            return Ok(Some(Vec::new()));
        }
        match op.read_with(&path).range(0..size).await {
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(fault(&e)),
            Ok(buffer) => Ok(Some(buffer.to_vec())),
        }
    };
    tokio::time::timeout(timeout, lookup)
        .await
        .unwrap_or(Err(Fault::Timeout(timeout)))
}

/// Stores `bytes` as the entry of `key`.
pub(crate) async fn put(op: &Operator, key: &str, bytes: Vec<u8>, timeout: Duration) -> Result<(), Fault> {
    match tokio::time::timeout(timeout, op.write(&path_of(key), bytes)).await {
        Err(_) => Err(Fault::Timeout(timeout)),
        Ok(Err(e)) => Err(fault(&e)),
        Ok(Ok(_)) => Ok(()),
    }
}

/// Removes the entry of `key` (the connection check's probe).
pub(crate) async fn delete(op: &Operator, key: &str, timeout: Duration) -> Result<(), Fault> {
    match tokio::time::timeout(timeout, op.delete(&path_of(key))).await {
        Err(_) => Err(Fault::Timeout(timeout)),
        Ok(Err(e)) => Err(fault(&e)),
        Ok(Ok(())) => Ok(()),
    }
}

fn fault(e: &opendal::Error) -> Fault {
    match e.kind() {
        ErrorKind::PermissionDenied => Fault::Denied(one_line(e)),
        _ => Fault::Failed(one_line(e)),
    }
}

/// An opendal error in one line of reasonable length.
fn one_line(e: &opendal::Error) -> String {
    let text = e.to_string().replace('\n', " ");
    let mut line: String = text.chars().take(300).collect();
    if line.len() < text.len() {
        line.push('…');
    }
    line
}
