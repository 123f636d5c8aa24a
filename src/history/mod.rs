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
//! The commit list is cut into windows of 256 consecutive commits, dealt
//! whole and round-robin to `jobs` processes (default: the rayon pool size, at most 8;
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
//!   exist at `HEAD` are reported; a path deleted and later re-added keeps
//!   its whole history, the deletion included, as `git log -- PATH` counts
//!   it. Submodule entries (gitlinks) are ignored.
//! * Paths are read as raw bytes from `-z` output and converted with
//!   [`String::from_utf8_lossy`]; two HEAD paths that differ only in invalid
//!   UTF-8 bytes therefore merge into one file.
//! * Authors are the `.mailmap`-resolved author name `%aN` (or `%aE` when the
//!   name is empty). Bots ([`is_bot`]) are left out of `authors` unless
//!   `include_bots`, but their commits still count everywhere else.
//! * Churn is added + deleted lines from `--numstat`; binary files count 0.
//! * All times are committer times (unix seconds).
//! * Co-change: a *changeset* is one commit, or with [`Grouping`] one logical
//!   change (its commits merged, each file once). Its size `n` is every path
//!   it touched (reported or not, a rename once; under the root for a
//!   subfolder root), as code-maat counts the log. If `n <= max_changeset`,
//!   every pair of reported files it touched gets `shared += 1` and
//!   `weight += 1/(n-1)`. `revs` of a file is its number of
//!   changesets of any size. `degree = 100·shared/avg(revs_a, revs_b)`,
//!   `confidence_ab = shared/revs_a`. Per-file `commits` stays the raw commit
//!   count.
//! * Shallow clones: `shallow` is set, a warning says so, and the boundary
//!   commits (whose parents are missing, so whose diff is unknown) are left
//!   out. `git log -M --numstat` dies on a commit whose objects are missing;
//!   the commits before it are kept, the failing one is kept without line
//!   counts (`partial_commits`: its raw lines if git printed them, else a
//!   tree-only read with exact renames only) or skipped when even its trees
//!   are missing (`skipped_commits`), and `git log` restarts after it.
//!   After 16 failures within one window of 256 consecutive commits of the
//!   commit list, the rest of that window is read tree-only; windows are
//!   never split between processes, so the result does not depend on
//!   `jobs`. One warning sums it up.
//! * The output is deterministic: sorted maps and vectors only.

mod cochange;
mod git;
mod identity;
mod log;
mod saved;
#[cfg(test)]
mod tests;

pub use git::{git_command, GIT_CONFIG, GIT_ENV_REMOVE};

use cochange::Miner;
use git::{bytes_to_os, bytes_to_path, first_line, strip_newline, Git};
use log::{run_workers, Item, LogSpec, RawCommit};
use log::{MAX_FULL_FAILURES, WINDOW};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::io;
use std::path::{Path, PathBuf};

/// What to read from the history and how to count it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryOptions {
    /// Passed to git as `--since=<value>` (committer date, any git date form).
    pub since: Option<String>,
    /// Keep only the newest N commits (non-merge ones unless merges are included).
    pub max_commits: Option<usize>,
    /// Count merge commits, with their diff against the first parent.
    pub include_merges: bool,
    /// Changesets touching more paths than this (every path, reported or
    /// not) are left out of co-change
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
    mine_inner(OsStr::new("git"), root, opts, Some(progress), None)
}

/// Where commits read by one run are kept for the next (see
/// [`mine_stored`]). Whatever `load` returns is decoded and checked; bytes
/// that do not decode are ignored.
pub trait CommitStore {
    /// The bytes saved under `key` by an earlier run, if any.
    fn load(&mut self, key: &str) -> Option<Vec<u8>>;
    /// Keeps `bytes` under `key` for the next run (best effort).
    fn save(&mut self, key: &str, bytes: &[u8]);
}

/// [`mine_observed`] that reads only the commits `store` does not hold yet
/// and saves the union back; the result equals [`mine`]'s. Commits are not
/// saved from a run that met missing objects or printed git warnings, so
/// those runs stay equal to a cold run too.
pub fn mine_stored(
    root: &Path,
    opts: &HistoryOptions,
    progress: Option<std::sync::Arc<MineProgress>>,
    store: &mut dyn CommitStore,
) -> Result<History, HistoryError> {
    mine_inner(OsStr::new("git"), root, opts, progress, Some(store))
}

/// [`mine`] with an explicit git program.
pub fn mine_with_git(
    git: &OsStr,
    root: &Path,
    opts: &HistoryOptions,
) -> Result<History, HistoryError> {
    mine_inner(git, root, opts, None, None)
}

fn mine_inner(
    git: &OsStr,
    root: &Path,
    opts: &HistoryOptions,
    progress: Option<std::sync::Arc<MineProgress>>,
    mut store: Option<&mut dyn CommitStore>,
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
    // Commits saved by an earlier run are not read again.
    let key = match store {
        Some(_) => Some(saved::store_key(
            &prefix,
            spec.with_message,
            &git_identity(&git)?,
        )),
        None => None,
    };
    let saved: HashMap<String, RawCommit> = match (&mut store, &key) {
        (Some(s), Some(k)) => s
            .load(k)
            .and_then(|b| saved::decode(&b))
            .unwrap_or_default(),
        _ => HashMap::new(),
    };
    // Fresh commits with their positions in the full list: the windows of
    // the tree-only switch are counted on the full list.
    let (fresh_ids, fresh_index): (Vec<String>, Vec<usize>) = ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !saved.contains_key(*id))
        .map(|(i, id)| (id.clone(), i))
        .unzip();
    let jobs = match opts.jobs {
        Some(j) => j.max(1),
        None => {
            if fresh_ids.len() < 256 {
                1
            } else {
                rayon::current_num_threads().clamp(1, 8)
            }
        }
    }
    .min(fresh_ids.len().max(1));

    if let Some(p) = &miner.progress {
        p.total
            .store(ids.len() as u64, std::sync::atomic::Ordering::Relaxed);
    }
    // Fresh commits arrive in history order; the saved ones between them
    // are replayed in place, so the miner sees the same sequence as a cold
    // run.
    let mut pos = 0;
    let mut fresh: Vec<RawCommit> = Vec::new();
    let replay_until_fresh = |miner: &mut Miner, pos: &mut usize| {
        while let Some(c) = ids.get(*pos).and_then(|id| saved.get(id)) {
            miner.commit(c);
            *pos += 1;
        }
    };
    let reports = run_workers(&spec, &fresh_ids, &fresh_index, jobs, &mut |item| {
        replay_until_fresh(&mut miner, &mut pos);
        pos += 1;
        match item {
            Item::Commit(c) => {
                miner.commit(&c);
                if !c.partial && store.is_some() {
                    fresh.push(c);
                }
            }
            Item::Skipped => miner.skipped += 1,
        }
    })?;
    replay_until_fresh(&mut miner, &mut pos);

    let before_warnings = warnings.len();
    // The example is git's message for the newest unreadable commit, so it
    // does not depend on how the commits were dealt to processes.
    let mut first_failure: Option<(usize, String)> = None;
    let mut git_warnings = BTreeSet::new();
    let mut tree_only_windows = 0;
    for r in reports {
        if let Some(f) = r.first_failure {
            if first_failure.as_ref().is_none_or(|g| f.0 < g.0) {
                first_failure = Some(f);
            }
        }
        git_warnings.extend(r.git_warnings);
        tree_only_windows += r.tree_only_windows;
    }
    if miner.partial > 0 || miner.skipped > 0 {
        let mut w = format!(
            "{} commit(s) could not be read completely (objects missing from the repository): {} were read without line counts, {} were skipped",
            miner.partial + miner.skipped,
            miner.partial,
            miner.skipped
        );
        if tree_only_windows > 0 {
            w.push_str(&format!(
                "; in {tree_only_windows} stretch(es) of {WINDOW} consecutive commits with {MAX_FULL_FAILURES} or more such commits, the rest of the stretch was read without line counts"
            ));
        }
        if let Some((_, e)) = &first_failure {
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
    if let (Some(s), Some(k)) = (store, key) {
        let clean = miner.partial == 0 && miner.skipped == 0 && warnings.len() == before_warnings;
        if clean && !fresh.is_empty() {
            let mut all: Vec<&RawCommit> = saved.values().chain(fresh.iter()).collect();
            all.sort_unstable_by(|a, b| a.id.cmp(&b.id));
            s.save(&k, &saved::encode(&all));
        }
    }

    let mut history = miner.finish();
    history.head = Some(head);
    history.shallow = shallow;
    history.warnings = warnings;
    Ok(history)
}

/// What besides a commit id decides what `git log` prints for it: the git
/// version, git's `diff.*` and `mailmap.*` config and the `.mailmap` file.
fn git_identity(git: &Git) -> Result<Vec<u8>, HistoryError> {
    let mut id = git.run(&["--version"])?;
    let (config, _, _) = git.run_raw(&["config", "--get-regexp", r"^(diff|mailmap)\."])?;
    id.extend_from_slice(&config);
    let mut top = git.run(&["rev-parse", "--show-toplevel"])?;
    strip_newline(&mut top);
    if let Ok(m) = std::fs::read(bytes_to_path(&top).join(".mailmap")) {
        id.extend_from_slice(b"mailmap\n");
        id.extend_from_slice(&m);
    }
    Ok(id)
}

fn ticket_needed(opts: &HistoryOptions) -> bool {
    matches!(opts.grouping, Grouping::Ticket(_))
}
