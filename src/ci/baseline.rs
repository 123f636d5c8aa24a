//! `decompose-baseline.json`: the cross-seam dependencies a team has
//! accepted, keyed by identity (from unit, to unit, kind) and never by
//! count, plus the accepted cross-seam co-change share.
//!
//! It only shrinks by itself: `--update-baseline` drops what disappeared;
//! new entries come in only with `--accept-new`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The identity of a dependency.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Key {
    pub from: String,
    pub to: String,
    pub kind: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    /// Sorted, unique.
    pub dependencies: Vec<Key>,
    /// Accepted cross-seam co-change share (0..1); `null` when unknown.
    pub cochange_share: Option<f64>,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: not a decompose baseline: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

impl Baseline {
    pub fn new(keys: BTreeSet<Key>, cochange_share: Option<f64>) -> Baseline {
        Baseline {
            version: 1,
            dependencies: keys.into_iter().collect(),
            cochange_share,
        }
    }

    /// Reads the baseline; `Ok(None)` when the file does not exist.
    pub fn load(path: &Path) -> Result<Option<Baseline>, BaselineError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(BaselineError::Read {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        let mut b: Baseline =
            serde_json::from_slice(&bytes).map_err(|e| BaselineError::Invalid {
                path: path.to_path_buf(),
                line: e.line(),
                message: e.to_string(),
            })?;
        b.dependencies.sort();
        b.dependencies.dedup();
        Ok(Some(b))
    }

    pub fn keys(&self) -> BTreeSet<Key> {
        self.dependencies.iter().cloned().collect()
    }

    /// Pretty JSON with a final newline: one entry per line, so a diff of
    /// the file in review shows exactly what was added or removed.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = serde_json::to_vec_pretty(self).expect("a baseline serialises");
        b.push(b'\n');
        b
    }
}
