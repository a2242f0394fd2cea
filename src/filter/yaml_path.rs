//! Finds the line of a JSON path (`$.services.web.ports`, `$.jobs.test.steps[0]`) in a YAML file written
//! in block style, for tools that name a failing value by its path and not by its line (check-jsonschema).
//! It follows indentation, not a YAML parser: it returns the line of the deepest part of the path it
//! could follow (a flow collection, `{a: 1}` or `[1, 2]`, or an anchor stops it), and `None` when it
//! finds not even the first part, so the caller keeps line 1.

#[derive(Debug, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// `$.a.b[0]["c.d"]` → `a`, `b`, `0`, `c.d`. `None` for anything else.
fn segments(path: &str) -> Option<Vec<Seg>> {
    let mut rest = path.strip_prefix('$')?;
    let mut segs = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            segs.push(Seg::Key(r[..end].to_owned()));
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix("[\"").or_else(|| rest.strip_prefix("['")) {
            let quote = if rest.starts_with("[\"") { "\"]" } else { "']" };
            let end = r.find(quote)?;
            segs.push(Seg::Key(r[..end].to_owned()));
            rest = &r[end + 2..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            segs.push(Seg::Index(r[..end].parse().ok()?));
            rest = &r[end + 1..];
        } else {
            return None;
        }
    }
    Some(segs)
}

/// Indentation and content of a line that holds YAML content (not blank, a comment or `---`).
fn content(line: &str) -> Option<(usize, &str)> {
    let body = line.trim_start_matches(' ');
    if body.is_empty() || body.starts_with('#') || body.trim_end() == "---" || body.trim_end() == "..." {
        return None;
    }
    Some((line.len() - body.len(), body))
}

fn is_key(body: &str, key: &str) -> bool {
    [format!("{key}:"), format!("\"{key}\":"), format!("'{key}':")]
        .iter()
        .any(|k| {
            body.strip_prefix(k.as_str())
                .is_some_and(|after| after.is_empty() || after.starts_with([' ', '\t']))
        })
}

/// The 1-based line of `path` in `text`, or of the deepest part of it that could be followed.
pub(crate) fn line_of(text: &str, path: &str) -> Option<u32> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found: Option<usize> = None;
    let mut from = 0;
    // Indentation of the node the next part is below; -1 for the document.
    let mut parent: i64 = -1;
    // The line of a sequence item being entered (its first key shares the `- ` line).
    let mut item: Option<usize> = None;
    for seg in segments(path)? {
        let mut next = None;
        match seg {
            Seg::Key(key) => {
                let mut child = None;
                for (i, line) in lines.iter().enumerate().skip(from) {
                    let Some((mut ind, mut body)) = content(line) else {
                        continue;
                    };
                    if item == Some(i) {
                        let Some(rest) = body.strip_prefix("- ") else { break };
                        let trimmed = rest.trim_start_matches(' ');
                        ind += 2 + rest.len() - trimmed.len();
                        body = trimmed;
                    }
                    if i64::try_from(ind).unwrap_or(i64::MAX) <= parent {
                        break;
                    }
                    if ind == *child.get_or_insert(ind) && is_key(body, &key) {
                        next = Some((i, ind, None));
                        break;
                    }
                }
            }
            Seg::Index(n) => {
                let mut count = 0;
                let mut seq = None;
                for (i, line) in lines.iter().enumerate().skip(from) {
                    let Some((ind, body)) = content(line) else { continue };
                    if item == Some(i) && i == from {
                        // A sequence directly inside a sequence item is not followed.
                        break;
                    }
                    let dash = body == "-" || body.starts_with("- ");
                    let deeper = i64::try_from(ind).unwrap_or(i64::MAX) > parent;
                    if !(deeper || (dash && i64::try_from(ind).unwrap_or(i64::MAX) == parent)) {
                        break;
                    }
                    match seq {
                        None if !dash => break,
                        None => seq = Some(ind),
                        Some(s) if ind < s => break,
                        _ => {}
                    }
                    if dash && Some(ind) == seq {
                        if count == n {
                            next = Some((i, ind, Some(i)));
                            break;
                        }
                        count += 1;
                    }
                }
            }
        }
        let Some((i, ind, entered)) = next else { break };
        found = Some(i);
        parent = i64::try_from(ind).unwrap_or(i64::MAX);
        item = entered;
        from = if entered.is_some() { i } else { i + 1 };
    }
    found.and_then(|i| u32::try_from(i + 1).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMPOSE: &str = "\
services:
  api:
    image: x
    ports:
      - \"8080:8080\"
    environment:
      PORT: \"8080\"

  backup:
    image: y
    # runs after the api
    depends_on: api
    volumes:
    - a:/data
    - ./b:/c
";

    #[test]
    fn keys_and_indices() {
        assert_eq!(line_of(COMPOSE, "$.services.backup.depends_on"), Some(12));
        assert_eq!(line_of(COMPOSE, "$.services.backup"), Some(9));
        assert_eq!(line_of(COMPOSE, "$.services.api.ports[0]"), Some(5));
        assert_eq!(line_of(COMPOSE, "$.services.backup.volumes[1]"), Some(15));
        assert_eq!(line_of(COMPOSE, "$.services[\"api\"].environment.PORT"), Some(7));
        // The deepest part that exists.
        assert_eq!(line_of(COMPOSE, "$.services.api.healthcheck.interval"), Some(2));
        assert_eq!(line_of(COMPOSE, "$.volumes"), None);
        assert_eq!(line_of(COMPOSE, "$"), None);
        // A key of a sibling service is not taken for one of this service.
        assert_eq!(line_of(COMPOSE, "$.services.backup.ports"), Some(9));
    }

    #[test]
    fn keys_of_sequence_items() {
        let wf = "on: push\njobs:\n  test:\n    steps:\n      - uses: a@v1\n        with:\n          x: 1\n      - name: b\n        run: echo\n";
        assert_eq!(line_of(wf, "$.jobs.test.steps[0].with.x"), Some(7));
        assert_eq!(line_of(wf, "$.jobs.test.steps[1].run"), Some(9));
        assert_eq!(line_of(wf, "$.jobs.test.steps[1].with"), Some(8));
        assert_eq!(line_of(wf, "$.jobs.test.steps[0].uses"), Some(5));
    }

    #[test]
    fn not_a_path() {
        assert_eq!(line_of(COMPOSE, "services.api"), None);
        assert_eq!(line_of(COMPOSE, "$.services[x]"), None);
    }
}
