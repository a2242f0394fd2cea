//! `--report checkstyle`: checkstyle's XML (`<checkstyle><file name><error …/></file></checkstyle>`), which
//! reviewdog, Jenkins warnings-ng and many editor plugins read. One `<file>` per file with findings, in
//! report order; `source` is `linter/rule`; notes are checkstyle's `info`.

use std::io::Write;

use super::xml;
use crate::model::Level;
use crate::model::Report;

fn severity(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "info",
    }
}

pub(crate) fn write_checkstyle(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    let mut current: Option<&str> = None;
    for f in &report.findings {
        if current != Some(f.path.as_str()) {
            if current.is_some() {
                writeln!(out, "  </file>")?;
            }
            writeln!(out, r#"  <file name="{}">"#, xml::attr(&f.path))?;
            current = Some(&f.path);
        }
        writeln!(
            out,
            r#"    <error line="{}" column="{}" severity="{}" message="{}" source="{}"/>"#,
            f.line,
            f.column,
            severity(f.level),
            xml::attr(&f.message),
            xml::attr(&format!("{}/{}", f.linter, f.rule))
        )?;
    }
    if current.is_some() {
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_of_the_sample() {
        let mut out = Vec::new();
        write_checkstyle(&crate::report::sample::report(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("checkstyle", text);
        });
    }
}
