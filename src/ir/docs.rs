//! Spec text → doc-comment lines that cannot break the generated code.

/// Turn descriptions into doc lines: each non-empty line starts with a space (so a
/// line beginning with `/` or `!` cannot change the comment kind), code fences are
/// marked `text` (so rustdoc never runs spec text as a doctest), and indentation that
/// would make an indented code block is removed.
pub fn doc_lines(parts: &[Option<&str>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for text in parts.iter().flatten() {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(String::new());
        }
        let mut in_fence = false;
        for line in text.lines() {
            // Tabs become spaces (clippy's `tabs_in_doc_comments`); other control
            // characters are dropped.
            let line: String = line
                .trim_end()
                .replace('\t', "    ")
                .chars()
                .filter(|c| !c.is_control())
                .collect();
            let trimmed = line.trim_start();
            if let Some(lang) = trimmed.strip_prefix("```") {
                if in_fence {
                    in_fence = false;
                    out.push(" ```".into());
                } else {
                    in_fence = true;
                    let lang = lang.trim();
                    let lang = if lang.is_empty() || lang == "rust" || lang == "rs" {
                        "text"
                    } else {
                        lang
                    };
                    out.push(format!(" ```{lang}"));
                }
                continue;
            }
            let kept = if in_fence { line.as_str() } else { trimmed };
            // Every non-empty line gets a leading space: `///` + `/x` would be `////x`,
            // a plain comment.
            if kept.is_empty() {
                out.push(String::new());
            } else {
                out.push(format!(" {kept}"));
            }
        }
        if in_fence {
            out.push(" ```".into());
        }
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_become_text_and_indent_is_dropped() {
        let got = doc_lines(&[
            Some("Summary"),
            Some("/pets list\n    indented\n```\nlet x = 1;\n```"),
        ]);
        assert_eq!(
            got,
            [
                " Summary",
                "",
                " /pets list",
                " indented",
                " ```text",
                " let x = 1;",
                " ```"
            ]
        );
    }

    #[test]
    fn unclosed_fence_is_closed() {
        assert_eq!(
            doc_lines(&[Some("```json\n{}")]),
            [" ```json", " {}", " ```"]
        );
    }
}
