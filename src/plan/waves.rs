//! The order in which tools that write take turns, so that no two ever touch one file at once: fixers
//! before formatters (a fix can leave code the formatter then tidies), then by name, in waves whose tools
//! share no file. Each wave ends before the next starts.

use std::collections::HashSet;

use crate::catalog::{Kind, LinterDef};

/// Tools that write, in the order they run: each inner list is a wave of tools that share no file.
/// Fixers come before formatters (a fix can leave code the formatter then tidies), then by name.
pub(crate) fn waves<'a>(tools: &[(&'a LinterDef, Vec<&'a str>)]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..tools.len()).collect();
    order.sort_by_key(|&i| (tools[i].0.kind == Kind::Formatter, tools[i].0.name.as_str()));
    let sets: Vec<HashSet<&str>> = tools.iter().map(|(_, files)| files.iter().copied().collect()).collect();
    let mut wave_of: Vec<usize> = vec![0; tools.len()];
    let mut waves: Vec<Vec<usize>> = Vec::new();
    for (pos, &i) in order.iter().enumerate() {
        // After every wave of an earlier tool that shares a file with this one.
        let after = order[..pos]
            .iter()
            .filter(|&&j| !sets[i].is_disjoint(&sets[j]))
            .map(|&j| wave_of[j] + 1)
            .max()
            .unwrap_or(0);
        // A formatter never shares a wave with a fixer: all fixing is done first.
        let after = if tools[i].0.kind == Kind::Formatter {
            let fixers_end = order[..pos]
                .iter()
                .filter(|&&j| tools[j].0.kind != Kind::Formatter)
                .map(|&j| wave_of[j] + 1)
                .max()
                .unwrap_or(0);
            after.max(fixers_end)
        } else {
            after
        };
        wave_of[i] = after;
        if waves.len() <= after {
            waves.resize_with(after + 1, Vec::new);
        }
        waves[after].push(i);
    }
    waves
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str, kind: Kind) -> LinterDef {
        let text = format!(
            "description = \"\"\nhomepage = \"\"\nfile_types = [\"python\"]\ncommand = [\"t\", \"{{files}}\"]\noutput = {{ format = \"sarif\" }}\nversion = {{ pin = \"1\", command = [\"t\"], pattern = \"(1)\" }}\n{}",
            if kind == Kind::Formatter {
                "kind = \"formatter\"\n[format]\nprint = [\"t\"]\n"
            } else {
                ""
            }
        );
        let mut d: LinterDef = toml::from_str(&text).unwrap();
        d.name = name.to_owned();
        d
    }

    #[test]
    fn fixers_go_before_formatters_and_tools_sharing_a_file_never_share_a_wave() {
        let (ruff, eslint, prettier, ruff_format, shfmt) = (
            def("ruff", Kind::Linter),
            def("eslint", Kind::Linter),
            def("prettier", Kind::Formatter),
            def("ruff-format", Kind::Formatter),
            def("shfmt", Kind::Formatter),
        );
        let tools = vec![
            (&prettier, vec!["a.ts", "b.md"]),
            (&ruff, vec!["x.py"]),
            (&shfmt, vec!["s.sh"]),
            (&ruff_format, vec!["x.py"]),
            (&eslint, vec!["a.ts"]),
        ];
        let names = |w: &Vec<usize>| w.iter().map(|&i| tools[i].0.name.as_str()).collect::<Vec<_>>();
        let waves: Vec<Vec<&str>> = waves(&tools).iter().map(names).collect();
        assert_eq!(
            waves,
            [vec!["eslint", "ruff"], vec!["prettier", "ruff-format", "shfmt"]]
        );
        // Two formatters of one file: one after the other, by name.
        let black = def("black", Kind::Formatter);
        let two = vec![(&ruff_format, vec!["x.py"]), (&black, vec!["x.py", "y.py"])];
        let names = |w: &Vec<usize>| w.iter().map(|&i| two[i].0.name.as_str()).collect::<Vec<_>>();
        let waves: Vec<Vec<&str>> = super::waves(&two).iter().map(names).collect();
        assert_eq!(waves, [vec!["black"], vec!["ruff-format"]]);
    }
}
