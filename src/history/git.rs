//! The hardened `git` command and small byte/path helpers.
//!
//! Every git process decompose starts is made by [`git_command`]: an
//! argument vector in the analysed folder (never a shell), the output-format
//! config of [`GIT_CONFIG`] overridden, the redirecting variables of
//! [`GIT_ENV_REMOVE`] removed, no network and no prompt.

use super::HistoryError;
use std::ffi::{OsStr, OsString};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// Config that would change the output format, overridden on every call.
pub const GIT_CONFIG: &[&str] = &[
    "core.quotepath=off",
    "color.ui=never",
    "core.pager=cat",
    "log.showRoot=true",
    "log.showSignature=false",
    "log.follow=false",
    "diff.relative=false",
    "diff.algorithm=myers",
    "i18n.logOutputEncoding=UTF-8",
];

/// Variables that would point git at another repository or change pathspecs.
pub const GIT_ENV_REMOVE: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_LITERAL_PATHSPECS",
    "GIT_GLOB_PATHSPECS",
    "GIT_NOGLOB_PATHSPECS",
    "GIT_ICASE_PATHSPECS",
    "GIT_EXTERNAL_DIFF",
    "GIT_DIFF_OPTS",
];

pub(super) struct Git<'a> {
    pub(super) program: &'a OsStr,
    pub(super) cwd: &'a Path,
}

/// A hardened `git` command in `cwd`: no pager, no prompt, no lazy fetch,
/// only the file protocol, no optional locks, C locale, the repository's
/// environment overrides removed, stdin closed. Every git process decompose
/// starts is made here.
pub fn git_command<S: AsRef<OsStr>>(program: &OsStr, cwd: &Path, args: &[S]) -> Command {
    let mut c = Command::new(program);
    c.current_dir(cwd).arg("--no-pager");
    for kv in GIT_CONFIG {
        c.arg("-c").arg(kv);
    }
    c.args(args);
    for k in GIT_ENV_REMOVE {
        c.env_remove(k);
    }
    c.env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_ALLOW_PROTOCOL", "file")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_PAGER", "cat")
        .env("PAGER", "cat")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    c
}

impl Git<'_> {
    pub(super) fn command<S: AsRef<OsStr>>(&self, args: &[S]) -> Command {
        git_command(self.program, self.cwd, args)
    }

    pub(super) fn spawn_error(&self, e: io::Error) -> HistoryError {
        if e.kind() == io::ErrorKind::NotFound {
            HistoryError::GitMissing
        } else {
            HistoryError::Io {
                context: format!("could not run {}", self.program.to_string_lossy()),
                source: e,
            }
        }
    }

    /// Runs git to completion: (stdout, success, stderr).
    pub(super) fn run_raw<S: AsRef<OsStr>>(
        &self,
        args: &[S],
    ) -> Result<(Vec<u8>, bool, String), HistoryError> {
        let out = self
            .command(args)
            .output()
            .map_err(|e| self.spawn_error(e))?;
        Ok((
            out.stdout,
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    }

    pub(super) fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Result<Vec<u8>, HistoryError> {
        let (out, ok, stderr) = self.run_raw(args)?;
        if ok {
            Ok(out)
        } else {
            Err(self.error(args, stderr))
        }
    }

    pub(super) fn error<S: AsRef<OsStr>>(&self, args: &[S], stderr: String) -> HistoryError {
        if stderr.contains("not a git repository") {
            HistoryError::NotARepository(self.cwd.to_path_buf())
        } else if stderr.contains("dubious ownership") {
            HistoryError::UnsafeRepository {
                path: self.cwd.to_path_buf(),
                stderr: first_line(&stderr),
            }
        } else {
            HistoryError::Git {
                args: args
                    .iter()
                    .map(|a| a.as_ref().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join(" "),
                stderr: stderr.trim().to_string(),
            }
        }
    }
}

/// Kills and reaps the child if it is still running when dropped.
pub(super) struct ChildGuard(pub(super) Option<Child>);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

pub(super) fn strip_newline(v: &mut Vec<u8>) {
    if v.last() == Some(&b'\n') {
        v.pop();
    }
}

pub(super) fn first_line(s: &str) -> String {
    s.lines()
        .find(|l| l.starts_with("fatal:") || l.starts_with("error:"))
        .or_else(|| s.lines().next())
        .unwrap_or("")
        .trim()
        .to_string()
}

#[cfg(unix)]
pub(super) fn bytes_to_os(b: &[u8]) -> OsString {
    use std::os::unix::ffi::OsStrExt;
    OsStr::from_bytes(b).to_os_string()
}

#[cfg(not(unix))]
pub(super) fn bytes_to_os(b: &[u8]) -> OsString {
    OsString::from(String::from_utf8_lossy(b).into_owned())
}

pub(super) fn bytes_to_path(b: &[u8]) -> PathBuf {
    PathBuf::from(bytes_to_os(b))
}
