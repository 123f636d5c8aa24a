//! The cache of warm runs: files that let the next run skip work whose
//! result it already knows.
//!
//! Today it holds the commits `git log` read (`history-*.bin`, encoded by
//! `history`), so a second `analyze`, `check`, `init` or `trend` reads only
//! the commits that are new since the last run. The default place is
//! `<git common dir>/decompose/` (`git rev-parse --git-common-dir`, through
//! [`history::git_command`]), shared by all worktrees; `--cache DIR` puts it
//! elsewhere and `--no-cache` bypasses it. Nothing is written into the
//! analysed tree otherwise.
//!
//! Every file is `magic, format version, tool version, key, payload,
//! checksum` ([`encode_file`]). The tool version is the crate version plus
//! the build identity (a hash of the sources, query files and lock file,
//! from `build.rs`): a development build, or a user's build of patched
//! sources, carries the same version string as the release it came from,
//! and must not reuse the facts that build wrote. A file that is foreign, truncated, damaged
//! or from another format is ignored with a warning and rewritten; a file
//! of another tool version or another key is ignored silently and
//! rewritten. Writes go to a temporary file in the same folder that is then
//! renamed over the old one (atomic on one file system), under a lock file
//! that a concurrent run does not wait for: it skips its write instead. A
//! cache that cannot be written (a read-only folder) is a warning, never an
//! error: the run is only slower.
//!
//! **Invariant:** the cache never changes a result: a warm report equals
//! the cold one byte for byte.

mod facts;

pub use facts::{blob_id, FactsCache};

use crate::history::{self, CommitStore, History, HistoryError, HistoryOptions, MineProgress};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Where the cache lives, chosen once per process by the binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// `<git common dir>/decompose/` of the analysed repository.
    InGitDir,
    /// `--cache DIR`.
    Dir(PathBuf),
    /// `--no-cache`.
    Off,
}

static SETTING: OnceLock<Setting> = OnceLock::new();

/// Sets the cache place for this process (the first call wins). Without a
/// call, the cache is in the git directory.
pub fn configure(setting: Setting) {
    let _ = SETTING.set(setting);
}

fn setting() -> &'static Setting {
    SETTING.get_or_init(|| Setting::InGitDir)
}

/// The tool identity a cache file must carry: the version and the build
/// identity (a hash of the sources, the query files and the lock file,
/// made by `build.rs`), so a rebuilt binary with the same version string
/// never trusts what an older build wrote.
const TOOL: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("DECOMPOSE_BUILD_ID"));

/// Version of the file layout of [`encode_file`].
const FILE_FORMAT: u32 = 1;
const MAGIC: &[u8; 16] = b"decompose-cache\n";
/// A lock file older than this is left over from a killed run.
const STALE_LOCK_SECS: u64 = 600;

/// One cache folder.
pub struct Cache {
    dir: PathBuf,
    /// `--cache DIR` names a folder the user wants; the git dir default is
    /// created silently.
    explicit: bool,
}

impl Cache {
    /// The cache for the repository around `root`, or `None` when it is off
    /// or `root` is not in a git repository (and no `--cache DIR` is set).
    pub fn for_root(root: &Path) -> Option<Cache> {
        match setting() {
            Setting::Off => None,
            Setting::Dir(d) => Some(Cache {
                dir: d.clone(),
                explicit: true,
            }),
            Setting::InGitDir => {
                let out = history::git_command(
                    std::ffi::OsStr::new("git"),
                    root,
                    &["rev-parse", "--git-common-dir"],
                )
                .output()
                .ok()?;
                if !out.status.success() {
                    return None;
                }
                let text = String::from_utf8(out.stdout).ok()?;
                let git_dir = root.join(text.trim_end_matches('\n'));
                Some(Cache {
                    dir: git_dir.join("decompose"),
                    explicit: false,
                })
            }
        }
    }

    /// A cache in `dir` (tests and benchmarks).
    pub fn in_dir(dir: &Path) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
            explicit: true,
        }
    }

    fn file(&self, kind: &str, key: &str) -> PathBuf {
        self.dir
            .join(format!("{kind}-{:016x}.bin", fnv1a(key.as_bytes())))
    }

    /// The payload saved under `key`, if a valid file holds it.
    pub fn read(&self, kind: &str, key: &str) -> Option<Vec<u8>> {
        let path = self.file(kind, key);
        let bytes = std::fs::read(&path).ok()?;
        match decode_file(&bytes, key) {
            Ok(payload) => Some(payload),
            Err(Stale::Silent) => None,
            Err(Stale::Damaged(why)) => {
                warn(&format!(
                    "{} is {why}; it is ignored and rebuilt",
                    path.display()
                ));
                None
            }
        }
    }

    /// Saves `payload` under `key`: atomically, and not at all while
    /// another run holds the lock.
    pub fn write(&self, kind: &str, key: &str, payload: &[u8]) {
        if let Err(e) = std::fs::create_dir_all(&self.dir) {
            if self.explicit || self.dir.parent().is_some_and(Path::exists) {
                warn(&format!(
                    "cannot create {}: {e}; running without a cache",
                    self.dir.display()
                ));
            }
            return;
        }
        let path = self.file(kind, key);
        let Some(_lock) = Lock::take(&path) else {
            return;
        };
        let tmp = self.dir.join(format!(
            ".tmp-{}-{}",
            std::process::id(),
            path.file_name().and_then(|n| n.to_str()).unwrap_or("x")
        ));
        let res = (|| -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&encode_file(key, payload))?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)
        })();
        if let Err(e) = res {
            let _ = std::fs::remove_file(&tmp);
            warn(&format!("cannot write {}: {e}", path.display()));
        }
    }
}

impl CommitStore for Cache {
    fn load(&mut self, key: &str) -> Option<Vec<u8>> {
        self.read("history", key)
    }
    fn save(&mut self, key: &str, bytes: &[u8]) {
        self.write("history", key, bytes);
    }
}

/// [`history::mine_observed`] through the cache of `root`'s repository
/// (see [`configure`]).
pub fn mine_history(
    root: &Path,
    opts: &HistoryOptions,
    progress: Option<Arc<MineProgress>>,
) -> Result<History, HistoryError> {
    match Cache::for_root(root) {
        Some(mut cache) => history::mine_stored(root, opts, progress, &mut cache),
        None => match progress {
            Some(p) => history::mine_observed(root, opts, p),
            None => history::mine(root, opts),
        },
    }
}

fn warn(msg: &str) {
    eprintln!("decompose: warning: cache: {msg}");
}

/// The lock of one cache file (`<file>.lock`), removed on drop.
struct Lock(PathBuf);

impl Lock {
    fn take(file: &Path) -> Option<Lock> {
        let mut name = file.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let _ = writeln!(f, "{}", std::process::id());
                    return Some(Lock(path));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let stale = std::fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age.as_secs() > STALE_LOCK_SECS);
                    if !stale {
                        return None; // another run is writing: skip
                    }
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => {
                    warn(&format!(
                        "cannot write {}: {e}; the cache is not updated",
                        path.display()
                    ));
                    return None;
                }
            }
        }
        None
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

enum Stale {
    /// Another tool version or key: rebuilt without a word.
    Silent,
    /// Foreign, truncated or damaged: rebuilt with a warning.
    Damaged(&'static str),
}

/// `magic ‖ format u32 ‖ tool version ‖ key ‖ payload ‖ fnv1a64 of all before`,
/// lengths as u64 little-endian before each variable part.
pub fn encode_file(key: &str, payload: &[u8]) -> Vec<u8> {
    encode_file_as(TOOL, key, payload)
}

/// [`encode_file`] as the build `tool` would write it.
fn encode_file_as(tool: &str, key: &str, payload: &[u8]) -> Vec<u8> {
    let tool = tool.as_bytes();
    let mut out = Vec::with_capacity(payload.len() + key.len() + 64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FILE_FORMAT.to_le_bytes());
    for part in [tool, key.as_bytes(), payload] {
        out.extend_from_slice(&(part.len() as u64).to_le_bytes());
        out.extend_from_slice(part);
    }
    let sum = fnv1a(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

fn decode_file(bytes: &[u8], key: &str) -> Result<Vec<u8>, Stale> {
    if bytes.len() < MAGIC.len() + 4 || &bytes[..MAGIC.len()] != MAGIC {
        return Err(Stale::Damaged("not a decompose cache file"));
    }
    if bytes.len() < MAGIC.len() + 4 + 8 {
        return Err(Stale::Damaged("truncated"));
    }
    let (body, sum) = bytes.split_at(bytes.len() - 8);
    let format = u32::from_le_bytes(body[16..20].try_into().expect("4 bytes"));
    let mut pos = 20;
    let mut part = || -> Option<&[u8]> {
        let n =
            usize::try_from(u64::from_le_bytes(body.get(pos..pos + 8)?.try_into().ok()?)).ok()?;
        let s = body.get(pos + 8..pos.checked_add(8 + n)?)?;
        pos += 8 + n;
        Some(s)
    };
    let parts = (part(), part(), part());
    let (Some(tool), Some(k), Some(payload)) = parts else {
        return Err(Stale::Damaged("truncated"));
    };
    if pos != body.len() {
        return Err(Stale::Damaged("damaged (trailing bytes)"));
    }
    if u64::from_le_bytes(sum.try_into().expect("8 bytes")) != fnv1a(body) {
        return Err(Stale::Damaged("damaged (checksum mismatch)"));
    }
    if format != FILE_FORMAT || tool != TOOL.as_bytes() || k != key.as_bytes() {
        return Err(Stale::Silent);
    }
    Ok(payload.to_vec())
}

/// FNV-1a, 64 bit: the checksum and the file-name hash (not a defence
/// against tampering, only against damage).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_round_trip_and_damage_is_detected() {
        let f = encode_file("k", b"payload");
        assert_eq!(decode_file(&f, "k").ok().as_deref(), Some(&b"payload"[..]));
        assert!(matches!(decode_file(&f, "other"), Err(Stale::Silent)));
        for cut in [0, 10, 19, 30, f.len() - 1] {
            assert!(
                matches!(decode_file(&f[..cut], "k"), Err(Stale::Damaged(_))),
                "cut at {cut}"
            );
        }
        let mut flipped = f.clone();
        let mid = flipped.len() - 12;
        flipped[mid] ^= 1;
        assert!(matches!(
            decode_file(&flipped, "k"),
            Err(Stale::Damaged("damaged (checksum mismatch)"))
        ));
        let mut other_tool = f.clone();
        other_tool[28] ^= 1; // first byte of the tool version
        let n = other_tool.len() - 8;
        let sum = fnv1a(&other_tool[..n]);
        other_tool[n..].copy_from_slice(&sum.to_le_bytes());
        assert!(matches!(decode_file(&other_tool, "k"), Err(Stale::Silent)));
    }

    // A development build carries the version string of the release it
    // came from; the build identity tells them apart, so facts written by
    // one are never trusted by the other.
    #[test]
    fn another_build_of_the_same_version_is_not_trusted() {
        let version = env!("CARGO_PKG_VERSION");
        assert_eq!(TOOL.len(), version.len() + 1 + 16, "{TOOL}");
        assert!(TOOL.starts_with(&format!("{version}+")), "{TOOL}");
        for tool in [version.to_string(), format!("{version}+0123456789abcdef")] {
            let f = encode_file_as(&tool, "k", b"payload");
            assert!(matches!(decode_file(&f, "k"), Err(Stale::Silent)), "{tool}");
        }
        let f = encode_file_as(TOOL, "k", b"payload");
        assert_eq!(decode_file(&f, "k").ok().as_deref(), Some(&b"payload"[..]));
    }
}
