//! Cargo manifests: crate names, targets and dependency renames.
//!
//! The few `Cargo.toml` keys name resolution needs, read with the `toml`
//! crate: `[package] name`, `[lib] name / path`, `[[bin]] name / path`,
//! `[workspace] members` and the dependency tables (`[dependencies]`,
//! `[dev-dependencies]`, `[build-dependencies]`, `[target.'…'.dependencies]`,
//! `[workspace.dependencies]`) with their `package = "…"` renames, inline,
//! dotted or as `[dependencies.name]` sub-tables. Anything else in the file
//! is ignored.
//!
//! The contents come from the discovery stage (`discover::cargo_manifests`);
//! this module never touches the disk.

use std::collections::BTreeMap;

use toml::{Table, Value};

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

/// Reads the keys listed in the module docs from a manifest's text. A text
/// that is not valid TOML yields a manifest with nothing but its folder
/// (Cargo itself would refuse it), so its files fall back to the defaults.
pub fn parse_manifest(dir: &str, text: &str) -> Manifest {
    let mut m = Manifest {
        dir: dir.to_string(),
        ..Manifest::default()
    };
    let Ok(doc) = text.parse::<Table>() else {
        return m;
    };
    let string = |t: Option<&Table>, key: &str| {
        t.and_then(|t| t.get(key))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let table = |key: &str| doc.get(key).and_then(Value::as_table);
    m.package = string(table("package"), "name");
    m.lib_name = string(table("lib"), "name");
    m.lib_path = string(table("lib"), "path");
    if let Some(bins) = doc.get("bin").and_then(Value::as_array) {
        for b in bins.iter().filter_map(Value::as_table) {
            m.bins
                .push((string(Some(b), "name"), string(Some(b), "path")));
        }
    }
    if let Some(ws) = table("workspace") {
        m.members = ws
            .get("members")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
    }
    let mut dep_tables: Vec<&Table> = Vec::new();
    fn deps_of<'a>(t: &'a Table, out: &mut Vec<&'a Table>) {
        for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
            if let Some(d) = t.get(key).and_then(Value::as_table) {
                out.push(d);
            }
        }
    }
    deps_of(&doc, &mut dep_tables);
    if let Some(ws) = table("workspace") {
        deps_of(ws, &mut dep_tables);
    }
    if let Some(targets) = table("target") {
        for t in targets.values().filter_map(Value::as_table) {
            deps_of(t, &mut dep_tables);
        }
    }
    for deps in dep_tables {
        for (key, value) in deps {
            let spec = value.as_table();
            let package = string(spec, "package").unwrap_or_else(|| key.clone());
            if spec
                .and_then(|t| t.get("workspace"))
                .and_then(Value::as_bool)
                == Some(true)
                && !m.workspace_deps.contains(key)
            {
                m.workspace_deps.push(key.clone());
            }
            m.deps.insert(key.clone(), package);
        }
    }
    m
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
    fn invalid_toml_yields_only_the_folder() {
        let m = parse_manifest("bad", "[package\nname = \"x\"\n");
        assert_eq!(m.dir, "bad");
        assert_eq!(m.package, None);
        assert!(m.deps.is_empty());
        let m = parse_manifest(
            "",
            "[workspace.dependencies]\nx = { version = \"1\", package = \"y-z\" }\n",
        );
        assert_eq!(m.deps.get("x").map(String::as_str), Some("y-z"));
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
