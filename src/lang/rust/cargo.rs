//! Cargo manifests: crate names, targets and dependency renames.
//!
//! A purpose-built reader of the few `Cargo.toml` keys name resolution
//! needs, rather than a TOML dependency: `[package] name`, `[lib] name /
//! path`, `[[bin]] name / path`, `[workspace] members` and the dependency
//! tables (`[dependencies]`, `[dev-dependencies]`, `[build-dependencies]`,
//! `[target.'…'.dependencies]`, `[workspace.dependencies]`) with their
//! `package = "…"` renames, inline or as `[dependencies.name]` sub-tables.
//! Anything else in the file is ignored; a line it cannot read is skipped.
//!
//! The contents come from the discovery stage (`discover::cargo_manifests`);
//! this module never touches the disk.

use std::collections::BTreeMap;

/// What one `Cargo.toml` says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Repo-relative folder holding the manifest (`""` at the root).
    pub dir: String,
    pub package: Option<String>,
    pub lib_name: Option<String>,
    pub lib_path: Option<String>,
    /// `[[bin]]` targets: (name, path).
    pub bins: Vec<(Option<String>, Option<String>)>,
    /// `[workspace] members`, as written (globs kept).
    pub members: Vec<String>,
    /// Dependency key → package name (equal unless renamed).
    pub deps: BTreeMap<String, String>,
    /// Keys declared `{ workspace = true }`, renamed via the workspace table.
    pub workspace_deps: Vec<String>,
}

impl Manifest {
    /// The library crate name: `[lib] name`, else the package name with
    /// `-` as `_`.
    pub fn lib_crate_name(&self) -> Option<String> {
        self.lib_name
            .clone()
            .or_else(|| self.package.as_ref().map(|p| p.replace('-', "_")))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Table {
    Other,
    Package,
    Lib,
    Bin,
    Workspace,
    Deps,
    /// `[dependencies.name]`.
    OneDep,
}

/// Reads the keys listed in the module docs from a manifest's text.
pub fn parse_manifest(dir: &str, text: &str) -> Manifest {
    let mut m = Manifest {
        dir: dir.to_string(),
        ..Manifest::default()
    };
    let mut table = Table::Other;
    let mut dep_key = String::new();
    let mut lines = text.lines();
    while let Some(raw) = lines.next() {
        let line = strip_comment(raw).trim();
        if line.is_empty() {
            continue;
        }
        if let Some(h) = line.strip_prefix("[[").and_then(|l| l.strip_suffix("]]")) {
            table = if h.trim() == "bin" {
                m.bins.push((None, None));
                Table::Bin
            } else {
                Table::Other
            };
            continue;
        }
        if let Some(h) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let h = h.trim();
            let parts = split_dotted(h);
            let last_deps = |p: &str| {
                matches!(
                    p,
                    "dependencies" | "dev-dependencies" | "build-dependencies"
                )
            };
            table = match parts.as_slice() {
                [p] if p == "package" => Table::Package,
                [p] if p == "lib" => Table::Lib,
                [p] if p == "workspace" => Table::Workspace,
                [.., d] if last_deps(d) => Table::Deps,
                [.., d, k] if last_deps(d) => {
                    dep_key = k.clone();
                    m.deps.insert(k.clone(), k.clone());
                    Table::OneDep
                }
                _ => Table::Other,
            };
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_matches('"');
        let mut value = value.trim().to_string();
        // Multi-line arrays (`members = [` … `]`).
        if value.starts_with('[') && !value.contains(']') {
            for more in lines.by_ref() {
                value.push_str(strip_comment(more).trim());
                if more.contains(']') {
                    break;
                }
            }
        }
        match table {
            Table::Package if key == "name" => m.package = string_value(&value),
            Table::Lib if key == "name" => m.lib_name = string_value(&value),
            Table::Lib if key == "path" => m.lib_path = string_value(&value),
            Table::Bin => {
                if let Some(b) = m.bins.last_mut() {
                    match key {
                        "name" => b.0 = string_value(&value),
                        "path" => b.1 = string_value(&value),
                        _ => {}
                    }
                }
            }
            Table::Workspace if key == "members" => m.members = array_values(&value),
            Table::Deps => {
                let parts = split_dotted(key);
                let name = parts.first().cloned().unwrap_or_default();
                let package = match parts.get(1).map(String::as_str) {
                    Some("package") => string_value(&value),
                    Some("workspace") => {
                        m.workspace_deps.push(name.clone());
                        None
                    }
                    _ => inline_key(&value, "package"),
                };
                if parts.len() == 1 && inline_key(&value, "workspace").as_deref() == Some("true") {
                    m.workspace_deps.push(name.clone());
                }
                let entry = m.deps.entry(name.clone()).or_insert(name);
                if let Some(p) = package {
                    *entry = p;
                }
            }
            Table::OneDep => match key {
                "package" => {
                    if let Some(p) = string_value(&value) {
                        m.deps.insert(dep_key.clone(), p);
                    }
                }
                "workspace" if value == "true" => m.workspace_deps.push(dep_key.clone()),
                _ => {}
            },
            _ => {}
        }
    }
    m
}

fn strip_comment(line: &str) -> &str {
    let mut in_str = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_str = !in_str,
            '#' if !in_str => return &line[..i],
            _ => {}
        }
    }
    line
}

/// Splits `target.'cfg(unix)'.dependencies` on dots outside quotes.
fn split_dotted(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '.') => out.push(std::mem::take(&mut cur).trim().to_string()),
            _ => cur.push(c),
        }
    }
    out.push(cur.trim().to_string());
    out
}

fn string_value(v: &str) -> Option<String> {
    let v = v.trim();
    let q = v.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &v[1..];
    rest.find(q).map(|i| rest[..i].to_string())
}

fn array_values(v: &str) -> Vec<String> {
    let inner = v.trim().trim_start_matches('[');
    let inner = inner.rsplit_once(']').map_or(inner, |(a, _)| a);
    inner
        .split(',')
        .filter_map(string_value)
        .filter(|s| !s.is_empty())
        .collect()
}

/// `key = "v"` or `key = true` inside an inline table `{ … }`.
fn inline_key(v: &str, key: &str) -> Option<String> {
    let inner = v.trim().strip_prefix('{')?;
    let inner = inner.rsplit_once('}').map_or(inner, |(a, _)| a);
    for part in inner.split(',') {
        if let Some((k, val)) = part.split_once('=') {
            if k.trim() == key {
                let val = val.trim();
                return string_value(val).or_else(|| Some(val.to_string()));
            }
        }
    }
    None
}

/// One compilation target: a crate root file and the crate's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The name code uses for this crate (`foo_bar`).
    pub name: String,
    /// Repo-relative path of the root file (`orders/src/lib.rs`).
    pub root: String,
    pub lib: bool,
    /// Index of the manifest (package) it belongs to, if any.
    pub package: Option<usize>,
}

/// Joins a manifest folder and a relative path, normalising `.` and `..`.
pub fn join(dir: &str, rel: &str) -> String {
    // An absolute path, or one climbing above the root, names no file of
    // the repository: it keeps a form no unit id has (`/x`, `../x`), so
    // it stays unresolved instead of landing on an unrelated file.
    if rel.starts_with('/') {
        return rel.to_string();
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let mut above = 0usize;
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    above += 1;
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if above > 0 {
        format!("{}{joined}", "../".repeat(above))
    } else {
        joined
    }
}

/// The crate targets of every package, given the set of `.rs` files that
/// exist: `[lib]` (default `src/lib.rs`), `[[bin]]` plus `src/main.rs`,
/// `src/bin/*.rs` and `src/bin/*/main.rs`, and each file directly under
/// `tests/`, `benches/`, `examples/`. Without any manifest, every
/// `…/src/lib.rs` and `…/src/main.rs` is a crate named after its folder.
pub fn targets(manifests: &[Manifest], files: &[&str]) -> Vec<Target> {
    let exists = |p: &str| files.binary_search(&p).is_ok();
    let mut out: Vec<Target> = Vec::new();
    for (mi, m) in manifests.iter().enumerate() {
        let Some(package) = &m.package else { continue };
        let pkg = package.replace('-', "_");
        let lib_root = join(&m.dir, m.lib_path.as_deref().unwrap_or("src/lib.rs"));
        if exists(&lib_root) {
            out.push(Target {
                name: m.lib_crate_name().unwrap_or_else(|| pkg.clone()),
                root: lib_root,
                lib: true,
                package: Some(mi),
            });
        }
        let mut bins: Vec<(String, String)> = Vec::new();
        for (name, path) in &m.bins {
            let name = name.clone().unwrap_or_else(|| package.clone());
            let path = match path {
                Some(p) => join(&m.dir, p),
                None => join(&m.dir, &format!("src/bin/{name}.rs")),
            };
            bins.push((name, path));
        }
        let main = join(&m.dir, "src/main.rs");
        bins.push((package.clone(), main));
        let bin_dir = join(&m.dir, "src/bin");
        let mut extra = Vec::new();
        for dir in ["tests", "benches", "examples"] {
            extra.push(join(&m.dir, dir));
        }
        for f in files {
            let Some(rest) = f.strip_prefix(&format!("{bin_dir}/")) else {
                continue;
            };
            match rest.split('/').collect::<Vec<_>>().as_slice() {
                [file] => bins.push((file.trim_end_matches(".rs").into(), f.to_string())),
                [d, "main.rs"] => bins.push((d.to_string(), f.to_string())),
                _ => {}
            }
        }
        for d in &extra {
            for f in files {
                let Some(rest) = f.strip_prefix(&format!("{d}/")) else {
                    continue;
                };
                match rest.split('/').collect::<Vec<_>>().as_slice() {
                    [file] => bins.push((file.trim_end_matches(".rs").into(), f.to_string())),
                    [d2, "main.rs"] => bins.push((d2.to_string(), f.to_string())),
                    _ => {}
                }
            }
        }
        for (name, root) in bins {
            if exists(&root) && !out.iter().any(|t| t.root == root) {
                out.push(Target {
                    name: name.replace('-', "_"),
                    root,
                    lib: false,
                    package: Some(mi),
                });
            }
        }
    }
    if out.is_empty() {
        for f in files {
            let (dir, file) = f.rsplit_once('/').unwrap_or(("", f));
            if file != "lib.rs" && file != "main.rs" {
                continue;
            }
            let Some(pkg_dir) = dir.strip_suffix("src").map(|d| d.trim_end_matches('/')) else {
                continue;
            };
            let name = pkg_dir.rsplit('/').next().unwrap_or(pkg_dir);
            let name = if name.is_empty() { "crate" } else { name };
            out.push(Target {
                name: name.replace('-', "_"),
                root: f.to_string(),
                lib: file == "lib.rs",
                package: None,
            });
        }
    }
    out.sort_by(|a, b| a.root.cmp(&b.root));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_package_lib_bins_members_and_renames() {
        let m = parse_manifest(
            "crates/orders",
            r#"
[package]
name = "shop-orders" # the orders crate
version = "0.1.0"

[lib]
name = "orders"
path = "src/orders.rs"

[[bin]]
name = "orders-cli"
path = "src/cli.rs"

[workspace]
members = [
    "crates/*",
    "tools/gen",
]

[dependencies]
serde = "1"
money = { package = "shop-common", path = "../common" }
pay.package = "shop-payments"
cat = { workspace = true }

[dependencies.cust]
package = "shop-customers"
path = "../customers"

[target.'cfg(unix)'.dev-dependencies]
nix = "0.1"
"#,
        );
        assert_eq!(m.package.as_deref(), Some("shop-orders"));
        assert_eq!(m.lib_crate_name().as_deref(), Some("orders"));
        assert_eq!(m.lib_path.as_deref(), Some("src/orders.rs"));
        assert_eq!(
            m.bins,
            vec![(Some("orders-cli".into()), Some("src/cli.rs".into()))]
        );
        assert_eq!(m.members, vec!["crates/*", "tools/gen"]);
        let deps: Vec<(&str, &str)> = m
            .deps
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            deps,
            vec![
                ("cat", "cat"),
                ("cust", "shop-customers"),
                ("money", "shop-common"),
                ("nix", "nix"),
                ("pay", "shop-payments"),
                ("serde", "serde"),
            ]
        );
        assert_eq!(m.workspace_deps, vec!["cat"]);
    }

    #[test]
    fn targets_follow_cargo_defaults() {
        let m = parse_manifest("app", "[package]\nname = \"my-app\"\n");
        let files = [
            "app/benches/speed.rs",
            "app/src/bin/tool.rs",
            "app/src/bin/two/main.rs",
            "app/src/lib.rs",
            "app/src/main.rs",
            "app/tests/it.rs",
            "app/tests/util/mod.rs",
        ];
        let t = targets(&[m], &files);
        let got: Vec<(&str, &str, bool)> = t
            .iter()
            .map(|t| (t.name.as_str(), t.root.as_str(), t.lib))
            .collect();
        assert_eq!(
            got,
            vec![
                ("speed", "app/benches/speed.rs", false),
                ("tool", "app/src/bin/tool.rs", false),
                ("two", "app/src/bin/two/main.rs", false),
                ("my_app", "app/src/lib.rs", true),
                ("my_app", "app/src/main.rs", false),
                ("it", "app/tests/it.rs", false),
            ]
        );
        assert_eq!(join("a/b", "../c/./d.rs"), "a/c/d.rs");
    }
}
