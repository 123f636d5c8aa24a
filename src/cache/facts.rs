//! The parsed facts of each file, keyed by its git blob id, so that a warm
//! run parses only the files whose content changed.
//!
//! One file per analysed root (`facts-*.bin`) holds, per source file, its
//! id, language, blob id (`sha1("blob <len>\0" ‖ bytes)`, git's own object
//! id of the content) and its [`FileFacts`] as JSON. A file's facts are
//! reused only when all of id, language and blob id match, in a file of the
//! same tool version and format ([`FORMAT`]); the frontends take no option
//! besides the language and the id today, so nothing else can change them.
//! Entries are decoded lazily, on the parse threads, and kept as bytes, so
//! a warm run after a one-file edit re-encodes one file's facts only.

use super::Cache;
use crate::discover::SourceFile;
use crate::lang::FileFacts;
use crate::resolve::ParsedFile;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Version of this payload; part of the key.
const FORMAT: u32 = 3;

type BlobId = [u8; 20];

/// One file's saved facts: language name, blob id, JSON.
struct Saved {
    language: String,
    blob: BlobId,
    json: Vec<u8>,
}

/// The facts of the previous run and those of this one, as they are made.
pub struct FactsCache {
    cache: Option<(Cache, String)>,
    old: HashMap<String, Saved>,
    new: Mutex<Vec<(String, Saved)>>,
    reused: std::sync::atomic::AtomicUsize,
}

/// git's blob id of `bytes`.
pub fn blob_id(bytes: &[u8]) -> BlobId {
    let mut h = sha1_smol::Sha1::new();
    h.update(format!("blob {}\0", bytes.len()).as_bytes());
    h.update(bytes);
    h.digest().bytes()
}

/// The analysed root: a file's path without its id's components.
fn root_of(file: &SourceFile) -> Option<PathBuf> {
    let n = file.id.split('/').count();
    file.path.ancestors().nth(n).map(Path::to_path_buf)
}

impl FactsCache {
    /// The facts saved for `files` (all under one root), or an empty,
    /// disabled cache when there is none (see [`Cache::for_root`]).
    pub fn open(files: &[SourceFile]) -> FactsCache {
        let cache = files
            .first()
            .and_then(root_of)
            .and_then(|root| Some((Cache::for_root(&root)?, root)))
            // The root as the file system names it, so `.` and the same
            // folder's absolute path share one file.
            .map(|(c, root)| {
                let root = std::fs::canonicalize(&root).unwrap_or(root);
                (c, format!("facts v{FORMAT}\nroot {}", root.display()))
            });
        let old = cache
            .as_ref()
            .and_then(|(c, key)| c.read("facts", key))
            .and_then(|b| decode(&b))
            .unwrap_or_default();
        FactsCache {
            cache,
            old,
            new: Mutex::new(Vec::new()),
            reused: Default::default(),
        }
    }

    /// `parse(file, bytes)`, or the facts saved for the same id, language
    /// and content.
    pub fn parse(
        &self,
        file: &SourceFile,
        bytes: Vec<u8>,
        parse: impl Fn(&SourceFile, Vec<u8>) -> Result<ParsedFile, String>,
    ) -> Result<ParsedFile, String> {
        if self.cache.is_none() {
            return parse(file, bytes);
        }
        let blob = blob_id(&bytes);
        let language = file.language.name().to_string();
        if let Some(s) = self.old.get(&file.id) {
            if s.blob == blob && s.language == language {
                if let Ok(facts) = serde_json::from_slice::<FileFacts>(&s.json) {
                    self.reused
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    self.keep(&file.id, language, blob, s.json.clone());
                    return Ok(ParsedFile {
                        id: file.id.clone(),
                        language: file.language,
                        test: file.test,
                        facts,
                    });
                }
            }
        }
        let parsed = parse(file, bytes)?;
        if let Ok(json) = serde_json::to_vec(&parsed.facts) {
            self.keep(&file.id, language, blob, json);
        }
        Ok(parsed)
    }

    fn keep(&self, id: &str, language: String, blob: BlobId, json: Vec<u8>) {
        let saved = Saved {
            language,
            blob,
            json,
        };
        self.new
            .lock()
            .expect("no panic while holding the lock")
            .push((id.to_string(), saved));
    }

    /// Writes this run's facts unless they are exactly the saved ones.
    pub fn save(self) {
        let Some((cache, key)) = &self.cache else {
            return;
        };
        let mut new = self
            .new
            .into_inner()
            .expect("no panic while holding the lock");
        let reused = self.reused.into_inner();
        if reused == new.len() && reused == self.old.len() {
            return;
        }
        new.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        cache.write("facts", key, &encode(&new));
    }
}

fn encode(entries: &[(String, Saved)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    for (id, s) in entries {
        for part in [id.as_bytes(), s.language.as_bytes(), &s.blob, &s.json] {
            out.extend_from_slice(&(part.len() as u64).to_le_bytes());
            out.extend_from_slice(part);
        }
    }
    out
}

fn decode(bytes: &[u8]) -> Option<HashMap<String, Saved>> {
    let mut pos = 0usize;
    let mut take = |n: usize| -> Option<&[u8]> {
        let s = bytes.get(pos..pos.checked_add(n)?)?;
        pos += n;
        Some(s)
    };
    let n = u64::from_le_bytes(take(8)?.try_into().ok()?);
    let mut out = HashMap::with_capacity(n.min(1 << 20) as usize);
    for _ in 0..n {
        let mut part = || -> Option<&[u8]> {
            let len = usize::try_from(u64::from_le_bytes(take(8)?.try_into().ok()?)).ok()?;
            take(len)
        };
        let id = String::from_utf8(part()?.to_vec()).ok()?;
        let language = String::from_utf8(part()?.to_vec()).ok()?;
        let blob: BlobId = part()?.try_into().ok()?;
        let json = part()?.to_vec();
        out.insert(
            id,
            Saved {
                language,
                blob,
                json,
            },
        );
    }
    (pos == bytes.len()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_ids_are_gits() {
        // `printf 'hello\n' | git hash-object --stdin`
        let id: String = blob_id(b"hello\n")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(id, "ce013625030ba8dba906f756967f9e9ca394464a");
    }

    #[test]
    fn entries_round_trip() {
        let e = vec![(
            "a/B.java".to_string(),
            Saved {
                language: "java".into(),
                blob: blob_id(b"x"),
                json: b"{}".to_vec(),
            },
        )];
        let bytes = encode(&e);
        let back = decode(&bytes).unwrap();
        assert_eq!(back["a/B.java"].blob, blob_id(b"x"));
        assert_eq!(back["a/B.java"].json, b"{}");
        assert!(decode(&bytes[..bytes.len() - 1]).is_none());
    }
}
