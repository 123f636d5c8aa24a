//! Reading commits straight from git objects for `trend`: the commit list,
//! a commit's tree (`git ls-tree`) and blobs (`git cat-file --batch`), so
//! the working tree and the index are never touched.
//!
//! Same conventions as `history`: argument vectors (no shell), overridden
//! output config, variables that would redirect git removed, no network
//! (lazy fetch and every protocol but `file` off).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use crate::discover::TreeEntry;
use crate::history::git_command;

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("git is not installed or not on PATH")]
    Missing,
    #[error("{root}: git {args}: {message}")]
    Failed {
        root: String,
        args: String,
        message: String,
    },
    #[error("git cat-file: {0}")]
    Io(#[from] std::io::Error),
}

fn command(root: &Path, args: &[&str]) -> Command {
    git_command(std::ffi::OsStr::new("git"), root, args)
}

fn run(root: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = command(root, args).output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            GitError::Missing
        } else {
            GitError::Io(e)
        }
    })?;
    if !out.status.success() {
        return Err(GitError::Failed {
            root: root.display().to_string(),
            args: args.join(" "),
            message: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(out.stdout)
}

/// (commit id, committer time) of the first-parent history of HEAD,
/// newest first.
pub fn first_parent_history(root: &Path) -> Result<Vec<(String, i64)>, GitError> {
    let out = run(
        root,
        &["log", "--first-parent", "--format=%H %ct", "HEAD", "--"],
    )?;
    Ok(parse_commits(&out))
}

/// (commit id, committer time) of one revision.
pub fn commit(root: &Path, rev: &str) -> Result<(String, i64), GitError> {
    let out = run(
        root,
        &[
            "log",
            "-1",
            "--no-walk",
            "--format=%H %ct",
            "--end-of-options",
            rev,
            "--",
        ],
    )?;
    parse_commits(&out)
        .into_iter()
        .next()
        .ok_or_else(|| GitError::Failed {
            root: root.display().to_string(),
            args: format!("log {rev}"),
            message: format!("{rev:?} names no commit"),
        })
}

fn parse_commits(out: &[u8]) -> Vec<(String, i64)> {
    String::from_utf8_lossy(out)
        .lines()
        .filter_map(|l| {
            let (id, t) = l.split_once(' ')?;
            Some((id.to_string(), t.trim().parse().ok()?))
        })
        .collect()
}

/// The blobs of a commit's tree: (entry, object id). Submodules are left
/// out; symbolic links are kept (flagged) so discovery can report them.
pub fn tree(root: &Path, commit: &str) -> Result<Vec<(TreeEntry, String)>, GitError> {
    let out = run(root, &["ls-tree", "-r", "-l", "-z", "--full-tree", commit])?;
    let mut entries = Vec::new();
    for rec in out.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let Some(tab) = rec.iter().position(|&b| b == b'\t') else {
            continue;
        };
        let meta = String::from_utf8_lossy(&rec[..tab]);
        let path = String::from_utf8_lossy(&rec[tab + 1..]).into_owned();
        let f: Vec<&str> = meta.split_whitespace().collect();
        if f.len() < 4 || f[1] != "blob" {
            continue;
        }
        entries.push((
            TreeEntry {
                id: path,
                bytes: f[3].parse().unwrap_or(0),
                symlink: f[0] == "120000",
            },
            f[2].to_string(),
        ));
    }
    Ok(entries)
}

/// One long-running `git cat-file --batch` process.
pub struct Blobs {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Blobs {
    pub fn open(root: &Path) -> Result<Blobs, GitError> {
        let mut child = command(root, &["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    GitError::Missing
                } else {
                    GitError::Io(e)
                }
            })?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        Ok(Blobs {
            child,
            stdin,
            stdout,
        })
    }

    /// The content of one object; `Ok(None)` when the store lacks it.
    pub fn read(&mut self, id: &str) -> Result<Option<Vec<u8>>, GitError> {
        writeln!(self.stdin, "{id}")?;
        self.stdin.flush()?;
        let mut header = String::new();
        self.stdout.read_line(&mut header)?;
        let f: Vec<&str> = header.split_whitespace().collect();
        if f.len() != 3 {
            return Ok(None);
        }
        let size: usize = f[2]
            .parse()
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, header.clone()))?;
        let mut buf = vec![0u8; size + 1];
        self.stdout.read_exact(&mut buf)?;
        buf.pop();
        Ok(Some(buf))
    }
}

impl Drop for Blobs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Per non-merge commit reachable from HEAD: the (mailmapped) author name
/// and the paths it changed, bots left out. One `git log --name-only`
/// pass; for `init`'s seam owners.
pub fn commit_authors(root: &Path) -> Result<Vec<(String, Vec<String>)>, GitError> {
    let out = run(
        root,
        &[
            "log",
            "--no-merges",
            "--no-renames",
            "-z",
            "--name-only",
            "--format=%x01%aN%x00%aE",
            "HEAD",
            "--",
        ],
    )?;
    let mut commits = Vec::new();
    for rec in out.split(|&b| b == 1).filter(|r| !r.is_empty()) {
        let mut fields = rec
            .split(|&b| b == 0 || b == b'\n')
            .filter(|f| !f.is_empty())
            .map(|f| String::from_utf8_lossy(f).into_owned());
        let (Some(name), Some(email)) = (fields.next(), fields.next()) else {
            continue;
        };
        if crate::history::is_bot(&name, &email) {
            continue;
        }
        commits.push((name, fields.collect()));
    }
    Ok(commits)
}
