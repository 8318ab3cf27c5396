//! Stage 4: put rendered files on disk.
//!
//! Generated files are rewritten atomically (temporary file + rename) and only when
//! their content changed, so unchanged files keep their mtime and cargo does not
//! rebuild. Scaffold files are written only when absent. Nothing else in the output
//! directories is touched.

use std::path::{Path, PathBuf};

use crate::diag::Error;
use crate::render::{FileSink, GeneratedFile, Ownership, Target};

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
        use std::io::Write;
        let mut file = self.open(path)?;
        file.write_all(bytes).map_err(|e| Error::io(path, e))
    }

    /// A new temporary file beside `path` (never an existing file or link of that
    /// name), to be written by the caller and renamed over `path` on commit.
    pub fn open(&mut self, path: &Path) -> Result<std::fs::File, Error> {
        let mut missing = Vec::new();
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
            missing.push(d.to_path_buf());
            dir = d.parent();
        }
        self.created.extend(missing.into_iter().rev());
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let tmp = temp_path(path);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| Error::io(&tmp, e))?;
        self.staged.push((tmp, path.to_path_buf()));
        Ok(file)
    }

    /// The temporary file of the last [`Staging::open`].
    fn last(&self) -> Option<&Path> {
        self.staged.last().map(|(tmp, _)| tmp.as_path())
    }

    /// Remove the last staged file (it turned out the same as its target).
    fn discard_last(&mut self) {
        if let Some((tmp, _)) = self.staged.pop() {
            let _ = std::fs::remove_file(tmp);
        }
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

/// Whether the files at `a` and `b` hold the same bytes.
fn same_contents(a: &Path, b: &Path) -> Result<bool, Error> {
    use std::io::Read;
    let open = |p: &Path| std::fs::File::open(p).map_err(|e| Error::io(p, e));
    let (mut fa, mut fb) = (open(a)?, open(b)?);
    let len =
        |f: &std::fs::File, p: &Path| f.metadata().map(|m| m.len()).map_err(|e| Error::io(p, e));
    if len(&fa, a)? != len(&fb, b)? {
        return Ok(false);
    }
    let (mut ba, mut bb) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let n = fa.read(&mut ba).map_err(|e| Error::io(a, e))?;
        if n == 0 {
            return Ok(true);
        }
        fb.read_exact(&mut bb[..n]).map_err(|e| Error::io(b, e))?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}

/// Where a file of a crate goes on disk (`None`: that crate is not written).
pub type Place<'a> = &'a dyn Fn(Target, &str) -> Result<Option<PathBuf>, Error>;

/// The result of [`DiskSink::finish`]: what happened to each file, what the user's
/// manifests lack, and the time spent writing all told.
pub type Written = (Vec<FileReport>, Vec<crate::Diagnostic>, std::time::Duration);

/// A [`FileSink`] that stages each file on disk as it is written (see [`Staging`])
/// and records what happens to it; [`DiskSink::finish`] commits them all.
pub struct DiskSink<'a> {
    place: Place<'a>,
    staging: Staging,
    files: Vec<FileReport>,
    /// Scaffold manifests kept as the user's, with what would have been written.
    kept_manifests: Vec<(PathBuf, GeneratedFile)>,
    current: Option<Current>,
    /// Time spent writing, comparing and committing.
    pub time: std::time::Duration,
}

enum Current {
    /// Its crate is not written.
    Skip,
    /// A scaffold file the user has; a manifest's contents are kept to compare.
    Kept {
        path: PathBuf,
        manifest: Option<(Target, String, Vec<u8>)>,
    },
    Staged {
        path: PathBuf,
        file: std::io::BufWriter<std::fs::File>,
        existed: bool,
    },
}

impl<'a> DiskSink<'a> {
    /// A sink writing where `place` says.
    pub fn new(place: Place<'a>) -> Self {
        DiskSink {
            place,
            staging: Staging::default(),
            files: Vec::new(),
            kept_manifests: Vec::new(),
            current: None,
            time: Default::default(),
        }
    }

    /// Put every staged file in place.
    pub fn finish(mut self) -> Result<Written, Error> {
        let started = std::time::Instant::now();
        std::mem::take(&mut self.staging).commit()?;
        let placed: Vec<(PathBuf, &GeneratedFile)> = self
            .kept_manifests
            .iter()
            .map(|(p, f)| (p.clone(), f))
            .collect();
        let plan: Vec<FileReport> = placed
            .iter()
            .map(|(path, _)| FileReport {
                path: path.clone(),
                action: Action::Kept,
                diff: None,
            })
            .collect();
        let missing = missing_dependencies(&placed, &plan);
        self.time += started.elapsed();
        Ok((std::mem::take(&mut self.files), missing, self.time))
    }
}

impl FileSink for DiskSink<'_> {
    fn begin(&mut self, target: Target, rel: &str, ownership: Ownership) -> Result<(), Error> {
        let started = std::time::Instant::now();
        let Some(path) = (self.place)(target, rel)? else {
            self.current = Some(Current::Skip);
            return Ok(());
        };
        let existed = match std::fs::metadata(&path) {
            Ok(_) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(Error::io(&path, e)),
        };
        self.current = Some(if existed && ownership == Ownership::Scaffold {
            let manifest = rel
                .ends_with("Cargo.toml")
                .then(|| (target, rel.to_string(), Vec::new()));
            Current::Kept { path, manifest }
        } else {
            let file = std::io::BufWriter::with_capacity(64 * 1024, self.staging.open(&path)?);
            Current::Staged {
                path,
                file,
                existed,
            }
        });
        self.time += started.elapsed();
        Ok(())
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let started = std::time::Instant::now();
        match &mut self.current {
            Some(Current::Staged { path, file, .. }) => {
                std::io::Write::write_all(file, bytes).map_err(|e| Error::io(path, e))?;
            }
            Some(Current::Kept {
                manifest: Some((.., contents)),
                ..
            }) => contents.extend_from_slice(bytes),
            _ => {}
        }
        self.time += started.elapsed();
        Ok(())
    }

    fn end(&mut self) -> Result<(), Error> {
        let started = std::time::Instant::now();
        match self.current.take() {
            None | Some(Current::Skip) => {}
            Some(Current::Kept { path, manifest }) => {
                if let Some((target, rel, contents)) = manifest {
                    self.kept_manifests.push((
                        path.clone(),
                        GeneratedFile {
                            target,
                            path: PathBuf::from(rel),
                            contents: String::from_utf8_lossy(&contents).into_owned(),
                            ownership: Ownership::Scaffold,
                        },
                    ));
                }
                self.files.push(FileReport {
                    path,
                    action: Action::Kept,
                    diff: None,
                });
            }
            Some(Current::Staged {
                path,
                file,
                existed,
            }) => {
                file.into_inner()
                    .map_err(|e| Error::io(&path, e.into_error()))?;
                let action = match (existed, self.staging.last()) {
                    (true, Some(tmp)) if same_contents(tmp, &path)? => {
                        self.staging.discard_last();
                        Action::Unchanged
                    }
                    (true, _) => Action::Updated,
                    (false, _) => Action::Created,
                };
                self.files.push(FileReport {
                    path,
                    action,
                    diff: None,
                });
            }
        }
        self.time += started.elapsed();
        Ok(())
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
