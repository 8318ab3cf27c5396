//! Stage 4: put rendered files on disk.
//!
//! Generated files are rewritten atomically (temporary file + rename) and only when
//! their content changed, so unchanged files keep their mtime and cargo does not
//! rebuild. Scaffold files are written only when absent. Nothing else in the output
//! directories is touched.

use std::path::{Path, PathBuf};

use crate::diag::Error;
use crate::render::{GeneratedFile, Ownership};

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Written because it did not exist.
    Created,
    /// Rewritten because its content changed.
    Updated,
    /// Left alone: same content.
    Unchanged,
    /// Left alone: a scaffold file the user owns.
    Kept,
}

/// One file of a run, with where it went and what happened.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// Absolute or user-relative path on disk.
    pub path: PathBuf,
    /// What happened.
    pub action: Action,
    /// For `check`: a unified diff from what is on disk to what would be written
    /// (created and updated generated files only).
    pub diff: Option<String>,
}

/// Decide what each file needs, without writing anything.
pub fn plan(files: &[(PathBuf, &GeneratedFile)]) -> Result<Vec<FileReport>, Error> {
    files
        .iter()
        .map(|(path, file)| {
            Ok(FileReport {
                path: path.clone(),
                action: plan_one(path, file)?,
                diff: None,
            })
        })
        .collect()
}

/// What `file` needs to be at `path`.
pub fn plan_one(path: &Path, file: &GeneratedFile) -> Result<Action, Error> {
    Ok(match std::fs::read(path) {
        Ok(existing) => {
            if file.ownership == Ownership::Scaffold {
                Action::Kept
            } else if existing == file.contents.as_bytes() {
                Action::Unchanged
            } else {
                Action::Updated
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Action::Created,
        Err(e) => return Err(Error::io(path, e)),
    })
}

/// Fill in the unified diff of every file [`plan`] found created or updated.
pub fn add_diffs(files: &[(PathBuf, &GeneratedFile)], plan: &mut [FileReport]) {
    for ((path, file), report) in files.iter().zip(plan.iter_mut()) {
        if !matches!(report.action, Action::Created | Action::Updated) {
            continue;
        }
        let old = std::fs::read_to_string(path).unwrap_or_default();
        let shown = path.display().to_string();
        let from = if report.action == Action::Created {
            "/dev/null".to_string()
        } else {
            format!("a/{shown}")
        };
        let diff = similar::TextDiff::from_lines(&old, &file.contents)
            .unified_diff()
            .context_radius(3)
            .header(&from, &format!("b/{shown}"))
            .to_string();
        report.diff = Some(diff);
    }
}

/// Write what [`plan`] decided, all or nothing (see [`Staging`]).
pub fn apply(files: &[(PathBuf, &GeneratedFile)], plan: &[FileReport]) -> Result<(), Error> {
    let mut staging = Staging::default();
    for ((path, file), report) in files.iter().zip(plan) {
        if matches!(report.action, Action::Created | Action::Updated) {
            staging.stage(path, file.contents.as_bytes())?;
        }
    }
    staging.commit()
}

/// New contents written all or nothing: each is first written to a temporary file
/// beside its target; only [`Staging::commit`], once all of them are on disk, renames
/// them into place. Dropped uncommitted (an error while staging: disk full,
/// permissions …), it removes the temporary files and leaves the previous output
/// exactly as it was.
#[derive(Debug, Default)]
pub struct Staging {
    /// (temporary file, target), not yet renamed.
    staged: Vec<(PathBuf, PathBuf)>,
    /// Directories created for them, outermost first.
    created: Vec<PathBuf>,
}

impl Staging {
    /// Write `bytes` to a temporary file beside `path`.
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> Result<(), Error> {
        let mut missing = Vec::new();
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
            missing.push(d.to_path_buf());
            dir = d.parent();
        }
        self.created.extend(missing.into_iter().rev());
        let tmp = stage(path, bytes)?;
        self.staged.push((tmp, path.to_path_buf()));
        Ok(())
    }

    /// Rename every staged file into place.
    pub fn commit(mut self) -> Result<(), Error> {
        let staged = std::mem::take(&mut self.staged);
        for (i, (tmp, path)) in staged.iter().enumerate() {
            if let Err(e) = std::fs::rename(tmp, path) {
                // The rest are removed when `self` drops.
                self.staged = staged[i..].to_vec();
                self.created.clear();
                return Err(Error::io(path, e));
            }
        }
        self.created.clear();
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        for (tmp, _) in &self.staged {
            let _ = std::fs::remove_file(tmp);
        }
        // Innermost first; a directory something else was put in stays.
        for dir in self.created.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Refuse to write through a symbolic link anywhere below the output directory
/// `dir` (the directory itself is the user's choice): a link planted in the output
/// (`src -> /etc`) must not redirect generated files outside it.
pub fn check_inside(dir: &Path, relative: &Path) -> Result<(), Error> {
    let mut path = dir.to_path_buf();
    for part in relative.components() {
        match part {
            std::path::Component::Normal(p) => path.push(p),
            _ => {
                return Err(Error::Internal(format!(
                    "output path `{}` is not a plain relative path",
                    relative.display()
                )));
            }
        }
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::Io {
                path: path.clone(),
                message:
                    "is a symbolic link inside the output directory; refusing to write through it"
                        .into(),
            });
        }
    }
    Ok(())
}

/// The temporary file beside `path` that [`stage`] writes.
fn temp_path(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.oapi-forge-{}.tmp", std::process::id()))
}

/// Write `bytes` to a new temporary file beside `path` (never through an existing
/// file or link of that name) and return its path.
fn stage(path: &Path, bytes: &[u8]) -> Result<PathBuf, Error> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = temp_path(path);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| f.write_all(bytes));
    match written {
        Ok(()) => Ok(tmp),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::io(&tmp, e)),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(Error::io(path, e))
        }
    }
}

/// A scaffold `Cargo.toml` is the user's and is never rewritten; when the generated
/// code now needs a dependency it lacks (the spec gained a `format: uuid`, say), say
/// which line to add.
pub fn missing_dependencies(
    files: &[(PathBuf, &GeneratedFile)],
    plan: &[FileReport],
) -> Vec<crate::Diagnostic> {
    let mut out = Vec::new();
    for ((path, file), report) in files.iter().zip(plan) {
        if report.action != Action::Kept || !path.ends_with("Cargo.toml") {
            continue;
        }
        let Ok(existing) = std::fs::read_to_string(path) else {
            continue;
        };
        let declared: Vec<&str> = existing
            .lines()
            .filter_map(|l| l.split(['=', '.']).next())
            .map(str::trim)
            .collect();
        let mut section = "";
        for line in file.contents.lines() {
            let t = line.trim();
            if t.starts_with('[') {
                section = t;
                continue;
            }
            let Some((name, _)) = t.split_once('=') else {
                continue;
            };
            let name = name.trim();
            if t.starts_with('#') || name.is_empty() {
                continue;
            }
            if section == "[features]" {
                if !declared.contains(&name) {
                    out.push(
                        crate::Diagnostic::in_file(path, format!("the generated code uses the feature `{name}`, which this Cargo.toml (yours, never rewritten) does not declare"))
                            .hint(format!("add under [features]: {t}"))
                            .warning(),
                    );
                }
                continue;
            }
            if section != "[dependencies]" {
                continue;
            }
            if !declared.contains(&name) {
                out.push(
                    crate::Diagnostic::in_file(path, format!("the generated code needs the dependency `{name}`, which this Cargo.toml (yours, never rewritten) lacks"))
                        .hint(format!("add under [dependencies]: {t}"))
                        .warning(),
                );
                continue;
            }
            // Declared: does it enable every feature the generated code uses?
            let needed = features_of(t);
            let have = existing
                .lines()
                .find(|l| l.split(['=', '.']).next().map(str::trim) == Some(name))
                .unwrap_or("");
            let missing: Vec<&str> = needed
                .into_iter()
                .filter(|f| !have.contains(&format!("\"{f}\"")))
                .collect();
            if !missing.is_empty() {
                out.push(
                    crate::Diagnostic::in_file(path, format!("the generated code needs the feature(s) {} of `{name}`, which this Cargo.toml (yours, never rewritten) does not enable", missing.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")))
                        .hint(format!("change its line to: {t}"))
                        .warning(),
                );
            }
        }
    }
    out
}

/// The `features = [...]` of a dependency line.
fn features_of(line: &str) -> Vec<&str> {
    let Some(start) = line.find("features") else {
        return Vec::new();
    };
    let rest = &line[start..];
    let (Some(open), Some(close)) = (rest.find('['), rest.find(']')) else {
        return Vec::new();
    };
    rest[open + 1..close]
        .split(',')
        .map(|f| f.trim().trim_matches('"'))
        .filter(|f| !f.is_empty())
        .collect()
}
