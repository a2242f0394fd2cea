//! Where the remote result cache is: a URL (`s3://bucket/prefix`, `http(s)://host/path`,
//! `redis://host:port/db`, `gha`), read into a [`Backend`]. Credentials in a URL (an HTTP user and
//! password, a Redis password) are kept apart from what is shown: [`RemoteUrl::shown`] never holds them.

use std::fmt;

/// A secret that is never printed (its `Debug` says `<redacted>`).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(pub(crate) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// One of the stores lintmux can keep results in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Backend {
    /// AWS S3 or an S3-compatible store; credentials, region and endpoint from the standard `AWS_*`
    /// variables or profile.
    S3 { bucket: String, prefix: String },
    /// A plain HTTP/WebDAV cache laid out as Bazel's HTTP cache (entries under `<path>/ac/`).
    Http {
        endpoint: String,
        path: String,
        user: Option<(String, Secret)>,
    },
    Redis {
        endpoint: String,
        db: i64,
        user: Option<String>,
        password: Option<Secret>,
    },
    /// The GitHub Actions cache service of the running job.
    Gha,
}

/// A remote cache's location, as given and as it may be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RemoteUrl {
    pub(crate) backend: Backend,
    /// The URL without credentials.
    pub(crate) shown: String,
}

/// What is wrong with a remote cache URL, said with the forms that work.
#[derive(Debug, thiserror::Error)]
#[error(
    "`{given}` is not a remote cache URL: {why}; write s3://BUCKET/PREFIX, http(s)://HOST/PATH, \
     redis://HOST:PORT/DB, gha, or off"
)]
pub(crate) struct BadUrl {
    given: String,
    why: String,
}

impl RemoteUrl {
    pub(crate) fn parse(given: &str) -> Result<RemoteUrl, BadUrl> {
        let bad = |why: &str| BadUrl {
            given: shown_without_credentials(given),
            why: why.to_owned(),
        };
        let given = given.trim();
        if given == "gha" {
            return Ok(RemoteUrl {
                backend: Backend::Gha,
                shown: "gha".to_owned(),
            });
        }
        let (scheme, rest) = given.split_once("://").ok_or_else(|| bad("it has no scheme"))?;
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let path = path.trim_end_matches('/');
        let (userinfo, host) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        if host.is_empty() {
            return Err(bad("it names no host"));
        }
        let shown = format!("{scheme}://{host}{}{path}", if path.is_empty() { "" } else { "/" });
        let backend = match scheme {
            "s3" => {
                if userinfo.is_some() {
                    return Err(bad(
                        "S3 credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, not the URL",
                    ));
                }
                Backend::S3 {
                    bucket: host.to_owned(),
                    prefix: path.to_owned(),
                }
            }
            "http" | "https" => Backend::Http {
                endpoint: format!("{scheme}://{host}"),
                path: path.to_owned(),
                user: userinfo.map(|u| {
                    let (name, password) = u.split_once(':').unwrap_or((u, ""));
                    (name.to_owned(), Secret(password.to_owned()))
                }),
            },
            "redis" | "rediss" => {
                let db = if path.is_empty() {
                    0
                } else {
                    path.parse()
                        .map_err(|_| bad("the path of a redis URL is the database number"))?
                };
                let (user, password) = match userinfo.map(|u| u.split_once(':').unwrap_or(("", u))) {
                    Some((u, p)) => (Some(u.to_owned()).filter(|u| !u.is_empty()), Some(Secret(p.to_owned()))),
                    None => (None, None),
                };
                Backend::Redis {
                    endpoint: format!("{scheme}://{host}"),
                    db,
                    user,
                    password,
                }
            }
            other => return Err(bad(&format!("lintmux has no `{other}` backend"))),
        };
        Ok(RemoteUrl { backend, shown })
    }
}

/// `given` with whatever stands before an `@` in its authority left out.
fn shown_without_credentials(given: &str) -> String {
    match given.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_once('/').map_or((rest, None), |(a, p)| (a, Some(p)));
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            match path {
                Some(p) => format!("{scheme}://{host}/{p}"),
                None => format!("{scheme}://{host}"),
            }
        }
        None => given.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_backend_and_no_credentials_shown() {
        let s3 = RemoteUrl::parse("s3://team-cache/lintmux/ci/").unwrap();
        assert_eq!(
            s3.backend,
            Backend::S3 {
                bucket: "team-cache".into(),
                prefix: "lintmux/ci".into()
            }
        );
        assert_eq!(s3.shown, "s3://team-cache/lintmux/ci");
        let http = RemoteUrl::parse("https://ci:s3cret@cache.example.com/lintmux").unwrap();
        assert_eq!(http.shown, "https://cache.example.com/lintmux");
        assert!(!format!("{http:?}").contains("s3cret"), "{http:?}");
        let redis = RemoteUrl::parse("redis://:pw@10.0.0.5:6379/3").unwrap();
        assert_eq!(redis.shown, "redis://10.0.0.5:6379/3");
        assert!(matches!(redis.backend, Backend::Redis { db: 3, user: None, .. }));
        assert!(!format!("{redis:?}").contains("pw@"), "{redis:?}");
        assert_eq!(RemoteUrl::parse("gha").unwrap().backend, Backend::Gha);
    }

    #[test]
    fn bad_urls_say_what_works_and_hide_credentials() {
        for (given, why) in [
            ("cache.example.com", "no scheme"),
            ("ftp://host/x", "no `ftp` backend"),
            ("redis://host/zero", "database number"),
            ("s3://key:secret@bucket/x", "AWS_ACCESS_KEY_ID"),
        ] {
            let e = RemoteUrl::parse(given).unwrap_err().to_string();
            assert!(e.contains(why) && e.contains("s3://BUCKET/PREFIX"), "{e}");
            assert!(!e.contains("secret@"), "{e}");
        }
    }
}
