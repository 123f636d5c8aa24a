//! Reading `git log -z --raw --numstat`: the process, the parser, and the
//! parallel readers that deal blocks of commits to several `git log`
//! processes and take the commits back in history order.

use super::git::{first_line, ChildGuard, Git};
use super::HistoryError;
use std::collections::{BTreeSet, HashMap};
use std::ffi::{OsStr, OsString};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::Stdio;
use std::sync::mpsc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// `-M --raw --numstat`: renames and line counts (reads blobs).
    Full,
    /// `--raw --no-renames`: trees only; exact renames paired by blob id.
    TreeOnly,
}

#[derive(Debug)]
pub(super) struct Entry {
    pub(super) status: u8,
    pub(super) old_gitlink: bool,
    pub(super) new_gitlink: bool,
    pub(super) old_oid: Vec<u8>,
    pub(super) new_oid: Vec<u8>,
    /// Source path of a rename or copy.
    pub(super) src: Option<Vec<u8>>,
    /// Path after the commit (for a deletion: the deleted path).
    pub(super) path: Vec<u8>,
    pub(super) churn: u64,
}

#[derive(Debug)]
pub(super) struct RawCommit {
    pub(super) id: String,
    pub(super) time: i64,
    pub(super) name: String,
    pub(super) email: String,
    pub(super) day: String,
    pub(super) message: String,
    pub(super) entries: Vec<Entry>,
    pub(super) partial: bool,
    /// Numstat lines were read for it (git prints them after all raw lines,
    /// once every line count is known).
    pub(super) numstat_seen: bool,
}

#[derive(Debug)]
pub(super) enum Item {
    Commit(RawCommit),
    /// Could not be read (or was not printed by git).
    Skipped,
}

pub(super) struct LogSpec<'a> {
    pub(super) git: &'a Git<'a>,
    pub(super) with_message: bool,
    pub(super) pathspec: Option<&'a OsStr>,
}

impl LogSpec<'_> {
    pub(super) fn args(&self, mode: Mode) -> Vec<OsString> {
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

pub(super) enum StreamEnd {
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
pub(super) fn stream(
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

pub(super) fn finish_missing(
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

pub(super) enum ParseEnd {
    /// End of output; the last commit, not yet delivered.
    Eof(Option<RawCommit>),
    /// The consumer asked to stop.
    Stopped,
}

pub(super) fn next_token<R: BufRead>(r: &mut R) -> io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    if r.read_until(0, &mut buf)? == 0 {
        return Ok(None);
    }
    if buf.last() == Some(&0) {
        buf.pop();
    }
    Ok(Some(buf))
}

pub(super) fn need<R: BufRead>(r: &mut R) -> io::Result<Vec<u8>> {
    next_token(r)?
        .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "truncated git log output"))
}

pub(super) fn lossy(b: &[u8]) -> String {
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
pub(super) fn parse_log<R: BufRead>(
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
pub(super) fn finish_commit(c: &mut RawCommit, numstat: &mut Vec<(Vec<u8>, u64)>, mode: Mode) {
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

pub(super) type Msg = Result<Item, HistoryError>;

/// Commits per window: the history (the full commit list, newest first) is
/// cut into windows of this many consecutive commits. A window is the unit
/// of the tree-only switch ([`MAX_FULL_FAILURES`]) and is never split
/// between processes, so which commits are read tree-only depends on the
/// store alone, never on the number of processes.
pub(super) const WINDOW: usize = 256;

/// Reads `ids` (`index[i]` is the position of `ids[i]` in the full commit
/// list, increasing) with `jobs` processes and hands every item to `sink`
/// in the order of `ids`.
pub(super) fn run_workers(
    spec: &LogSpec,
    ids: &[String],
    index: &[usize],
    jobs: usize,
    sink: &mut dyn FnMut(Item),
) -> Result<Vec<WorkerReport>, HistoryError> {
    debug_assert_eq!(ids.len(), index.len());
    if jobs <= 1 {
        let rep = worker(spec, ids, index, &mut |item| {
            sink(item);
            true
        })?;
        return Ok(vec![rep]);
    }
    // Whole windows dealt round-robin (consecutive commits share trees and
    // delta chains, which git caches per process); consumed in order,
    // newest first.
    let mut blocks: Vec<std::ops::Range<usize>> = Vec::new();
    for i in 0..ids.len() {
        match blocks.last_mut() {
            Some(b) if index[b.start] / WINDOW == index[i] / WINDOW => b.end = i + 1,
            _ => blocks.push(i..i + 1),
        }
    }
    let mut lists: Vec<(Vec<String>, Vec<usize>)> = vec![(Vec::new(), Vec::new()); jobs];
    let mut owner = Vec::with_capacity(ids.len());
    for (c, b) in blocks.iter().enumerate() {
        lists[c % jobs].0.extend_from_slice(&ids[b.clone()]);
        lists[c % jobs].1.extend_from_slice(&index[b.clone()]);
        owner.extend(std::iter::repeat_n(c % jobs, b.len()));
    }
    std::thread::scope(|s| {
        let mut rxs = Vec::new();
        let mut handles = Vec::new();
        for (list, list_index) in &lists {
            let (tx, rx) = mpsc::sync_channel::<Msg>(4096);
            rxs.push(rx);
            handles.push(s.spawn(move || {
                let res = worker(spec, list, list_index, &mut |item| {
                    tx.send(Ok(item)).is_ok()
                });
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
        for &w in &owner {
            match rxs[w].recv() {
                Ok(Ok(item)) => sink(item),
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

// Damaged-store recovery: when `git log -M --numstat` dies on a commit
// whose objects are missing, keep what it printed, read the failing commit
// again tree-only (exact renames paired by blob id), and restart after it.
// It lives with the log reader because each drives the other.
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

#[derive(Default)]
pub(super) struct WorkerReport {
    pub(super) failures: usize,
    /// Windows whose rest was read tree-only.
    pub(super) tree_only_windows: usize,
    /// The first failure: (position in the full commit list, git's message).
    pub(super) first_failure: Option<(usize, String)>,
    pub(super) git_warnings: BTreeSet<String>,
}

/// After this many unreadable commits within one window ([`WINDOW`]), the
/// rest of that window is read tree-only; the next window starts in full
/// mode again.
pub(super) const MAX_FULL_FAILURES: usize = 16;

/// Reads `ids` in one process, re-reading around unreadable commits.
/// `index` gives each id's position in the full commit list: the failure
/// count that switches to tree-only reading is kept per window of that
/// list, so the mode each commit is read in does not depend on which other
/// commits this process reads.
pub(super) fn worker(
    spec: &LogSpec,
    ids: &[String],
    index: &[usize],
    emit: &mut dyn FnMut(Item) -> bool,
) -> Result<WorkerReport, HistoryError> {
    let mut rep = WorkerReport::default();
    let mut pos = 0;
    // The window being counted, its failures so far, and whether its rest
    // is read tree-only.
    let mut window = usize::MAX;
    let mut window_failures = 0;
    let mut mode = Mode::Full;
    while pos < ids.len() {
        if index[pos] / WINDOW != window {
            window = index[pos] / WINDOW;
            window_failures = 0;
            mode = Mode::Full;
        }
        // A tree-only read stops at the end of its window.
        let end = match mode {
            Mode::Full => ids.len(),
            Mode::TreeOnly => {
                pos + index[pos..]
                    .iter()
                    .take_while(|&&i| i / WINDOW == window)
                    .count()
            }
        };
        match stream(spec, &ids[pos..end], mode, &mut rep.git_warnings, emit)? {
            StreamEnd::Cancelled => break,
            StreamEnd::Done => pos = end,
            StreamEnd::Failed {
                emitted,
                stderr,
                held,
            } => {
                pos += emitted;
                if pos >= end {
                    continue;
                }
                if index[pos] / WINDOW != window {
                    window = index[pos] / WINDOW;
                    window_failures = 0;
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
                window_failures += 1;
                if rep.first_failure.is_none() {
                    rep.first_failure = Some((index[pos], first_line(&stderr)));
                }
                if !emit(item) {
                    break;
                }
                pos += 1;
                if window_failures >= MAX_FULL_FAILURES && mode == Mode::Full {
                    mode = Mode::TreeOnly;
                    rep.tree_only_windows += 1;
                }
            }
        }
    }
    Ok(rep)
}

/// A commit that `-M --numstat` cannot read: its trees only, else skipped.
pub(super) fn read_tree_only(
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
