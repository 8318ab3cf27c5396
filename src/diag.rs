//! Diagnostics: every problem the generator reports names the file, the place in it
//! (line/column for syntax errors, a JSON pointer for structural ones) and a hint.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a file a problem sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// 1-based line and column, for syntax errors.
    LineCol(u64, u64),
    /// A JSON pointer (`/paths/~1pets/get`), for problems found after parsing.
    Pointer(String),
    /// The file as a whole (it cannot be read, for example).
    File,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Generation cannot go on; nothing is written.
    Error,
    /// Generation goes on, but something in the spec was not modelled exactly.
    Warning,
}

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the problem is in.
    pub file: PathBuf,
    /// Where in that file.
    pub location: Location,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at a JSON pointer.
    pub fn at_pointer(file: &Path, pointer: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            location: Location::Pointer(pointer.to_string()),
            message: message.into(),
            hint: None,
        }
    }

    /// An error concerning a whole file.
    pub fn in_file(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            location: Location::File,
            message: message.into(),
            hint: None,
        }
    }

    /// Attach a hint saying what to do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Turn this into a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
}

impl Diagnostic {
    /// The diagnostic for a terminal: like `Display`, plus the source line with a
    /// caret under the column for syntax errors, and ANSI colours when `color`.
    pub fn render(&self, color: bool) -> String {
        let paint = |code: &str, text: &str| {
            if color {
                format!("\x1b[{code}m{text}\x1b[0m")
            } else {
                text.to_string()
            }
        };
        let place = match &self.location {
            Location::LineCol(line, col) => format!("{}:{line}:{col}", self.file.display()),
            Location::Pointer(p) if p.is_empty() => format!("{}#/", self.file.display()),
            Location::Pointer(p) => format!("{}#{p}", self.file.display()),
            Location::File => self.file.display().to_string(),
        };
        let label = match self.severity {
            Severity::Error => paint("1;31", "error"),
            Severity::Warning => paint("1;33", "warning"),
        };
        let mut out = format!("{}: {label}: {}", paint("1", &place), self.message);
        if let Location::LineCol(line, col) = self.location
            && let Ok(text) = std::fs::read_to_string(&self.file)
            && let Some(source) = text.lines().nth(line.saturating_sub(1) as usize)
        {
            let number = line.to_string();
            let gutter = " ".repeat(number.len());
            // The caret goes under the column, counted in characters; tabs are kept
            // so that it lines up.
            let pad: String = source
                .chars()
                .take(col.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!(
                "\n{gutter} {bar}\n{} {bar} {source}\n{gutter} {bar} {pad}{}",
                paint("1;34", &number),
                paint("1;31", "^"),
                bar = paint("1;34", "|"),
            ));
        }
        if let Some(hint) = &self.hint {
            out.push_str(&format!("\n  {}: {hint}", paint("1;36", "hint")));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match &self.location {
            Location::LineCol(line, col) => write!(f, "{file}:{line}:{col}")?,
            Location::Pointer(p) if p.is_empty() => write!(f, "{file}#/")?,
            Location::Pointer(p) => write!(f, "{file}#{p}")?,
            Location::File => write!(f, "{file}")?,
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {label}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// The error type of the library: one or more diagnostics, or an I/O failure while
/// writing output.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec (or a file it references) has problems; all found in one pass.
    #[error("{}", render_list(.0))]
    Spec(Vec<Diagnostic>),
    /// Writing the output failed.
    #[error("{path}: {message}")]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The configuration is inconsistent (e.g. no output directory given).
    #[error("{0}")]
    Config(String),
    /// A bug in oapi-forge (e.g. generated code that does not parse).
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// The diagnostics of a spec error (empty for other kinds).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Spec(d) => d,
            _ => &[],
        }
    }

    pub(crate) fn io(path: &Path, err: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            message: err.to_string(),
        }
    }
}

fn render_list(diags: &[Diagnostic]) -> String {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    out.push_str(&format!(
        "{errors} error{} found; nothing was written",
        if errors == 1 { "" } else { "s" }
    ));
    out
}

/// Collects diagnostics during a stage so that all problems are reported together.
#[derive(Debug, Default)]
pub struct Sink {
    diags: Vec<Diagnostic>,
}

impl Sink {
    /// Record a diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Whether any error (not warning) was recorded.
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics recorded so far.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diags
    }

    /// Fail with everything recorded if there is an error, else hand back the warnings.
    pub fn finish(self) -> Result<Vec<Diagnostic>, Error> {
        if self.has_errors() {
            Err(Error::Spec(self.diags))
        } else {
            Ok(self.diags)
        }
    }
}

/// Escape one JSON pointer segment (`~` → `~0`, `/` → `~1`).
pub fn escape_pointer_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Append a segment to a JSON pointer.
pub fn pointer_push(base: &str, seg: &str) -> String {
    format!("{base}/{}", escape_pointer_segment(seg))
}
