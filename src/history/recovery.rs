//! Damaged-store recovery: when `git log -M --numstat` dies on a commit
//! whose objects are missing, keep what it printed, read the failing commit
//! again tree-only (exact renames paired by blob id), and restart after it.

use super::git::first_line;
use super::log::{stream, Entry, Item, LogSpec, Mode, StreamEnd};
use super::HistoryError;
use std::collections::{BTreeSet, HashMap};

/// Turns a deletion and an addition of the same blob into a rename.
pub(super) fn pair_exact_renames(entries: &mut Vec<Entry>) {
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
    pub(super) tree_only: bool,
    pub(super) examples: Vec<String>,
    pub(super) git_warnings: BTreeSet<String>,
}

/// After this many unreadable commits a worker reads the rest tree-only.
pub(super) const MAX_FULL_FAILURES: usize = 16;

/// Reads `ids` in one process, re-reading around unreadable commits.
pub(super) fn worker(
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
