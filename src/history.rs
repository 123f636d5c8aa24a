//! Git history mining: per-file commits, churn, authors and co-change, read
//! from the `git` command line.
//!
//! # How git is run
//!
//! Every call goes through [`std::process::Command`] with an argument vector
//! (never a shell), in the analysed folder, with `--no-pager`,
//! `-c core.quotepath=off`, colour off, `GIT_TERMINAL_PROMPT=0`,
//! `GIT_NO_LAZY_FETCH=1` and `GIT_ALLOW_PROTOCOL=file` (no network, not even
//! the lazy fetch of a partial clone), `LC_ALL=C` (English messages) and the
//! variables that would redirect git elsewhere (`GIT_DIR`, `GIT_WORK_TREE`,
//! ...) removed. The history itself is read as:
//!
//! ```text
//! git rev-list [--no-merges] [--max-count=N] [--since=S] --full-history HEAD -- [:(top,literal)<root>]
//! git log --no-walk=unsorted --stdin -z --raw --numstat -M --no-abbrev
//!         --diff-merges=first-parent --format=<header> [-- <root>]    (× jobs)
//! ```
//!
//! The commit list is cut into blocks of 256 consecutive commits, dealt
//! round-robin to `jobs` processes (default: the rayon pool size, at most 8;
//! one process below 256 commits) and read back in history order. The line
//! counts of `--numstat` dominate the cost and parallelise across commits:
//! on 2 idle cores, two processes took 10.1 s where one took 15.1 s
//! (14,640 commits). When other work already uses both cores, the split
//! gains nothing and costs about 5% more CPU.
//!
//! # Contracts
//!
//! * Commits reachable from `HEAD` (a detached HEAD works); merges are left out
//!   unless [`HistoryOptions::include_merges`], in which case a merge counts
//!   with its diff against its first parent. `since` is git's `--since`
//!   (committer date); `max_commits` keeps the newest N commits of that list
//!   (non-merge unless merges are included).
//! * `root` may be a subfolder of the repository: only commits and paths under
//!   it count (git pathspec), and paths are reported relative to it with `/`.
//!   A file moved into the subfolder from outside starts its history there.
//! * Renames are followed as `git log -M` detects them: a file's history
//!   includes its commits under older paths. Commits are processed newest
//!   first with a map *path at that commit → path at HEAD*. Only files that
//!   exist at `HEAD` are reported; a path deleted and later re-added is a new
//!   file from the re-add on. Submodule entries (gitlinks) are ignored.
//! * Paths are read as raw bytes from `-z` output and converted with
//!   [`String::from_utf8_lossy`]; two HEAD paths that differ only in invalid
//!   UTF-8 bytes therefore merge into one file.
//! * Authors are the `.mailmap`-resolved author name `%aN` (or `%aE` when the
//!   name is empty). Bots ([`is_bot`]) are left out of `authors` unless
//!   `include_bots`, but their commits still count everywhere else.
//! * Churn is added + deleted lines from `--numstat`; binary files count 0.
//! * All times are committer times (unix seconds).
//! * Co-change: a *changeset* is one commit, or with [`Grouping`] one logical
//!   change (its commits merged, each file once). For a changeset touching
//!   `n` reported files, if `2 <= n <= max_changeset` every pair gets
//!   `shared += 1` and `weight += 1/(n-1)`. `revs` of a file is its number of
//!   changesets of any size. `degree = 100·shared/avg(revs_a, revs_b)`,
//!   `confidence_ab = shared/revs_a`. Per-file `commits` stays the raw commit
//!   count.
//! * Shallow clones: `shallow` is set, a warning says so, and the boundary
//!   commits (whose parents are missing, so whose diff is unknown) are left
//!   out. `git log -M --numstat` dies on a commit whose objects are missing;
//!   the commits before it are kept, the failing one is kept without line
//!   counts (`partial_commits`: its raw lines if git printed them, else a
//!   tree-only read with exact renames only) or skipped when even its trees
//!   are missing (`skipped_commits`), and `git log` restarts after it. One
//!   warning sums it up.
//! * The output is deterministic: sorted maps and vectors only.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::hash::BuildHasherDefault;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

/// What to read from the history and how to count it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryOptions {
    /// Passed to git as `--since=<value>` (committer date, any git date form).
    pub since: Option<String>,
    /// Keep only the newest N commits (non-merge ones unless merges are included).
    pub max_commits: Option<usize>,
    /// Count merge commits, with their diff against the first parent.
    pub include_merges: bool,
    /// Changesets touching more files than this are left out of co-change
    /// pairs (they still count as commits, churn and revs). Default 30.
    pub max_changeset: usize,
    /// How commits are grouped into logical changes for co-change.
    pub grouping: Grouping,
    /// Keep bots in the author sets. Default false.
    pub include_bots: bool,
    /// Number of `git log` processes; `None` = the rayon pool size (max 8),
    /// with one process for short histories.
    pub jobs: Option<usize>,
}

impl Default for HistoryOptions {
    fn default() -> Self {
        HistoryOptions {
            since: None,
            max_commits: None,
            include_merges: false,
            max_changeset: DEFAULT_MAX_CHANGESET,
            grouping: Grouping::None,
            include_bots: false,
            jobs: None,
        }
    }
}

/// Default for [`HistoryOptions::max_changeset`] (code-maat's default).
pub const DEFAULT_MAX_CHANGESET: usize = 30;

/// How commits are grouped into one logical change, for co-change only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Grouping {
    /// Each commit is its own changeset.
    #[default]
    None,
    /// Commits whose message (subject and body) matches this regex with the
    /// same ticket id form one changeset; the id is capture group 1 if the
    /// regex has one, else the whole match. Commits without a match stay alone.
    Ticket(String),
    /// Commits by the same author (mailmapped name) on the same day (author
    /// date, in the author's time zone) form one changeset.
    AuthorDay,
}

/// What the history says about the files under the analysed root.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// Full commit id of `HEAD`.
    pub head: Option<String>,
    /// Commits whose diff was read (including `partial_commits`).
    pub commits_analyzed: usize,
    /// The repository is a shallow clone.
    pub shallow: bool,
    /// Commits that could not be read at all (missing objects).
    pub skipped_commits: usize,
    /// Commits read without line counts (missing blobs); those whose rename
    /// detection failed too were read tree-only, with exact renames only.
    pub partial_commits: usize,
    /// Oldest and newest committer time among the analysed commits.
    pub window: Option<(i64, i64)>,
    /// Key: path at HEAD relative to the analysed root, `/` separators.
    /// Only files with at least one commit in the window.
    pub files: BTreeMap<String, FileHistory>,
    /// Every pair with `shared >= 1`, sorted by `(a, b)`, `a < b`.
    pub pairs: Vec<CoChange>,
    pub warnings: Vec<String>,
}

/// One file's history (under all the paths it had).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileHistory {
    /// Raw commits touching the file.
    pub commits: u32,
    /// Changesets touching the file (= `commits` without grouping); the
    /// `revs` of co-change.
    pub changesets: u32,
    /// Added + deleted lines; binary changes count 0.
    pub churn: u64,
    /// Mailmapped author names (bots left out unless asked for).
    pub authors: BTreeSet<String>,
    /// Committer time of its oldest analysed commit.
    pub first_change: i64,
    /// Committer time of its newest analysed commit.
    pub last_change: i64,
}

/// Co-change of two files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoChange {
    pub a: String,
    pub b: String,
    /// Changesets of at most `max_changeset` files touching both.
    pub shared: u32,
    /// Changesets touching `a` (any size).
    pub revs_a: u32,
    /// Changesets touching `b` (any size).
    pub revs_b: u32,
    /// code-maat degree: `100 * shared / ((revs_a + revs_b) / 2)`.
    pub degree: f64,
    /// `shared / revs_a`: how often a change to `a` also touches `b`.
    pub confidence_ab: f64,
    /// `shared / revs_b`.
    pub confidence_ba: f64,
    /// Σ 1/(n−1) over the shared changesets of n files: the clustering weight.
    pub weight: f64,
}

impl CoChange {
    /// The report filter of code-maat: average revs, shared count and degree
    /// at least the given values.
    pub fn passes(&self, min_avg_revs: f64, min_shared: u32, min_degree: f64) -> bool {
        f64::from(self.revs_a + self.revs_b) / 2.0 >= min_avg_revs
            && self.shared >= min_shared
            && self.degree >= min_degree
    }
}

impl History {
    /// Pairs kept for the report with the design's thresholds
    /// (avg revs ≥ 5, shared ≥ 5, degree ≥ 30).
    pub fn report_pairs(&self) -> impl Iterator<Item = &CoChange> {
        self.pairs.iter().filter(|p| p.passes(5.0, 5, 30.0))
    }
}

/// Why no history could be read.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error(
        "the `git` program was not found; install git or put it on PATH to get history signals"
    )]
    GitMissing,
    #[error("{0} is not a folder")]
    RootNotFound(PathBuf),
    #[error("{0} is not inside a git repository")]
    NotARepository(PathBuf),
    #[error("git refuses to read {path}: it is owned by another user (`git config --global --add safe.directory <path>` allows it): {stderr}")]
    UnsafeRepository { path: PathBuf, stderr: String },
    #[error("the git repository has no commits yet")]
    NoCommits,
    #[error("invalid ticket pattern {pattern:?}: {source}")]
    TicketPattern {
        pattern: String,
        #[source]
        source: regex::Error,
    },
    #[error("`git {args}` failed: {stderr}")]
    Git { args: String, stderr: String },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
}

/// True for well-known bot identities: names ending in `[bot]` (GitHub apps),
/// dependabot, renovate and github-actions, by name or e-mail.
pub fn is_bot(name: &str, email: &str) -> bool {
    const BOTS: &[&str] = &[
        "dependabot",
        "dependabot-preview",
        "renovate",
        "renovate-bot",
        "renovate bot",
        "renovatebot",
        "github-actions",
        "github actions",
        "github-action",
        "github action",
    ];
    let name = name.trim().to_lowercase();
    let email = email.trim().to_lowercase();
    let local = email.split('@').next().unwrap_or("");
    // GitHub no-reply addresses: 12345+name[bot]@users.noreply.github.com
    let local = local.rsplit('+').next().unwrap_or(local);
    let bare = |s: &str| s.trim_end_matches("[bot]").trim().to_string();
    name.ends_with("[bot]")
        || local.ends_with("[bot]")
        || BOTS.contains(&bare(&name).as_str())
        || BOTS.contains(&bare(local).as_str())
        || matches!(
            email.as_str(),
            "bot@renovateapp.com" | "action@github.com" | "actions@github.com"
        )
}

/// Read the history of the files under `root` (see the module docs for the
/// exact definitions).
pub fn mine(root: &Path, opts: &HistoryOptions) -> Result<History, HistoryError> {
    mine_with_git(OsStr::new("git"), root, opts)
}

/// How far [`mine_observed`] has come, for a progress bar on another thread.
#[derive(Debug, Default)]
pub struct MineProgress {
    /// Commits to read (known once the commit list is in).
    pub total: std::sync::atomic::AtomicU64,
    /// Commits read so far.
    pub done: std::sync::atomic::AtomicU64,
}

/// [`mine`], counting its progress into `progress`.
pub fn mine_observed(
    root: &Path,
    opts: &HistoryOptions,
    progress: std::sync::Arc<MineProgress>,
) -> Result<History, HistoryError> {
    mine_inner(OsStr::new("git"), root, opts, Some(progress))
}

/// [`mine`] with an explicit git program.
pub fn mine_with_git(
    git: &OsStr,
    root: &Path,
    opts: &HistoryOptions,
) -> Result<History, HistoryError> {
    mine_inner(git, root, opts, None)
}

fn mine_inner(
    git: &OsStr,
    root: &Path,
    opts: &HistoryOptions,
    progress: Option<std::sync::Arc<MineProgress>>,
) -> Result<History, HistoryError> {
    if !root.is_dir() {
        return Err(HistoryError::RootNotFound(root.to_path_buf()));
    }
    let ticket = match &opts.grouping {
        Grouping::Ticket(pattern) => {
            Some(
                regex::Regex::new(pattern).map_err(|source| HistoryError::TicketPattern {
                    pattern: pattern.clone(),
                    source,
                })?,
            )
        }
        _ => None,
    };
    let git = Git {
        program: git,
        cwd: root,
    };

    let mut prefix = git.run(&["rev-parse", "--show-prefix"])?;
    strip_newline(&mut prefix);
    let head = match git.run(&["rev-parse", "--verify", "-q", "HEAD"]) {
        Ok(out) => String::from_utf8_lossy(&out).trim().to_string(),
        Err(HistoryError::Git { .. }) => return Err(HistoryError::NoCommits),
        Err(e) => return Err(e),
    };
    if head.is_empty() {
        return Err(HistoryError::NoCommits);
    }
    let shallow = String::from_utf8_lossy(&git.run(&["rev-parse", "--is-shallow-repository"])?)
        .trim()
        == "true";

    let mut warnings = Vec::new();
    let mut boundary = HashSet::new();
    if shallow {
        let mut p = git.run(&["rev-parse", "--git-path", "shallow"])?;
        strip_newline(&mut p);
        let p = root.join(bytes_to_path(&p));
        if let Ok(text) = std::fs::read_to_string(&p) {
            boundary.extend(text.split_whitespace().map(str::to_string));
        }
    }

    // Files at HEAD under the root: the identities that history is mapped to.
    let tree = git.run(&["ls-tree", "-r", "-z", "--full-tree", "HEAD"])?;
    let mut miner = Miner::new(opts, ticket);
    miner.progress = progress;
    for rec in tree.split(|&b| b == 0) {
        let Some(tab) = rec.iter().position(|&b| b == b'\t') else {
            continue;
        };
        let (meta, path) = (&rec[..tab], &rec[tab + 1..]);
        if meta.split(|&b| b == b' ').nth(1) == Some(b"blob") && path.starts_with(&prefix) {
            miner.add_head_file(path, &String::from_utf8_lossy(&path[prefix.len()..]));
        }
    }

    let pathspec: Option<OsString> = (!prefix.is_empty()).then(|| {
        let mut p = b":(top,literal)".to_vec();
        p.extend_from_slice(&prefix);
        bytes_to_os(&p)
    });

    // The commit list, newest first.
    let mut args: Vec<OsString> = vec!["rev-list".into()];
    if !opts.include_merges {
        args.push("--no-merges".into());
    }
    if let Some(n) = opts.max_commits {
        args.push(format!("--max-count={n}").into());
    }
    if let Some(since) = &opts.since {
        args.push(format!("--since={since}").into());
    }
    args.push("--full-history".into());
    args.push("HEAD".into());
    args.push("--".into());
    args.extend(pathspec.clone());
    let (out, ok, stderr) = git.run_raw(&args)?;
    if !ok {
        if out.is_empty() {
            return Err(git.error(&args, stderr));
        }
        warnings.push(format!(
            "the commit list could not be read completely (objects missing?); using the {} commits read: {}",
            out.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count(),
            first_line(&stderr)
        ));
    }
    let mut ids: Vec<String> = String::from_utf8_lossy(&out)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if shallow {
        let before = ids.len();
        ids.retain(|id| !boundary.contains(id));
        warnings.push(format!(
            "history is shallow: only the commits present in this clone were analysed, and {} boundary commit(s) whose parents are missing were left out; run `git fetch --unshallow` for complete figures",
            before - ids.len()
        ));
    }

    let spec = LogSpec {
        git: &git,
        with_message: ticket_needed(opts),
        pathspec: pathspec.as_deref(),
    };
    let jobs = match opts.jobs {
        Some(j) => j.max(1),
        None => {
            if ids.len() < 256 {
                1
            } else {
                rayon::current_num_threads().clamp(1, 8)
            }
        }
    }
    .min(ids.len().max(1));

    if let Some(p) = &miner.progress {
        p.total
            .store(ids.len() as u64, std::sync::atomic::Ordering::Relaxed);
    }
    let reports = run_workers(&spec, &ids, jobs, &mut miner)?;

    let mut examples = BTreeSet::new();
    let mut git_warnings = BTreeSet::new();
    let mut degraded = false;
    for r in reports {
        examples.extend(r.examples);
        git_warnings.extend(r.git_warnings);
        degraded |= r.tree_only;
    }
    if miner.partial > 0 || miner.skipped > 0 {
        let mut w = format!(
            "{} commit(s) could not be read completely (objects missing from the repository): {} were read without line counts, {} were skipped",
            miner.partial + miner.skipped,
            miner.partial,
            miner.skipped
        );
        if degraded {
            w.push_str(&format!(
                "; after {MAX_FULL_FAILURES} such commits the rest of the history was read without line counts"
            ));
        }
        if let Some(e) = examples.iter().next() {
            w.push_str(&format!(" (git: {e})"));
        }
        warnings.push(w);
    }
    for w in git_warnings.into_iter().take(5) {
        warnings.push(format!("git: {w}"));
    }
    if ids.is_empty() {
        warnings.push("no commits in the selected window".to_string());
    }

    let mut history = miner.finish();
    history.head = Some(head);
    history.shallow = shallow;
    history.warnings = warnings;
    Ok(history)
}

fn ticket_needed(opts: &HistoryOptions) -> bool {
    matches!(opts.grouping, Grouping::Ticket(_))
}

fn strip_newline(v: &mut Vec<u8>) {
    if v.last() == Some(&b'\n') {
        v.pop();
    }
}

fn first_line(s: &str) -> String {
    s.lines()
        .find(|l| l.starts_with("fatal:") || l.starts_with("error:"))
        .or_else(|| s.lines().next())
        .unwrap_or("")
        .trim()
        .to_string()
}

#[cfg(unix)]
fn bytes_to_os(b: &[u8]) -> OsString {
    use std::os::unix::ffi::OsStrExt;
    OsStr::from_bytes(b).to_os_string()
}

#[cfg(not(unix))]
fn bytes_to_os(b: &[u8]) -> OsString {
    OsString::from(String::from_utf8_lossy(b).into_owned())
}

fn bytes_to_path(b: &[u8]) -> PathBuf {
    PathBuf::from(bytes_to_os(b))
}

// ---------------------------------------------------------------------------
// Running git

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

struct Git<'a> {
    program: &'a OsStr,
    cwd: &'a Path,
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
    fn command<S: AsRef<OsStr>>(&self, args: &[S]) -> Command {
        git_command(self.program, self.cwd, args)
    }

    fn spawn_error(&self, e: io::Error) -> HistoryError {
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
    fn run_raw<S: AsRef<OsStr>>(
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

    fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Result<Vec<u8>, HistoryError> {
        let (out, ok, stderr) = self.run_raw(args)?;
        if ok {
            Ok(out)
        } else {
            Err(self.error(args, stderr))
        }
    }

    fn error<S: AsRef<OsStr>>(&self, args: &[S], stderr: String) -> HistoryError {
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
struct ChildGuard(Option<Child>);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

// ---------------------------------------------------------------------------
// Reading `git log -z --raw --numstat`

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `-M --raw --numstat`: renames and line counts (reads blobs).
    Full,
    /// `--raw --no-renames`: trees only; exact renames paired by blob id.
    TreeOnly,
}

#[derive(Debug)]
struct Entry {
    status: u8,
    old_gitlink: bool,
    new_gitlink: bool,
    old_oid: Vec<u8>,
    new_oid: Vec<u8>,
    /// Source path of a rename or copy.
    src: Option<Vec<u8>>,
    /// Path after the commit (for a deletion: the deleted path).
    path: Vec<u8>,
    churn: u64,
}

#[derive(Debug)]
struct RawCommit {
    id: String,
    time: i64,
    name: String,
    email: String,
    day: String,
    message: String,
    entries: Vec<Entry>,
    partial: bool,
    /// Numstat lines were read for it (git prints them after all raw lines,
    /// once every line count is known).
    numstat_seen: bool,
}

#[derive(Debug)]
enum Item {
    Commit(RawCommit),
    /// Could not be read (or was not printed by git).
    Skipped,
}

struct LogSpec<'a> {
    git: &'a Git<'a>,
    with_message: bool,
    pathspec: Option<&'a OsStr>,
}

impl LogSpec<'_> {
    fn args(&self, mode: Mode) -> Vec<OsString> {
        let mut a: Vec<OsString> = [
            "log",
            "--no-walk=unsorted",
            "--stdin",
            "--no-abbrev",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--no-relative",
            "--diff-merges=first-parent",
            "-z",
            "--raw",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        match mode {
            Mode::Full => {
                a.push("-M".into());
                a.push("--numstat".into());
            }
            Mode::TreeOnly => a.push("--no-renames".into()),
        }
        let mut fmt = String::from("--format=%x01%H%x00%ct%x00%aN%x00%aE%x00%as");
        if self.with_message {
            fmt.push_str("%x00%B");
        }
        a.push(fmt.into());
        if let Some(p) = self.pathspec {
            a.push("--".into());
            a.push(p.into());
        }
        a
    }
}

enum StreamEnd {
    Done,
    /// git failed; the first `emitted` ids were delivered. `held` is the
    /// next id's commit if git printed its header before dying.
    Failed {
        emitted: usize,
        stderr: String,
        held: Option<RawCommit>,
    },
    Cancelled,
}

/// Runs one `git log --stdin` over `ids`, delivering one item per id in
/// order. The last commit printed is held back until the next one starts or
/// git exits successfully, so a failure never delivers a half-read commit.
fn stream(
    spec: &LogSpec,
    ids: &[String],
    mode: Mode,
    warnings: &mut BTreeSet<String>,
    emit: &mut dyn FnMut(Item) -> bool,
) -> Result<StreamEnd, HistoryError> {
    let args = spec.args(mode);
    let mut cmd = spec.git.command(&args);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut guard = ChildGuard(Some(cmd.spawn().map_err(|e| spec.git.spawn_error(e))?));
    let child = guard.0.as_mut().expect("child present");
    let mut stdin = child.stdin.take().expect("piped stdin");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut stderr_pipe = child.stderr.take().expect("piped stderr");

    let mut next = 0usize;
    let mut cancelled = false;
    let (parsed, stderr) = std::thread::scope(|s| {
        s.spawn(move || {
            let mut w = io::BufWriter::new(&mut stdin);
            for id in ids {
                if writeln!(w, "{id}").is_err() {
                    return;
                }
            }
            let _ = w.flush();
            // dropping stdin closes the pipe
        });
        let err = s.spawn(move || {
            let mut buf = Vec::new();
            let _ = stderr_pipe.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        });
        let mut deliver = |c: RawCommit| -> bool {
            let Some(off) = ids[next..].iter().position(|id| *id == c.id) else {
                return true; // not asked for: ignore
            };
            for _ in 0..off {
                if !emit(Item::Skipped) {
                    return false;
                }
            }
            next += off + 1;
            emit(Item::Commit(c))
        };
        let parsed = parse_log(
            BufReader::with_capacity(1 << 16, stdout),
            spec.with_message,
            mode,
            &mut deliver,
        );
        if matches!(parsed, Ok(ParseEnd::Stopped)) {
            cancelled = true;
            if let Some(c) = guard.0.as_mut() {
                let _ = c.kill();
            }
        }
        (parsed, err.join().unwrap_or_default())
    });
    if cancelled {
        return Ok(StreamEnd::Cancelled);
    }
    let status = guard
        .0
        .take()
        .expect("child present")
        .wait()
        .map_err(|e| HistoryError::Io {
            context: "waiting for git".into(),
            source: e,
        })?;
    for l in stderr.lines() {
        if let Some(w) = l.strip_prefix("warning: ") {
            warnings.insert(w.trim().to_string());
        }
    }
    let last = match parsed {
        Ok(ParseEnd::Eof(last)) if status.success() => last,
        Ok(ParseEnd::Stopped) => return Ok(StreamEnd::Cancelled),
        Ok(ParseEnd::Eof(last)) => {
            return Ok(StreamEnd::Failed {
                emitted: next,
                stderr,
                held: last.filter(|c| ids.get(next) == Some(&c.id)),
            });
        }
        Err(_) => {
            return Ok(StreamEnd::Failed {
                emitted: next,
                stderr,
                held: None,
            });
        }
    };
    if let Some(c) = last {
        let Some(off) = ids[next..].iter().position(|id| *id == c.id) else {
            return finish_missing(ids, next, emit);
        };
        for _ in 0..off {
            if !emit(Item::Skipped) {
                return Ok(StreamEnd::Cancelled);
            }
        }
        next += off + 1;
        if !emit(Item::Commit(c)) {
            return Ok(StreamEnd::Cancelled);
        }
    }
    finish_missing(ids, next, emit)
}

fn finish_missing(
    ids: &[String],
    next: usize,
    emit: &mut dyn FnMut(Item) -> bool,
) -> Result<StreamEnd, HistoryError> {
    for _ in next..ids.len() {
        if !emit(Item::Skipped) {
            return Ok(StreamEnd::Cancelled);
        }
    }
    Ok(StreamEnd::Done)
}

enum ParseEnd {
    /// End of output; the last commit, not yet delivered.
    Eof(Option<RawCommit>),
    /// The consumer asked to stop.
    Stopped,
}

fn next_token<R: BufRead>(r: &mut R) -> io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    if r.read_until(0, &mut buf)? == 0 {
        return Ok(None);
    }
    if buf.last() == Some(&0) {
        buf.pop();
    }
    Ok(Some(buf))
}

fn need<R: BufRead>(r: &mut R) -> io::Result<Vec<u8>> {
    next_token(r)?
        .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "truncated git log output"))
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Parses the `-z` output of `git log --raw [--numstat] --format=<header>`:
///
/// ```text
/// \x01<H>\0<ct>\0<aN>\0<aE>\0<as>[\0<B>]\0          header, ended by the tformat NUL
/// \n:<m1> <m2> <o1> <o2> <S>\0<path>\0                raw (first one after "\n")
/// :... R<score>\0<old>\0<new>\0                        raw rename / copy
/// <added>\t<deleted>\t<path>\0                        numstat ("-\t-\t" for binary)
/// <added>\t<deleted>\t\0<old>\0<new>\0                numstat of a rename
/// ```
fn parse_log<R: BufRead>(
    mut r: R,
    with_message: bool,
    mode: Mode,
    deliver: &mut dyn FnMut(RawCommit) -> bool,
) -> io::Result<ParseEnd> {
    let mut cur: Option<RawCommit> = None;
    let mut numstat: Vec<(Vec<u8>, u64)> = Vec::new();
    let mut first_diff = false;
    while let Some(mut tok) = next_token(&mut r)? {
        if tok.first() == Some(&1) {
            if let Some(mut c) = cur.take() {
                finish_commit(&mut c, &mut numstat, mode);
                if !deliver(c) {
                    return Ok(ParseEnd::Stopped);
                }
            }
            let id = lossy(&tok[1..]);
            let time = lossy(&need(&mut r)?).trim().parse().unwrap_or(0);
            let name = lossy(&need(&mut r)?);
            let email = lossy(&need(&mut r)?);
            let day = lossy(&need(&mut r)?);
            let message = if with_message {
                lossy(&need(&mut r)?)
            } else {
                String::new()
            };
            cur = Some(RawCommit {
                id,
                time,
                name,
                email,
                day,
                message,
                entries: Vec::new(),
                partial: mode == Mode::TreeOnly,
                numstat_seen: false,
            });
            first_diff = true;
            continue;
        }
        if first_diff {
            first_diff = false;
            if tok.first() == Some(&b'\n') {
                tok.remove(0);
            }
        }
        let Some(c) = cur.as_mut() else { continue };
        if tok.first() == Some(&b':') {
            let fields: Vec<&[u8]> = tok[1..].split(|&b| b == b' ').collect();
            if fields.len() < 5 {
                continue;
            }
            let status = fields[4].first().copied().unwrap_or(b'M');
            // blob ids are only needed to pair exact renames in tree-only mode
            let oid = |f: &[u8]| {
                if mode == Mode::TreeOnly {
                    f.to_vec()
                } else {
                    Vec::new()
                }
            };
            let first = need(&mut r)?;
            let (src, path) = if matches!(status, b'R' | b'C') {
                (Some(first), need(&mut r)?)
            } else {
                (None, first)
            };
            c.entries.push(Entry {
                status,
                old_gitlink: fields[0] == b"160000",
                new_gitlink: fields[1] == b"160000",
                old_oid: oid(fields[2]),
                new_oid: oid(fields[3]),
                src,
                path,
                churn: 0,
            });
        } else if let Some(t1) = tok.iter().position(|&b| b == b'\t') {
            let rest = &tok[t1 + 1..];
            let Some(t2) = rest.iter().position(|&b| b == b'\t') else {
                continue;
            };
            let added = lossy(&tok[..t1]).parse::<u64>().unwrap_or(0);
            let deleted = lossy(&rest[..t2]).parse::<u64>().unwrap_or(0);
            let path = if rest.len() == t2 + 1 {
                let _old = need(&mut r)?;
                need(&mut r)?
            } else {
                rest[t2 + 1..].to_vec()
            };
            c.numstat_seen = true;
            numstat.push((path, added + deleted));
        }
    }
    if let Some(c) = cur.as_mut() {
        finish_commit(c, &mut numstat, mode);
    }
    Ok(ParseEnd::Eof(cur))
}

/// Attaches line counts to raw entries (same order in git's output; matched
/// by path if not), and pairs exact renames in tree-only mode.
fn finish_commit(c: &mut RawCommit, numstat: &mut Vec<(Vec<u8>, u64)>, mode: Mode) {
    if !numstat.is_empty() {
        let aligned = numstat.len() == c.entries.len()
            && numstat.iter().zip(&c.entries).all(|(n, e)| n.0 == e.path);
        if aligned {
            for (e, n) in c.entries.iter_mut().zip(numstat.iter()) {
                e.churn = n.1;
            }
        } else {
            let by_path: HashMap<&[u8], u64> =
                numstat.iter().map(|(p, n)| (p.as_slice(), *n)).collect();
            for e in &mut c.entries {
                e.churn = by_path.get(e.path.as_slice()).copied().unwrap_or(0);
            }
        }
        numstat.clear();
    }
    if mode == Mode::TreeOnly {
        pair_exact_renames(&mut c.entries);
    }
}

/// Turns a deletion and an addition of the same blob into a rename.
fn pair_exact_renames(entries: &mut Vec<Entry>) {
    let mut deleted: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        if e.status == b'D' && !e.old_gitlink {
            deleted.entry(e.old_oid.clone()).or_default().push(i);
        }
    }
    if deleted.is_empty() {
        return;
    }
    for v in deleted.values_mut() {
        v.reverse(); // pop() takes them in path order
    }
    let mut drop = vec![false; entries.len()];
    for i in 0..entries.len() {
        if entries[i].status != b'A' || entries[i].new_gitlink {
            continue;
        }
        let Some(d) = deleted.get_mut(&entries[i].new_oid).and_then(|v| v.pop()) else {
            continue;
        };
        drop[d] = true;
        let src = entries[d].path.clone();
        let e = &mut entries[i];
        e.status = b'R';
        e.src = Some(src);
    }
    let mut i = 0;
    entries.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

// ---------------------------------------------------------------------------
// Workers

#[derive(Default)]
struct WorkerReport {
    failures: usize,
    tree_only: bool,
    examples: Vec<String>,
    git_warnings: BTreeSet<String>,
}

/// After this many unreadable commits a worker reads the rest tree-only.
const MAX_FULL_FAILURES: usize = 16;

/// Reads `ids` in one process, re-reading around unreadable commits.
fn worker(
    spec: &LogSpec,
    ids: &[String],
    emit: &mut dyn FnMut(Item) -> bool,
) -> Result<WorkerReport, HistoryError> {
    let mut rep = WorkerReport::default();
    let mut pos = 0;
    let mut mode = Mode::Full;
    while pos < ids.len() {
        match stream(spec, &ids[pos..], mode, &mut rep.git_warnings, emit)? {
            StreamEnd::Done | StreamEnd::Cancelled => break,
            StreamEnd::Failed {
                emitted,
                stderr,
                held,
            } => {
                pos += emitted;
                if pos >= ids.len() {
                    break;
                }
                // git computes a commit's diff and renames, prints its header
                // and raw lines, then computes every line count and prints
                // the numstat lines. So a held commit with raw lines but no
                // numstat died on its line counts (its raw lines, renames
                // included, are usable); any other held commit is complete
                // and git died on the next one before printing its header.
                let item = match held {
                    Some(c) if mode == Mode::TreeOnly || c.entries.is_empty() || c.numstat_seen => {
                        if !emit(Item::Commit(c)) {
                            break;
                        }
                        pos += 1;
                        continue;
                    }
                    Some(mut c) => {
                        c.partial = true;
                        Item::Commit(c)
                    }
                    None => read_tree_only(spec, &ids[pos], &mut rep.git_warnings)?,
                };
                rep.failures += 1;
                if rep.examples.is_empty() {
                    rep.examples.push(first_line(&stderr));
                }
                if !emit(item) {
                    break;
                }
                pos += 1;
                if rep.failures >= MAX_FULL_FAILURES && mode == Mode::Full {
                    mode = Mode::TreeOnly;
                    rep.tree_only = true;
                }
            }
        }
    }
    Ok(rep)
}

/// A commit that `-M --numstat` cannot read: its trees only, else skipped.
fn read_tree_only(
    spec: &LogSpec,
    id: &str,
    warnings: &mut BTreeSet<String>,
) -> Result<Item, HistoryError> {
    let mut got = None;
    let end = stream(
        spec,
        &[id.to_string()],
        Mode::TreeOnly,
        warnings,
        &mut |item| {
            got = Some(item);
            true
        },
    )?;
    Ok(match (end, got) {
        (StreamEnd::Done, Some(Item::Commit(c))) => Item::Commit(c),
        _ => Item::Skipped,
    })
}

type Msg = Result<Item, HistoryError>;

/// Commits per block dealt to one `git log` process.
const BLOCK: usize = 256;

fn run_workers(
    spec: &LogSpec,
    ids: &[String],
    jobs: usize,
    miner: &mut Miner,
) -> Result<Vec<WorkerReport>, HistoryError> {
    if jobs <= 1 {
        let rep = worker(spec, ids, &mut |item| {
            match item {
                Item::Commit(c) => miner.commit(c),
                Item::Skipped => miner.skipped += 1,
            }
            true
        })?;
        return Ok(vec![rep]);
    }
    // Blocks of consecutive commits dealt round-robin (consecutive commits
    // share trees and delta chains, which git caches per process); consumed
    // in order, newest first.
    let block = ids.len().div_ceil(jobs).clamp(1, BLOCK);
    let mut lists: Vec<Vec<String>> = vec![Vec::new(); jobs];
    for (c, chunk) in ids.chunks(block).enumerate() {
        lists[c % jobs].extend_from_slice(chunk);
    }
    std::thread::scope(|s| {
        let mut rxs = Vec::new();
        let mut handles = Vec::new();
        for list in &lists {
            let (tx, rx) = mpsc::sync_channel::<Msg>(4096);
            rxs.push(rx);
            handles.push(s.spawn(move || {
                let res = worker(spec, list, &mut |item| tx.send(Ok(item)).is_ok());
                match res {
                    Ok(rep) => Some(rep),
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        None
                    }
                }
            }));
        }
        let mut result = Ok(());
        for i in 0..ids.len() {
            match rxs[(i / block) % jobs].recv() {
                Ok(Ok(Item::Commit(c))) => miner.commit(c),
                Ok(Ok(Item::Skipped)) => miner.skipped += 1,
                Ok(Err(e)) => {
                    result = Err(e);
                    break;
                }
                Err(_) => {
                    result = Err(HistoryError::Io {
                        context: "reading git log".into(),
                        source: io::Error::other("a git log worker stopped early"),
                    });
                    break;
                }
            }
        }
        drop(rxs); // unblocks and stops workers on error
        let reports: Vec<Option<WorkerReport>> = handles
            .into_iter()
            .map(|h| h.join().unwrap_or(None))
            .collect();
        result?;
        Ok(reports.into_iter().flatten().collect())
    })
}

// ---------------------------------------------------------------------------
// Counting

#[derive(Default)]
struct FileAcc {
    commits: u32,
    changesets: u32,
    churn: u64,
    authors: BTreeSet<u32>,
    first: i64,
    last: i64,
}

/// Multiply-shift hashing for the pair maps' file ids: SipHash dominates the
/// uncapped co-change count otherwise. Deterministic; the output is sorted.
#[derive(Default)]
struct PairHasher(u64);

impl std::hash::Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, v: u32) {
        let h = u64::from(v).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 32);
    }
}

#[derive(Hash, PartialEq, Eq)]
enum GroupKey {
    Ticket(String),
    AuthorDay(String, String),
}

struct Miner {
    /// Commits read, for a progress bar (`mine_observed`).
    progress: Option<std::sync::Arc<MineProgress>>,
    /// Path at the commit being processed → file id (HEAD identity).
    map: HashMap<Vec<u8>, u32>,
    names: Vec<String>,
    name_ids: HashMap<String, u32>,
    files: Vec<FileAcc>,
    authors: Vec<String>,
    author_ids: HashMap<String, u32>,
    groups: Vec<Vec<u32>>,
    group_ids: HashMap<GroupKey, usize>,
    ticket: Option<regex::Regex>,
    author_day: bool,
    include_bots: bool,
    max_changeset: usize,
    analysed: usize,
    partial: usize,
    skipped: usize,
    window: Option<(i64, i64)>,
}

impl Miner {
    fn new(opts: &HistoryOptions, ticket: Option<regex::Regex>) -> Self {
        Miner {
            progress: None,
            map: HashMap::new(),
            names: Vec::new(),
            name_ids: HashMap::new(),
            files: Vec::new(),
            authors: Vec::new(),
            author_ids: HashMap::new(),
            groups: Vec::new(),
            group_ids: HashMap::new(),
            ticket,
            author_day: opts.grouping == Grouping::AuthorDay,
            include_bots: opts.include_bots,
            max_changeset: opts.max_changeset,
            analysed: 0,
            partial: 0,
            skipped: 0,
            window: None,
        }
    }

    fn add_head_file(&mut self, path: &[u8], name: &str) {
        let id = match self.name_ids.get(name) {
            Some(&id) => id,
            None => {
                let id = self.names.len() as u32;
                self.names.push(name.to_string());
                self.name_ids.insert(name.to_string(), id);
                self.files.push(FileAcc::default());
                id
            }
        };
        self.map.insert(path.to_vec(), id);
    }

    /// One commit, newest first.
    fn commit(&mut self, c: RawCommit) {
        self.analysed += 1;
        if let Some(p) = &self.progress {
            p.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        if c.partial {
            self.partial += 1;
        }
        self.window = Some(match self.window {
            None => (c.time, c.time),
            Some((lo, hi)) => (lo.min(c.time), hi.max(c.time)),
        });

        // 1. identities, looked up in the state after this commit
        let mut touched: Vec<(u32, u64)> = Vec::new();
        for e in &c.entries {
            if e.new_gitlink || e.status == b'D' {
                continue;
            }
            if let Some(&id) = self.map.get(&e.path) {
                touched.push((id, e.churn));
            }
        }
        // 2. the state before this commit: added / renamed-to paths did not
        //    exist; renamed-from paths carry the identity.
        let mut moved = Vec::new();
        for e in &c.entries {
            let added = matches!(e.status, b'A' | b'R' | b'C')
                || (e.status == b'T' && e.old_gitlink && !e.new_gitlink);
            if !added || e.new_gitlink {
                continue;
            }
            let id = self.map.remove(&e.path);
            if let (b'R', Some(id), Some(src)) = (e.status, id, &e.src) {
                moved.push((src.clone(), id));
            }
        }
        for (src, id) in moved {
            self.map.insert(src, id);
        }

        touched.sort_unstable();
        touched.dedup_by(|b, a| {
            if a.0 == b.0 {
                a.1 += b.1;
                true
            } else {
                false
            }
        });
        if touched.is_empty() {
            return;
        }

        let author = if self.include_bots || !is_bot(&c.name, &c.email) {
            let key = if c.name.is_empty() { &c.email } else { &c.name };
            Some(match self.author_ids.get(key) {
                Some(&a) => a,
                None => {
                    let a = self.authors.len() as u32;
                    self.authors.push(key.clone());
                    self.author_ids.insert(key.clone(), a);
                    a
                }
            })
        } else {
            None
        };
        for &(f, churn) in &touched {
            let acc = &mut self.files[f as usize];
            if acc.commits == 0 {
                acc.first = c.time;
                acc.last = c.time;
            } else {
                acc.first = acc.first.min(c.time);
                acc.last = acc.last.max(c.time);
            }
            acc.commits += 1;
            acc.churn += churn;
            if let Some(a) = author {
                acc.authors.insert(a);
            }
        }

        let key = if let Some(re) = &self.ticket {
            re.captures(&c.message).map(|caps| {
                let m = caps
                    .get(1)
                    .or_else(|| caps.get(0))
                    .map_or("", |m| m.as_str());
                GroupKey::Ticket(m.to_string())
            })
        } else if self.author_day {
            let who = if c.name.is_empty() { &c.email } else { &c.name };
            Some(GroupKey::AuthorDay(who.clone(), c.day.clone()))
        } else {
            None
        };
        let files = touched.into_iter().map(|(f, _)| f);
        match key {
            Some(k) => {
                let next = self.groups.len();
                let g = *self.group_ids.entry(k).or_insert(next);
                if g == next {
                    self.groups.push(Vec::new());
                }
                self.groups[g].extend(files);
            }
            None => self.groups.push(files.collect()),
        }
    }

    fn finish(mut self) -> History {
        // One small map per file (the smaller id of a pair): much better
        // cache locality than one big map when changesets are large.
        let mut rows: Vec<HashMap<u32, (u32, f64), BuildHasherDefault<PairHasher>>> =
            (0..self.files.len()).map(|_| HashMap::default()).collect();
        for g in &mut self.groups {
            g.sort_unstable();
            g.dedup();
            for &f in g.iter() {
                self.files[f as usize].changesets += 1;
            }
            let n = g.len();
            if n < 2 || n > self.max_changeset {
                continue;
            }
            let w = 1.0 / (n - 1) as f64;
            for i in 0..n {
                let row = &mut rows[g[i] as usize];
                for &b in &g[i + 1..] {
                    let e = row.entry(b).or_insert((0, 0.0));
                    e.0 += 1;
                    e.1 += w;
                }
            }
        }

        let mut files = BTreeMap::new();
        for (id, acc) in self.files.iter().enumerate() {
            if acc.commits == 0 {
                continue;
            }
            files.insert(
                self.names[id].clone(),
                FileHistory {
                    commits: acc.commits,
                    changesets: acc.changesets,
                    churn: acc.churn,
                    authors: acc
                        .authors
                        .iter()
                        .map(|&a| self.authors[a as usize].clone())
                        .collect(),
                    first_change: acc.first,
                    last_change: acc.last,
                },
            );
        }

        // Sort by the rank of the names, not by comparing strings.
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_unstable_by(|&x, &y| self.names[x as usize].cmp(&self.names[y as usize]));
        let mut rank = vec![0u32; order.len()];
        for (r, &id) in order.iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        let mut ranked: Vec<(u32, u32, u32, f64)> = Vec::new();
        for (a, row) in rows.into_iter().enumerate() {
            for (b, (shared, weight)) in row {
                let (x, y) = (rank[a], rank[b as usize]);
                ranked.push((x.min(y), x.max(y), shared, weight));
            }
        }
        ranked.sort_unstable_by_key(|p| (p.0, p.1));
        let out: Vec<CoChange> = ranked
            .into_iter()
            .map(|(ra, rb, shared, weight)| {
                let (a, b) = (order[ra as usize] as usize, order[rb as usize] as usize);
                let revs_a = self.files[a].changesets;
                let revs_b = self.files[b].changesets;
                CoChange {
                    a: self.names[a].clone(),
                    b: self.names[b].clone(),
                    shared,
                    revs_a,
                    revs_b,
                    degree: 100.0 * f64::from(shared) / (f64::from(revs_a + revs_b) / 2.0),
                    confidence_ab: f64::from(shared) / f64::from(revs_a),
                    confidence_ba: f64::from(shared) / f64::from(revs_b),
                    weight,
                }
            })
            .collect();

        History {
            head: None,
            commits_analyzed: self.analysed,
            shallow: false,
            skipped_commits: self.skipped,
            partial_commits: self.partial,
            window: self.window,
            files,
            pairs: out,
            warnings: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    const DAY: i64 = 86_400;
    const T0: i64 = 1_600_000_000; // 2020-09-13T12:26:40Z

    /// A scratch repository whose git calls ignore the user's configuration.
    struct Repo {
        dir: tempfile::TempDir,
    }

    impl Repo {
        fn new() -> Repo {
            let r = Repo {
                dir: tempfile::tempdir().unwrap(),
            };
            r.git(&["init", "-q", "-b", "main"]);
            r
        }

        fn path(&self) -> &Path {
            self.dir.path()
        }

        fn cmd(&self, args: &[&str]) -> Command {
            let mut c = Command::new("git");
            c.current_dir(self.path())
                .args(["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"])
                .args(args)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("HOME", self.path())
                .env("GIT_AUTHOR_NAME", "Alice")
                .env("GIT_AUTHOR_EMAIL", "alice@example.com")
                .env("GIT_COMMITTER_NAME", "Alice")
                .env("GIT_COMMITTER_EMAIL", "alice@example.com");
            for k in GIT_ENV_REMOVE {
                c.env_remove(k);
            }
            c
        }

        fn git(&self, args: &[&str]) -> String {
            let out = self.cmd(args).output().unwrap();
            assert!(
                out.status.success(),
                "git {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        }

        fn write(&self, path: &str, content: &str) {
            self.write_bytes(path.as_bytes(), content.as_bytes());
        }

        fn write_bytes(&self, path: &[u8], content: &[u8]) {
            let p = self.path().join(bytes_to_path(path));
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, content).unwrap();
        }

        fn append(&self, path: &str, line: &str) {
            let p = self.path().join(path);
            let mut s = std::fs::read_to_string(&p).unwrap();
            s.push_str(line);
            s.push('\n');
            std::fs::write(p, s).unwrap();
        }

        fn rm(&self, path: &str) {
            self.git(&["rm", "-q", path]);
        }

        /// Commits everything as `who <email>` at `time` (author = committer time).
        fn commit_at(&self, time: i64, who: &str, email: &str, msg: &str) -> String {
            self.git(&["add", "-A"]);
            let date = format!("@{time} +0000");
            let out = self
                .cmd(&["commit", "-q", "--allow-empty", "-m", msg])
                .env("GIT_AUTHOR_NAME", who)
                .env("GIT_AUTHOR_EMAIL", email)
                .env("GIT_AUTHOR_DATE", &date)
                .env("GIT_COMMITTER_DATE", &date)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            self.git(&["rev-parse", "HEAD"])
        }

        fn commit(&self, day: i64, msg: &str) -> String {
            self.commit_at(T0 + day * DAY, "Alice", "alice@example.com", msg)
        }
    }

    fn lines(n: usize, tag: &str) -> String {
        (0..n).map(|i| format!("{tag} line {i}\n")).collect()
    }

    fn mine_ok(root: &Path, opts: &HistoryOptions) -> History {
        mine(root, opts).unwrap_or_else(|e| panic!("mine failed: {e}"))
    }

    fn file<'a>(h: &'a History, name: &str) -> &'a FileHistory {
        h.files
            .get(name)
            .unwrap_or_else(|| panic!("{name} missing from {:?}", h.files.keys()))
    }

    fn pair<'a>(h: &'a History, a: &str, b: &str) -> &'a CoChange {
        h.pairs
            .iter()
            .find(|p| p.a == a && p.b == b)
            .unwrap_or_else(|| panic!("pair {a} {b} missing"))
    }

    fn names(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn keys(h: &History) -> Vec<&str> {
        h.files.keys().map(String::as_str).collect()
    }

    fn close(x: f64, y: f64) -> bool {
        (x - y).abs() < 1e-9
    }

    /// c1 adds a, b, old (10 lines), gone; c2 edits a, b; c3 renames old→new
    /// with one line changed; c4 edits new and a; c5 (a bot) edits b; c6
    /// deletes gone and edits a line of a.
    fn scripted() -> Repo {
        let r = Repo::new();
        r.write("a.txt", "1\n2\n3\n");
        r.write("b.txt", "x\ny\n");
        r.write("old.txt", &lines(10, "old"));
        r.write("gone.txt", "bye\n");
        r.commit_at(T0 + DAY, "Alice", "alice@example.com", "c1");
        r.append("a.txt", "4");
        r.append("b.txt", "z");
        r.commit_at(T0 + 2 * DAY, "Bob", "bob@example.com", "c2");
        r.git(&["mv", "old.txt", "new.txt"]);
        let mut s = lines(10, "old");
        s = s.replacen("old line 0", "new line 0", 1);
        r.write("new.txt", &s);
        r.commit_at(T0 + 3 * DAY, "Alice", "alice@example.com", "c3");
        r.append("new.txt", "more");
        r.append("a.txt", "5");
        r.commit_at(T0 + 4 * DAY, "Carol", "carol@example.com", "c4");
        r.append("b.txt", "bump");
        r.commit_at(
            T0 + 5 * DAY,
            "dependabot[bot]",
            "49699333+dependabot[bot]@users.noreply.github.com",
            "c5",
        );
        r.rm("gone.txt");
        r.write("a.txt", "one\n2\n3\n4\n5\n");
        r.commit_at(T0 + 6 * DAY, "Alice", "alice@example.com", "c6");
        r
    }

    #[test]
    fn edits_renames_deletions_bots_and_pairs() {
        let r = scripted();
        let h = mine_ok(r.path(), &HistoryOptions::default());
        assert_eq!(
            h.head.as_deref(),
            Some(r.git(&["rev-parse", "HEAD"]).as_str())
        );
        assert_eq!(h.commits_analyzed, 6);
        assert_eq!((h.skipped_commits, h.partial_commits), (0, 0));
        assert!(!h.shallow);
        assert_eq!(h.window, Some((T0 + DAY, T0 + 6 * DAY)));
        assert!(h.warnings.is_empty(), "{:?}", h.warnings);
        assert_eq!(keys(&h), ["a.txt", "b.txt", "new.txt"]); // gone.txt is deleted at HEAD

        let a = file(&h, "a.txt");
        assert_eq!((a.commits, a.changesets, a.churn), (4, 4, 3 + 1 + 1 + 2));
        assert_eq!(a.authors, names(&["Alice", "Bob", "Carol"]));
        assert_eq!((a.first_change, a.last_change), (T0 + DAY, T0 + 6 * DAY));

        let b = file(&h, "b.txt");
        assert_eq!((b.commits, b.churn), (3, 2 + 1 + 1));
        assert_eq!(
            b.authors,
            names(&["Alice", "Bob"]),
            "the bot is not an author"
        );
        assert_eq!(b.last_change, T0 + 5 * DAY, "the bot's commit still counts");

        // history survives the rename: 10 lines added, 1+1 on the rename, +1
        let n = file(&h, "new.txt");
        assert_eq!((n.commits, n.churn), (3, 10 + 2 + 1));
        assert_eq!(n.authors, names(&["Alice", "Carol"]));
        assert_eq!((n.first_change, n.last_change), (T0 + DAY, T0 + 4 * DAY));

        // changesets: c1 {a,b,new} c2 {a,b} c3 {new} c4 {a,new} c5 {b} c6 {a}
        assert_eq!(h.pairs.len(), 3);
        let ab = pair(&h, "a.txt", "b.txt");
        assert_eq!((ab.shared, ab.revs_a, ab.revs_b), (2, 4, 3));
        assert!(close(ab.weight, 1.5));
        assert!(close(ab.degree, 100.0 * 2.0 / 3.5));
        assert!(close(ab.confidence_ab, 0.5));
        assert!(close(ab.confidence_ba, 2.0 / 3.0));
        let an = pair(&h, "a.txt", "new.txt");
        assert_eq!((an.shared, an.revs_a, an.revs_b), (2, 4, 3));
        assert!(close(an.weight, 1.5));
        let bn = pair(&h, "b.txt", "new.txt");
        assert_eq!((bn.shared, bn.revs_a, bn.revs_b), (1, 3, 3));
        assert!(close(bn.weight, 0.5));
        assert!(close(bn.degree, 100.0 / 3.0));
        assert_eq!(h.report_pairs().count(), 0, "too few revs for the report");

        let with_bots = mine_ok(
            r.path(),
            &HistoryOptions {
                include_bots: true,
                ..Default::default()
            },
        );
        assert_eq!(
            file(&with_bots, "b.txt").authors,
            names(&["Alice", "Bob", "dependabot[bot]"])
        );
    }

    #[test]
    fn parallel_reading_gives_identical_results() {
        let r = scripted();
        let one = mine_ok(
            r.path(),
            &HistoryOptions {
                jobs: Some(1),
                ..Default::default()
            },
        );
        for jobs in [2, 3, 8] {
            let many = mine_ok(
                r.path(),
                &HistoryOptions {
                    jobs: Some(jobs),
                    ..Default::default()
                },
            );
            assert_eq!(one, many, "jobs = {jobs}");
        }
        assert_eq!(one, mine_ok(r.path(), &HistoryOptions::default()));
    }

    #[test]
    fn detached_head() {
        let r = scripted();
        r.git(&["checkout", "-q", "--detach", "HEAD~2"]); // at c4
        let h = mine_ok(r.path(), &HistoryOptions::default());
        assert_eq!(
            h.head.as_deref(),
            Some(r.git(&["rev-parse", "HEAD"]).as_str())
        );
        assert_eq!(h.commits_analyzed, 4);
        assert_eq!(keys(&h), ["a.txt", "b.txt", "gone.txt", "new.txt"]);
        assert_eq!(file(&h, "a.txt").commits, 3);
        assert_eq!(file(&h, "gone.txt").commits, 1);
    }

    #[test]
    fn merges_skipped_by_default_and_counted_on_request() {
        let r = Repo::new();
        r.write("a.txt", "a\n");
        r.write("b.txt", "b\n");
        r.commit(1, "c1");
        r.git(&["checkout", "-q", "-b", "side"]);
        r.append("b.txt", "side");
        r.commit(2, "side edit");
        r.git(&["checkout", "-q", "main"]);
        r.append("a.txt", "main");
        r.commit(3, "main edit");
        let date = format!("@{} +0000", T0 + 4 * DAY);
        let out = r
            .cmd(&["merge", "-q", "--no-ff", "-m", "merge side", "side"])
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .unwrap();
        assert!(out.status.success());

        let h = mine_ok(r.path(), &HistoryOptions::default());
        assert_eq!(h.commits_analyzed, 3);
        assert_eq!(h.window, Some((T0 + DAY, T0 + 3 * DAY)));
        assert_eq!(
            (file(&h, "a.txt").commits, file(&h, "b.txt").commits),
            (2, 2)
        );

        let m = mine_ok(
            r.path(),
            &HistoryOptions {
                include_merges: true,
                ..Default::default()
            },
        );
        assert_eq!(m.commits_analyzed, 4);
        assert_eq!(m.window, Some((T0 + DAY, T0 + 4 * DAY)));
        // the merge brings b.txt's side change into main (diff to first parent)
        let b = file(&m, "b.txt");
        assert_eq!((b.commits, b.churn, b.last_change), (3, 3, T0 + 4 * DAY));
        assert_eq!(file(&m, "a.txt").commits, 2);
    }

    #[test]
    fn mailmap_merges_identities() {
        let r = Repo::new();
        r.write(".mailmap", "Alice Smith <alice@new.example> <alice@old.example>\nAlice Smith <alice@new.example>\n");
        r.write("a.txt", "1\n");
        r.commit_at(T0, "alice", "alice@old.example", "c1");
        r.append("a.txt", "2");
        r.commit_at(T0 + DAY, "A. Smith", "alice@new.example", "c2");
        r.append("a.txt", "3");
        r.commit_at(T0 + 2 * DAY, "Bob", "bob@example.com", "c3");
        let h = mine_ok(r.path(), &HistoryOptions::default());
        assert_eq!(file(&h, "a.txt").authors, names(&["Alice Smith", "Bob"]));
        assert_eq!(file(&h, ".mailmap").authors, names(&["Alice Smith"]));
    }

    #[test]
    fn large_changesets_leave_no_pairs() {
        let r = Repo::new();
        for i in 0..31 {
            r.write(&format!("f{i:02}.txt"), "x\n");
        }
        r.commit(1, "31 files");
        r.append("f00.txt", "y");
        r.append("f01.txt", "y");
        r.commit(2, "two files");
        let h = mine_ok(r.path(), &HistoryOptions::default());
        assert_eq!(h.files.len(), 31);
        assert_eq!(file(&h, "f30.txt").commits, 1);
        assert_eq!(h.pairs.len(), 1);
        let p = pair(&h, "f00.txt", "f01.txt");
        assert_eq!((p.shared, p.revs_a, p.revs_b), (1, 2, 2));
        assert!(close(p.weight, 1.0));
        assert!(close(p.degree, 50.0));

        let all = mine_ok(
            r.path(),
            &HistoryOptions {
                max_changeset: 31,
                ..Default::default()
            },
        );
        assert_eq!(all.pairs.len(), 31 * 30 / 2);
        let p = pair(&all, "f00.txt", "f01.txt");
        assert_eq!(p.shared, 2);
        assert!(close(p.weight, 1.0 + 1.0 / 30.0));
        let q = pair(&all, "f05.txt", "f06.txt");
        assert_eq!((q.shared, q.revs_a, q.revs_b), (1, 1, 1));
        assert!(close(q.weight, 1.0 / 30.0));
    }

    #[test]
    fn binary_files_have_no_churn_and_gitlinks_are_ignored() {
        let r = Repo::new();
        r.write_bytes(b"img.bin", b"\x00\x01\x02PNG");
        r.write("t.txt", "1\n2\n");
        r.commit(1, "c1");
        r.write_bytes(b"img.bin", b"\x00\x03\x04PNG and more");
        r.append("t.txt", "3");
        let head = r.git(&["rev-parse", "HEAD"]);
        r.git(&[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{head},vendor/sub"),
        ]);
        r.commit(2, "c2");
        let h = mine_ok(r.path(), &HistoryOptions::default());
        assert_eq!(keys(&h), ["img.bin", "t.txt"]);
        let b = file(&h, "img.bin");
        assert_eq!((b.commits, b.churn), (2, 0));
        assert_eq!(file(&h, "t.txt").churn, 3);
        assert_eq!(pair(&h, "img.bin", "t.txt").shared, 2);
    }

    #[test]
    fn odd_paths_survive() {
        let r = Repo::new();
        let spaced = "dir with space/it's \"q\" \\ file.txt";
        r.write(spaced, "1\n2\n3\n4\n5\n6\n");
        r.write("tab\there.txt", "t\n");
        #[cfg(unix)]
        {
            r.write("new\nline.txt", "n\n");
            r.write_bytes(b"caf\xe9.txt", b"latin-1 name\n");
        }
        r.commit(1, "c1");
        std::fs::create_dir(r.path().join("other dir")).unwrap();
        r.git(&["mv", spaced, "other dir/\"moved\" it's.txt"]);
        r.append("other dir/\"moved\" it's.txt", "7");
        r.append("tab\there.txt", "u");
        r.commit(2, "c2");
        let h = mine_ok(r.path(), &HistoryOptions::default());
        let m = file(&h, "other dir/\"moved\" it's.txt");
        assert_eq!((m.commits, m.churn), (2, 7));
        assert_eq!(file(&h, "tab\there.txt").commits, 2);
        assert_eq!(
            pair(&h, "other dir/\"moved\" it's.txt", "tab\there.txt").shared,
            2
        );
        #[cfg(unix)]
        {
            assert_eq!(file(&h, "new\nline.txt").commits, 1);
            assert_eq!(file(&h, "caf\u{FFFD}.txt").churn, 1);
            assert_eq!(h.files.len(), 4);
        }
    }

    fn five_commits() -> Repo {
        let r = Repo::new();
        for day in 1..=5 {
            r.append_or_create("a.txt", &format!("a{day}"));
            if day % 2 == 1 {
                r.append_or_create("b.txt", &format!("b{day}"));
            }
            r.commit(day, &format!("c{day}"));
        }
        r
    }

    impl Repo {
        fn append_or_create(&self, path: &str, line: &str) {
            if self.path().join(path).exists() {
                self.append(path, line);
            } else {
                self.write(path, &format!("{line}\n"));
            }
        }
    }

    #[test]
    fn max_commits_keeps_the_newest() {
        let r = five_commits();
        let h = mine_ok(
            r.path(),
            &HistoryOptions {
                max_commits: Some(2),
                ..Default::default()
            },
        );
        assert_eq!(h.commits_analyzed, 2);
        assert_eq!(h.window, Some((T0 + 4 * DAY, T0 + 5 * DAY)));
        assert_eq!(file(&h, "a.txt").commits, 2);
        let b = file(&h, "b.txt");
        assert_eq!((b.commits, b.churn, b.first_change), (1, 1, T0 + 5 * DAY));
        let none = mine_ok(
            r.path(),
            &HistoryOptions {
                max_commits: Some(0),
                ..Default::default()
            },
        );
        assert_eq!(
            (none.commits_analyzed, none.files.len(), none.window),
            (0, 0, None)
        );
        assert_eq!(none.warnings, ["no commits in the selected window"]);
    }

    #[test]
    fn since_limits_the_window() {
        let r = five_commits();
        let h = mine_ok(
            r.path(),
            &HistoryOptions {
                since: Some("2020-09-16T00:00:00Z".into()), // between day 2 and day 3
                ..Default::default()
            },
        );
        assert_eq!(h.commits_analyzed, 3);
        assert_eq!(h.window, Some((T0 + 3 * DAY, T0 + 5 * DAY)));
        assert_eq!(file(&h, "a.txt").commits, 3);
        assert_eq!(file(&h, "b.txt").commits, 2);
        let p = pair(&h, "a.txt", "b.txt");
        assert_eq!((p.shared, p.revs_a, p.revs_b), (2, 3, 2));
    }

    fn ticket_repo() -> Repo {
        let r = Repo::new();
        r.write("a.txt", "a\n");
        r.write("b.txt", "b\n");
        r.commit_at(T0, "Alice", "alice@example.com", "PROJ-1 part 1");
        r.write("c.txt", "c\n");
        r.commit_at(
            T0 + 3600,
            "Alice",
            "alice@example.com",
            "part 2\n\nRefs PROJ-1",
        );
        r.append("a.txt", "a2");
        r.append("c.txt", "c2");
        r.commit_at(T0 + DAY, "Bob", "bob@example.com", "PROJ-2: fix");
        r.append("b.txt", "b2");
        r.append("c.txt", "c3");
        r.commit_at(T0 + DAY + 60, "Bob", "bob@example.com", "no ticket");
        r.append("a.txt", "a3");
        r.commit_at(T0 + 2 * DAY, "Alice", "alice@example.com", "PROJ-1 part 3");
        r
    }

    #[test]
    fn ticket_grouping() {
        let r = ticket_repo();
        let h = mine_ok(
            r.path(),
            &HistoryOptions {
                grouping: Grouping::Ticket(r"\b([A-Z]+-\d+)\b".into()),
                ..Default::default()
            },
        );
        // changesets: PROJ-1 {a,b,c}, PROJ-2 {a,c}, "no ticket" {b,c}
        let a = file(&h, "a.txt");
        assert_eq!((a.commits, a.changesets), (3, 2));
        assert_eq!(
            (file(&h, "b.txt").commits, file(&h, "b.txt").changesets),
            (2, 2)
        );
        assert_eq!(
            (file(&h, "c.txt").commits, file(&h, "c.txt").changesets),
            (3, 3)
        );
        assert_eq!(h.pairs.len(), 3);
        let ab = pair(&h, "a.txt", "b.txt");
        assert_eq!((ab.shared, ab.revs_a, ab.revs_b), (1, 2, 2));
        assert!(close(ab.weight, 0.5));
        let ac = pair(&h, "a.txt", "c.txt");
        assert_eq!((ac.shared, ac.revs_a, ac.revs_b), (2, 2, 3));
        assert!(close(ac.weight, 1.5));
        let bc = pair(&h, "b.txt", "c.txt");
        assert_eq!((bc.shared, bc.revs_a, bc.revs_b), (2, 2, 3));
        assert!(close(bc.weight, 1.5));

        // without grouping: c1 {a,b} c2 {c} c3 {a,c} c4 {b,c} c5 {a}
        let plain = mine_ok(r.path(), &HistoryOptions::default());
        assert_eq!(file(&plain, "a.txt").changesets, 3);
        assert_eq!(pair(&plain, "a.txt", "b.txt").shared, 1);
        assert_eq!(pair(&plain, "a.txt", "c.txt").shared, 1);
        assert_eq!(pair(&plain, "b.txt", "c.txt").shared, 1);

        assert!(matches!(
            mine(
                r.path(),
                &HistoryOptions {
                    grouping: Grouping::Ticket("(".into()),
                    ..Default::default()
                }
            ),
            Err(HistoryError::TicketPattern { .. })
        ));
    }

    #[test]
    fn author_day_grouping() {
        let r = ticket_repo();
        let h = mine_ok(
            r.path(),
            &HistoryOptions {
                grouping: Grouping::AuthorDay,
                ..Default::default()
            },
        );
        // changesets: Alice day 0 {a,b,c}, Bob day 1 {a,b,c}, Alice day 2 {a}
        assert_eq!(file(&h, "a.txt").changesets, 3);
        assert_eq!(file(&h, "c.txt").changesets, 2);
        let bc = pair(&h, "b.txt", "c.txt");
        assert_eq!((bc.shared, bc.revs_a, bc.revs_b), (2, 2, 2));
        assert!(close(bc.weight, 1.0));
        let ab = pair(&h, "a.txt", "b.txt");
        assert_eq!((ab.shared, ab.revs_a, ab.revs_b), (2, 3, 2));
    }

    #[test]
    fn deleted_then_readded_is_a_new_file() {
        let r = Repo::new();
        r.write("p.txt", "1\n");
        r.write("q.txt", "q\n");
        r.commit(1, "add");
        r.append("p.txt", "2");
        r.commit(2, "edit");
        r.rm("p.txt");
        r.commit(3, "delete");
        r.write("p.txt", "new\n");
        r.commit(4, "re-add");
        r.append("p.txt", "again");
        r.commit(5, "edit again");
        let h = mine_ok(r.path(), &HistoryOptions::default());
        let p = file(&h, "p.txt");
        assert_eq!((p.commits, p.churn, p.first_change), (2, 2, T0 + 4 * DAY));
        assert!(h.pairs.is_empty(), "{:?}", h.pairs);
    }

    #[test]
    fn subfolder_root() {
        let r = Repo::new();
        r.write("sub/x.txt", "x\n");
        r.write("sub/y.txt", "y\n");
        r.write("other/w.txt", &lines(10, "w"));
        r.write("top.txt", "t\n");
        r.commit(1, "c1");
        r.append("sub/x.txt", "x2");
        r.append("top.txt", "t2");
        r.commit(2, "c2 touches sub and top");
        r.append("top.txt", "t3");
        r.commit(3, "c3 outside sub");
        r.git(&["mv", "other/w.txt", "sub/w.txt"]);
        r.commit(4, "c4 moves w into sub");
        r.append("sub/w.txt", "w2");
        r.append("sub/y.txt", "y2");
        r.commit(5, "c5");
        let h = mine_ok(&r.path().join("sub"), &HistoryOptions::default());
        assert_eq!(h.commits_analyzed, 4, "c3 does not touch sub/");
        assert_eq!(h.window, Some((T0 + DAY, T0 + 5 * DAY)));
        assert_eq!(keys(&h), ["w.txt", "x.txt", "y.txt"]);
        assert_eq!((file(&h, "x.txt").commits, file(&h, "x.txt").churn), (2, 2));
        let w = file(&h, "w.txt");
        assert_eq!(
            (w.commits, w.churn),
            (2, 11),
            "history starts at the move into sub/"
        );
        // c1 {x,y} c2 {x} c4 {w} c5 {w,y}
        assert_eq!(h.pairs.len(), 2);
        assert_eq!(pair(&h, "x.txt", "y.txt").shared, 1);
        assert!(close(pair(&h, "w.txt", "y.txt").weight, 1.0));
        // the same from a deeper working directory name with a space
        r.write("sub/deep er/z.txt", "z\n");
        r.commit(6, "c6");
        let d = mine_ok(&r.path().join("sub/deep er"), &HistoryOptions::default());
        assert_eq!(keys(&d), ["z.txt"]);
        assert_eq!(d.commits_analyzed, 1);
    }

    #[test]
    fn non_repository_and_empty_repository_and_missing_git() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            mine(dir.path(), &HistoryOptions::default()),
            Err(HistoryError::NotARepository(p)) if p == dir.path()
        ));
        let missing = dir.path().join("nope");
        assert!(matches!(
            mine(&missing, &HistoryOptions::default()),
            Err(HistoryError::RootNotFound(_))
        ));
        let r = Repo::new();
        let e = mine(r.path(), &HistoryOptions::default()).unwrap_err();
        assert!(matches!(e, HistoryError::NoCommits), "{e:?}");
        assert_eq!(e.to_string(), "the git repository has no commits yet");
        assert!(matches!(
            mine_with_git(
                OsStr::new("/nonexistent/bin/git"),
                r.path(),
                &HistoryOptions::default()
            ),
            Err(HistoryError::GitMissing)
        ));
    }

    #[test]
    fn shallow_clone() {
        let src = five_commits();
        let dst = tempfile::tempdir().unwrap();
        let url = format!("file://{}", src.path().display());
        let target = dst.path().join("clone");
        src.git(&[
            "clone",
            "-q",
            "--depth",
            "3",
            &url,
            target.to_str().unwrap(),
        ]);
        let h = mine_ok(&target, &HistoryOptions::default());
        assert!(h.shallow);
        assert_eq!(h.warnings.len(), 1, "{:?}", h.warnings);
        assert!(h.warnings[0].starts_with("history is shallow: "));
        assert!(h.warnings[0].contains("1 boundary commit"));
        // commits 3, 4, 5 are present; 3 is the boundary, its diff unknown
        assert_eq!(h.commits_analyzed, 2);
        assert_eq!(h.window, Some((T0 + 4 * DAY, T0 + 5 * DAY)));
        assert_eq!(file(&h, "a.txt").commits, 2);
        assert_eq!(file(&h, "a.txt").churn, 2);
        assert_eq!(file(&h, "b.txt").commits, 1);
    }

    fn object_path(r: &Repo, id: &str) -> PathBuf {
        r.path().join(".git/objects").join(&id[..2]).join(&id[2..])
    }

    #[test]
    fn missing_blob_falls_back_to_tree_only() {
        let r = Repo::new();
        r.write("a.txt", &lines(5, "a"));
        r.write("b.txt", "b\n");
        r.commit(1, "c1");
        let lost = r.git(&["rev-parse", "HEAD:a.txt"]);
        r.git(&["mv", "b.txt", "c.txt"]);
        r.write("a.txt", &lines(6, "a"));
        r.commit(2, "c2");
        r.append("c.txt", "c");
        r.commit(3, "c3");
        std::fs::remove_file(object_path(&r, &lost)).unwrap();
        for jobs in [1, 2] {
            let h = mine_ok(
                r.path(),
                &HistoryOptions {
                    jobs: Some(jobs),
                    ..Default::default()
                },
            );
            // c1 and c2 need the lost blob for line counts; their trees are fine
            assert_eq!(h.commits_analyzed, 3);
            assert_eq!((h.partial_commits, h.skipped_commits), (2, 0));
            assert_eq!(h.warnings.len(), 1, "{:?}", h.warnings);
            assert!(h.warnings[0].contains("2 were read without line counts"));
            assert!(
                h.warnings[0].contains("unable to read"),
                "{}",
                h.warnings[0]
            );
            let a = file(&h, "a.txt");
            assert_eq!((a.commits, a.churn), (2, 0));
            // the exact rename b → c is still followed
            let c = file(&h, "c.txt");
            assert_eq!((c.commits, c.churn), (3, 1));
            assert_eq!(pair(&h, "a.txt", "c.txt").shared, 2);
        }
    }

    #[test]
    fn many_missing_blobs_switch_to_tree_only() {
        let r = Repo::new();
        let mut lost = Vec::new();
        for day in 1..=20 {
            r.write("a.txt", &lines(day as usize, "a"));
            r.write(&format!("f{day:02}.txt"), "f\n");
            r.commit(day, "c");
            if day < 20 {
                lost.push(r.git(&["rev-parse", "HEAD:a.txt"]));
            }
        }
        for id in &lost {
            std::fs::remove_file(object_path(&r, id)).unwrap();
        }
        let h = mine_ok(
            r.path(),
            &HistoryOptions {
                jobs: Some(1),
                ..Default::default()
            },
        );
        // every commit needs a lost blob of a.txt for its line counts
        assert_eq!(
            (h.commits_analyzed, h.partial_commits, h.skipped_commits),
            (20, 20, 0)
        );
        assert_eq!(h.warnings.len(), 1, "{:?}", h.warnings);
        assert!(h.warnings[0].starts_with("20 commit(s) could not be read completely"));
        assert!(h.warnings[0].contains("the rest of the history was read without line counts"));
        let a = file(&h, "a.txt");
        assert_eq!((a.commits, a.churn), (20, 0));
        assert_eq!(file(&h, "f07.txt").commits, 1);
        assert_eq!(pair(&h, "a.txt", "f07.txt").shared, 1);
    }

    #[test]
    fn missing_blob_in_rename_detection() {
        let r = Repo::new();
        r.write("x.txt", &lines(10, "x"));
        r.write("y.txt", "y\n");
        r.commit(1, "c1");
        let lost = r.git(&["rev-parse", "HEAD:x.txt"]);
        r.append("y.txt", "y2");
        r.commit(2, "c2");
        r.rm("x.txt");
        r.write("z.txt", &lines(10, "x").replacen("x line 0", "z line 0", 1));
        r.commit(3, "c3: inexact rename x -> z");
        r.append("y.txt", "y3");
        r.commit(4, "c4");
        std::fs::remove_file(object_path(&r, &lost)).unwrap();
        let h = mine_ok(
            r.path(),
            &HistoryOptions {
                jobs: Some(1),
                ..Default::default()
            },
        );
        // c3 dies in rename detection, before its header: c4 printed just
        // before is complete. c1 dies on its line counts after its header.
        assert_eq!(
            (h.commits_analyzed, h.partial_commits, h.skipped_commits),
            (4, 2, 0)
        );
        let y = file(&h, "y.txt");
        assert_eq!(
            (y.commits, y.churn),
            (3, 2),
            "c2 and c4 keep their line counts"
        );
        let z = file(&h, "z.txt");
        assert_eq!((z.commits, z.churn), (1, 0), "the inexact rename is lost");
        assert!(!h.files.contains_key("x.txt"));
    }

    #[test]
    fn missing_tree_skips_commits() {
        let r = Repo::new();
        r.write("d/a.txt", "a\n");
        r.commit(1, "c1");
        r.append("d/a.txt", "a2");
        r.commit(2, "c2");
        let lost = r.git(&["rev-parse", "HEAD~1:d"]);
        r.append("d/a.txt", "a3");
        r.commit(3, "c3");
        std::fs::remove_file(object_path(&r, &lost)).unwrap();
        let h = mine_ok(r.path(), &HistoryOptions::default());
        // c1 and c2 both need the lost tree d/ of c1
        assert_eq!(
            (h.commits_analyzed, h.skipped_commits, h.partial_commits),
            (1, 2, 0)
        );
        assert_eq!(file(&h, "d/a.txt").commits, 1);
        assert_eq!(h.warnings.len(), 1, "{:?}", h.warnings);
        assert!(h.warnings[0].contains("2 were skipped"));
    }

    #[test]
    fn bots() {
        assert!(is_bot(
            "dependabot[bot]",
            "49699333+dependabot[bot]@users.noreply.github.com"
        ));
        assert!(is_bot(
            "renovate[bot]",
            "29139614+renovate[bot]@users.noreply.github.com"
        ));
        assert!(is_bot("Renovate Bot", "bot@renovateapp.com"));
        assert!(is_bot(
            "github-actions",
            "41898282+github-actions[bot]@users.noreply.github.com"
        ));
        assert!(is_bot("some-app[bot]", "x@example.com"));
        assert!(is_bot("Dependabot", "support@github.com"));
        assert!(!is_bot("Alice", "alice@example.com"));
        assert!(!is_bot("Bot Botsson", "bot.botsson@example.com"));
        assert!(!is_bot("Renovation Team", "reno@example.com"));
    }

    #[test]
    fn parser_handles_renames_binary_and_empty_commits() {
        let out: &[u8] = b"\x01c2\x00100\x00Ann\x00a@x\x002020-01-01\x00\n\
:100644 100644 o1 o2 R090\x00old name\x00new\ttab\x00\
:100644 100644 o3 o4 M\x00bin\x00\
:160000 160000 o5 o6 M\x00sub\x00\
3\t1\t\x00old name\x00new\ttab\x00-\t-\tbin\x001\t1\tsub\x00\
\x01c1\x0090\x00Bob\x00b@x\x002020-01-01\x00";
        let mut got = Vec::new();
        let end = parse_log(out, false, Mode::Full, &mut |c| {
            got.push(c);
            true
        })
        .unwrap();
        let ParseEnd::Eof(Some(last)) = end else {
            panic!("no last commit")
        };
        assert_eq!(
            (last.id.as_str(), last.time, last.entries.len()),
            ("c1", 90, 0)
        );
        assert_eq!(got.len(), 1);
        let c = &got[0];
        assert_eq!(
            (c.id.as_str(), c.name.as_str(), c.day.as_str()),
            ("c2", "Ann", "2020-01-01")
        );
        let e = &c.entries;
        assert_eq!(e.len(), 3);
        assert_eq!(
            (e[0].status, e[0].src.as_deref(), e[0].path.as_slice()),
            (b'R', Some(&b"old name"[..]), &b"new\ttab"[..])
        );
        assert_eq!(e[0].churn, 4);
        assert_eq!((e[1].churn, e[2].new_gitlink), (0, true));
    }
}
