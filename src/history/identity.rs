//! The rename map: which file at `HEAD` a path at an older commit belongs
//! to.
//!
//! Commits are processed newest first. The map starts as the files at `HEAD`
//! under the analysed root; [`Identities::step_back`] reads one commit's
//! entries in the state after the commit, then moves the map to the state
//! before it: a rename `old → new` passes the identity of `new` to `old`.
//! Additions and deletions leave the map alone, so a path keeps its history
//! across a delete and re-add, as `git log -- PATH` counts it.

use super::log::Entry;
use std::collections::HashMap;

/// Path at the commit being processed → file id, and the id → name table.
#[derive(Default)]
pub(super) struct Identities {
    /// Path (repository-relative bytes) at the current commit → file id.
    map: HashMap<Vec<u8>, u32>,
    /// File id → path at HEAD relative to the analysed root.
    pub(super) names: Vec<String>,
    name_ids: HashMap<String, u32>,
}

impl Identities {
    /// Registers a file at HEAD; true when `name` is a new file id (two
    /// paths that differ only in invalid UTF-8 share one).
    pub(super) fn add_head_file(&mut self, path: &[u8], name: &str) -> bool {
        let (id, new) = match self.name_ids.get(name) {
            Some(&id) => (id, false),
            None => {
                let id = self.names.len() as u32;
                self.names.push(name.to_string());
                self.name_ids.insert(name.to_string(), id);
                (id, true)
            }
        };
        self.map.insert(path.to_vec(), id);
        new
    }

    /// The files one commit touched, with their line counts (unsorted, a
    /// file may repeat), looked up in the state after the commit; then moves
    /// the map to the state before it.
    ///
    /// A deletion touches the file like any change (`git log -- PATH` lists
    /// it), and an addition keeps the path's identity: a path deleted and
    /// later re-added at HEAD is one file with one history. A rename
    /// `old → new` passes the identity of `new` to `old`.
    pub(super) fn step_back(&mut self, entries: &[Entry]) -> Vec<(u32, u64)> {
        // 1. identities, looked up in the state after this commit (for a
        //    deletion: the state before it, where the path still exists)
        let mut touched: Vec<(u32, u64)> = Vec::new();
        for e in entries {
            let gitlink = if e.status == b'D' {
                e.old_gitlink
            } else {
                e.new_gitlink
            };
            if gitlink {
                continue;
            }
            if let Some(&id) = self.map.get(&e.path) {
                touched.push((id, e.churn));
            }
        }
        // 2. the state before this commit: renamed-to paths did not exist
        //    and their renamed-from paths carry the identity.
        let mut moved = Vec::new();
        for e in entries {
            if e.status != b'R' || e.new_gitlink {
                continue;
            }
            let id = self.map.remove(&e.path);
            if let (Some(id), Some(src)) = (id, &e.src) {
                moved.push((src.clone(), id));
            }
        }
        for (src, id) in moved {
            self.map.insert(src, id);
        }
        touched
    }
}
