//! Co-change counting: per-file commits, churn, authors and times, commits
//! grouped into changesets, and the pair counts `shared` and `weight` of
//! every changeset of at most `max_changeset` files.

use super::identity::Identities;
use super::log::RawCommit;
use super::{is_bot, CoChange, FileHistory, Grouping, History, HistoryOptions, MineProgress};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::BuildHasherDefault;

#[derive(Default)]
pub(super) struct FileAcc {
    pub(super) commits: u32,
    pub(super) changesets: u32,
    pub(super) churn: u64,
    pub(super) authors: BTreeSet<u32>,
    pub(super) first: i64,
    pub(super) last: i64,
}

/// Multiply-shift hashing for the pair maps' file ids: SipHash dominates the
/// uncapped co-change count otherwise. Deterministic; the output is sorted.
#[derive(Default)]
pub(super) struct PairHasher(u64);

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
pub(super) enum GroupKey {
    Ticket(String),
    AuthorDay(String, String),
}

pub(super) struct Miner {
    /// Commits read, for a progress bar (`mine_observed`).
    pub(super) progress: Option<std::sync::Arc<MineProgress>>,
    /// The rename map: paths at the commit being processed → file ids.
    pub(super) ids: Identities,
    pub(super) files: Vec<FileAcc>,
    pub(super) authors: Vec<String>,
    pub(super) author_ids: HashMap<String, u32>,
    /// Changesets: the reported files each touched, and its size `n`.
    pub(super) groups: Vec<(Vec<u32>, usize)>,
    pub(super) group_ids: HashMap<GroupKey, usize>,
    /// Every path a grouped changeset touched, for its size.
    pub(super) group_paths: HashMap<usize, HashSet<Vec<u8>>>,
    pub(super) ticket: Option<regex::Regex>,
    pub(super) author_day: bool,
    pub(super) include_bots: bool,
    pub(super) max_changeset: usize,
    pub(super) analysed: usize,
    pub(super) partial: usize,
    pub(super) skipped: usize,
    pub(super) window: Option<(i64, i64)>,
}

impl Miner {
    pub(super) fn new(opts: &HistoryOptions, ticket: Option<regex::Regex>) -> Self {
        Miner {
            progress: None,
            ids: Identities::default(),
            files: Vec::new(),
            authors: Vec::new(),
            author_ids: HashMap::new(),
            groups: Vec::new(),
            group_ids: HashMap::new(),
            group_paths: HashMap::new(),
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

    pub(super) fn add_head_file(&mut self, path: &[u8], name: &str) {
        if self.ids.add_head_file(path, name) {
            self.files.push(FileAcc::default());
        }
    }

    /// One commit, newest first.
    pub(super) fn commit(&mut self, c: &RawCommit) {
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

        let mut touched = self.ids.step_back(&c.entries);
        touched.sort_unstable();
        touched.dedup_by(|b, a| {
            if a.0 == b.0 {
                a.1 += b.1;
                true
            } else {
                false
            }
        });
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
        // The size of a changeset counts every path it touched (a rename
        // once), reported or not, as code-maat counts the log.
        match key {
            Some(k) => {
                let next = self.groups.len();
                let g = *self.group_ids.entry(k).or_insert(next);
                if g == next {
                    self.groups.push((Vec::new(), 0));
                }
                let paths = self.group_paths.entry(g).or_default();
                paths.extend(c.entries.iter().map(|e| e.path.clone()));
                self.groups[g].0.extend(files);
                self.groups[g].1 = paths.len();
            }
            None if files.len() == 0 => {}
            None => self.groups.push((files.collect(), c.entries.len())),
        }
    }

    pub(super) fn finish(mut self) -> History {
        // One small map per file (the smaller id of a pair): much better
        // cache locality than one big map when changesets are large.
        let mut rows: Vec<HashMap<u32, (u32, f64), BuildHasherDefault<PairHasher>>> =
            (0..self.files.len()).map(|_| HashMap::default()).collect();
        for (g, size) in &mut self.groups {
            g.sort_unstable();
            g.dedup();
            for &f in g.iter() {
                self.files[f as usize].changesets += 1;
            }
            let (n, size) = (g.len(), *size);
            if n < 2 || size > self.max_changeset {
                continue;
            }
            let w = 1.0 / (size - 1) as f64;
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
                self.ids.names[id].clone(),
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
        let mut order: Vec<u32> = (0..self.ids.names.len() as u32).collect();
        order
            .sort_unstable_by(|&x, &y| self.ids.names[x as usize].cmp(&self.ids.names[y as usize]));
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
                    a: self.ids.names[a].clone(),
                    b: self.ids.names[b].clone(),
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
