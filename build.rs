//! The build identity of the cache (`src/cache/`): a hash of everything
//! that decides what decompose computes from a file or a commit (the
//! sources, the query files, the manifest and the lock file), exported as
//! `DECOMPOSE_BUILD_ID`. Cache files carry it beside the version, so a
//! rebuilt binary with the same version string (a development build, a
//! patched install) never reuses facts an older build wrote, while two
//! builds of the same sources share them.

use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// FNV-1a, 64 bit (as the cache's own checksum): enough to tell builds
/// apart, not a defence against tampering.
fn fnv1a(h: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *h ^= u64::from(b);
        *h = h.wrapping_mul(0x0100_0000_01b3);
    }
}

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut files = Vec::new();
    for dir in ["src", "grammars"] {
        walk(&root.join(dir), &mut files);
        println!("cargo:rerun-if-changed={dir}");
    }
    for file in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        files.push(root.join(file));
        println!("cargo:rerun-if-changed={file}");
    }
    let mut named: Vec<(String, PathBuf)> = files
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&root).unwrap_or(&p);
            (rel.to_string_lossy().replace('\\', "/"), p)
        })
        .collect();
    named.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (rel, path) in &named {
        // A missing file (no Cargo.lock in a dependency build) hashes as
        // its name alone.
        let bytes = std::fs::read(path).unwrap_or_default();
        fnv1a(&mut h, rel.as_bytes());
        fnv1a(&mut h, &(bytes.len() as u64).to_le_bytes());
        fnv1a(&mut h, &bytes);
    }
    println!("cargo:rustc-env=DECOMPOSE_BUILD_ID={h:016x}");
}
