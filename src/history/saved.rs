//! Commits saved between runs: the encoding of the commits `git log` read,
//! so that a warm run reads only the commits that are new since.
//!
//! A commit's diff (against its first parent) never changes, so a commit
//! read once is valid in every later window that contains it, whatever
//! `HEAD`, `since` or `max_commits` are. What can change its reading is
//! part of the key ([`store_key`]): the format version below, the root
//! prefix (the pathspec), whether messages are read, the git version, git's
//! `diff.*` and `mailmap.*` config and the `.mailmap` file. The file
//! handling (location, checksum, atomic writes, the lock) belongs to the
//! caller's [`CommitStore`](super::CommitStore).

use super::log::{Entry, RawCommit};
use std::collections::HashMap;

/// Version of this encoding; part of the key.
const FORMAT: u32 = 1;

/// The key of the saved commits: everything besides the commit id that
/// decides what `git log` prints for a commit.
pub(super) fn store_key(prefix: &[u8], with_message: bool, git_identity: &[u8]) -> String {
    let mut k = format!("history-commits v{FORMAT}\nprefix ");
    for b in prefix {
        k.push_str(&format!("{b:02x}"));
    }
    k.push_str(if with_message {
        "\nmessages\n"
    } else {
        "\nno messages\n"
    });
    k.push_str(&String::from_utf8_lossy(git_identity));
    k
}

pub(super) fn encode(commits: &[&RawCommit]) -> Vec<u8> {
    let mut out = Vec::with_capacity(commits.len() * 256);
    put_u64(&mut out, commits.len() as u64);
    for c in commits {
        put_bytes(&mut out, c.id.as_bytes());
        put_u64(&mut out, c.time as u64);
        put_bytes(&mut out, c.name.as_bytes());
        put_bytes(&mut out, c.email.as_bytes());
        put_bytes(&mut out, c.day.as_bytes());
        put_bytes(&mut out, c.message.as_bytes());
        put_u64(&mut out, c.entries.len() as u64);
        for e in &c.entries {
            out.push(e.status);
            out.push(u8::from(e.old_gitlink) | u8::from(e.new_gitlink) << 1);
            match &e.src {
                Some(s) => {
                    out.push(1);
                    put_bytes(&mut out, s);
                }
                None => out.push(0),
            }
            put_bytes(&mut out, &e.path);
            put_u64(&mut out, e.churn);
        }
    }
    out
}

/// `None` when the bytes are not a whole encoding.
pub(super) fn decode(bytes: &[u8]) -> Option<HashMap<String, RawCommit>> {
    let mut r = Reader { bytes, pos: 0 };
    let n = r.u64()?;
    let mut out = HashMap::with_capacity(n.min(1 << 20) as usize);
    for _ in 0..n {
        let id = r.string()?;
        let time = r.u64()? as i64;
        let (name, email, day, message) = (r.string()?, r.string()?, r.string()?, r.string()?);
        let n_entries = r.u64()?;
        let mut entries = Vec::with_capacity(n_entries.min(1 << 16) as usize);
        for _ in 0..n_entries {
            let status = r.u8()?;
            let flags = r.u8()?;
            let src = match r.u8()? {
                0 => None,
                1 => Some(r.bytes()?.to_vec()),
                _ => return None,
            };
            entries.push(Entry {
                status,
                old_gitlink: flags & 1 != 0,
                new_gitlink: flags & 2 != 0,
                old_oid: Vec::new(),
                new_oid: Vec::new(),
                src,
                path: r.bytes()?.to_vec(),
                churn: r.u64()?,
            });
        }
        let c = RawCommit {
            id: id.clone(),
            time,
            name,
            email,
            day,
            message,
            entries,
            partial: false,
            numstat_seen: true,
        };
        out.insert(id, c);
    }
    (r.pos == bytes.len()).then_some(out)
}

fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_u64(out, b.len() as u64);
    out.extend_from_slice(b);
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.u64()?).ok()?;
        self.take(n)
    }
    fn string(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }
}
