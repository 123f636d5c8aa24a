//! The Node and TypeScript manifests that steer module resolution:
//! `tsconfig.json` / `jsconfig.json` (`baseUrl`, `paths`, `extends`,
//! `references`; read with the `json5` crate, since tsconfig allows comments
//! and trailing commas), `package.json` (`name`, `main`, `module`, `types`,
//! `exports`, `workspaces`) and `pnpm-workspace.yaml` (yaml-rust2).
//!
//! Discovery hands over every such file in a folder from a TS/JS file up to
//! the root, as (id, text); nothing here touches the disk.

use std::collections::BTreeMap;

use serde_json::Value;

/// The manifest file names discovery reads for TypeScript and JavaScript.
pub fn is_manifest(file_name: &str) -> bool {
    file_name == "package.json"
        || file_name == "pnpm-workspace.yaml"
        || file_name == "jsconfig.json"
        || (file_name.starts_with("tsconfig") && file_name.ends_with(".json"))
}

/// One tsconfig's resolution options, `extends` applied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TsConfig {
    /// Repo-relative folder `paths` and bare specifiers resolve against.
    pub base_url: Option<String>,
    /// `paths` patterns (one `*` at most) with their targets, repo-relative.
    pub paths: Vec<(String, Vec<String>)>,
    /// Repo-relative folders of the `references` projects.
    pub references: Vec<String>,
}

/// A package of the repository.
#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    pub name: String,
    /// Repo-relative folder.
    pub dir: String,
    /// `exports` flattened: (subpath `.` / `./x` / `./*`, target), the
    /// condition picked by [`CONDITIONS`].
    pub exports: Vec<(String, String)>,
    /// `main`, `module`, `types`, in that order of preference.
    pub entries: Vec<String>,
    /// Matched by the workspace globs (or no workspace is declared).
    pub workspace: bool,
}

/// Export conditions, most wanted first: a source condition where a
/// monorepo states one, then types, then the module formats.
const CONDITIONS: &[&str] = &[
    "source",
    "development",
    "types",
    "import",
    "module",
    "require",
    "node",
    "default",
];

/// Every manifest read into resolution options.
#[derive(Debug, Default)]
pub struct NodeProject {
    /// Per folder holding a `tsconfig.json` (or `jsconfig.json`): its options.
    pub configs: BTreeMap<String, TsConfig>,
    /// Other tsconfig files (`tsconfig.app.json`) per folder.
    pub extra_configs: BTreeMap<String, Vec<TsConfig>>,
    pub packages: Vec<Package>,
    /// Manifests that could not be read: (id, message).
    pub problems: Vec<(String, String)>,
}

fn dir_of(id: &str) -> &str {
    id.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `a/b` + `../c/./d` → `a/c/d` (`None` when it climbs above the root).
pub fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

impl NodeProject {
    pub fn read(manifests: &[(String, String)]) -> NodeProject {
        let mut out = NodeProject::default();
        let texts: BTreeMap<&str, &str> = manifests
            .iter()
            .map(|(id, t)| (id.as_str(), t.as_str()))
            .collect();
        let mut globs: Vec<(String, String)> = Vec::new();
        for (id, text) in &texts {
            let file = id.rsplit('/').next().unwrap_or(id);
            let dir = dir_of(id);
            if file == "pnpm-workspace.yaml" {
                match yaml_rust2::YamlLoader::load_from_str(text) {
                    Ok(docs) => {
                        for d in &docs {
                            if let Some(list) = d["packages"].as_vec() {
                                for g in list.iter().filter_map(|g| g.as_str()) {
                                    globs.push((dir.to_string(), g.to_string()));
                                }
                            }
                        }
                    }
                    Err(e) => out.problems.push((id.to_string(), e.to_string())),
                }
                continue;
            }
            if file != "package.json" {
                continue;
            }
            let v: Value = match serde_json::from_str(text) {
                Ok(v) => v,
                Err(e) => {
                    out.problems.push((id.to_string(), e.to_string()));
                    continue;
                }
            };
            let ws = match &v["workspaces"] {
                Value::Array(a) => a.clone(),
                Value::Object(o) => o
                    .get("packages")
                    .and_then(|p| p.as_array())
                    .cloned()
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            for g in ws.iter().filter_map(|g| g.as_str()) {
                globs.push((dir.to_string(), g.to_string()));
            }
            if let Some(name) = v["name"].as_str() {
                let mut exports = Vec::new();
                flatten_exports(&v["exports"], ".", &mut exports);
                let entries = ["source", "main", "module", "types", "typings"]
                    .iter()
                    .filter_map(|k| v[*k].as_str())
                    .map(str::to_string)
                    .collect();
                out.packages.push(Package {
                    name: name.to_string(),
                    dir: dir.to_string(),
                    exports,
                    entries,
                    workspace: true,
                });
            }
        }
        // Workspace globs decide which packages are the repository's own;
        // without any, every named package is.
        if !globs.is_empty() {
            let set = {
                let mut b = globset::GlobSetBuilder::new();
                for (dir, g) in globs.iter().filter(|(_, g)| !g.starts_with('!')) {
                    let pattern = match join(dir, g.trim_end_matches('/')) {
                        Some(p) => p,
                        None => continue,
                    };
                    // `*` stays inside one folder, `**` crosses folders.
                    let glob = globset::GlobBuilder::new(&pattern)
                        .literal_separator(true)
                        .build();
                    if let Ok(glob) = glob {
                        b.add(glob);
                    }
                }
                b.build().ok()
            };
            for p in &mut out.packages {
                p.workspace = set.as_ref().is_some_and(|s| s.is_match(&p.dir));
            }
        }
        for id in texts.keys() {
            let file = id.rsplit('/').next().unwrap_or(id);
            if !(file.starts_with("tsconfig") && file.ends_with(".json")) && file != "jsconfig.json"
            {
                continue;
            }
            let cfg = match config(&texts, id, 0) {
                Ok(c) => c,
                Err(e) => {
                    out.problems.push((id.to_string(), e));
                    continue;
                }
            };
            let dir = dir_of(id).to_string();
            if file == "tsconfig.json"
                || (file == "jsconfig.json" && !out.configs.contains_key(&dir))
            {
                out.configs.insert(dir, cfg);
            } else {
                out.extra_configs.entry(dir).or_default().push(cfg);
            }
        }
        out
    }

    /// The options that govern a file: the nearest folder's `tsconfig.json`;
    /// when it states no `paths` and no `baseUrl` (a solution-style config),
    /// the first other tsconfig of that folder or of its `references` that
    /// does.
    pub fn config_for(&self, file: &str) -> Option<&TsConfig> {
        let mut dir = dir_of(file);
        loop {
            if let Some(c) = self.configs.get(dir) {
                if c.base_url.is_some() || !c.paths.is_empty() {
                    return Some(c);
                }
                let others = self.extra_configs.get(dir).into_iter().flatten().chain(
                    c.references
                        .iter()
                        .filter_map(|r| self.configs.get(r.as_str())),
                );
                for o in others {
                    if o.base_url.is_some() || !o.paths.is_empty() {
                        return Some(o);
                    }
                }
                return Some(c);
            }
            if dir.is_empty() {
                return None;
            }
            dir = dir_of(dir);
        }
    }
}

/// `exports` as (subpath, target) pairs, conditions resolved.
fn flatten_exports(v: &Value, subpath: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) => out.push((subpath.to_string(), s.clone())),
        Value::Array(a) => {
            if let Some(first) = a.first() {
                flatten_exports(first, subpath, out);
            }
        }
        Value::Object(o) => {
            if o.keys().any(|k| k.starts_with('.')) {
                for (k, v) in o {
                    if k.starts_with('.') {
                        flatten_exports(v, k, out);
                    }
                }
            } else if let Some(v) = CONDITIONS.iter().find_map(|c| o.get(*c)) {
                flatten_exports(v, subpath, out);
            } else if let Some((_, v)) = o.iter().next() {
                flatten_exports(v, subpath, out);
            }
        }
        _ => {}
    }
}

/// A tsconfig with its `extends` chain applied (child options win).
fn config(texts: &BTreeMap<&str, &str>, id: &str, depth: usize) -> Result<TsConfig, String> {
    let text = texts
        .get(id)
        .ok_or_else(|| format!("{id}: not in the repository"))?;
    let v: Value = json5::from_str(text).map_err(|e| e.to_string())?;
    let dir = dir_of(id);
    let mut cfg = TsConfig::default();
    if depth < 8 {
        let parents: Vec<&str> = match &v["extends"] {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(|s| s.as_str()).collect(),
            _ => Vec::new(),
        };
        for p in parents {
            // A package name (`@tsconfig/node18`) lives in node_modules.
            if !p.starts_with('.') {
                continue;
            }
            let Some(mut target) = join(dir, p) else {
                continue;
            };
            if !target.ends_with(".json") {
                target.push_str(".json");
            }
            if let Ok(parent) = config(texts, &target, depth + 1) {
                if parent.base_url.is_some() {
                    cfg.base_url = parent.base_url;
                }
                if !parent.paths.is_empty() {
                    cfg.paths = parent.paths;
                }
            }
        }
    }
    let opts = &v["compilerOptions"];
    let base = opts["baseUrl"].as_str().and_then(|b| join(dir, b));
    if let Some(b) = &base {
        cfg.base_url = Some(b.clone());
    }
    if let Some(paths) = opts["paths"].as_object() {
        // Targets are relative to baseUrl, else to the declaring config.
        let root = base.clone().unwrap_or_else(|| dir.to_string());
        cfg.paths = paths
            .iter()
            .map(|(k, v)| {
                let targets = v
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|t| t.as_str())
                    .filter_map(|t| join(&root, t))
                    .collect();
                (k.clone(), targets)
            })
            .collect();
        // Longest prefix first, as TypeScript matches.
        cfg.paths
            .sort_by_key(|(k, _)| std::cmp::Reverse(k.split('*').next().unwrap_or("").len()));
    }
    if let Some(refs) = v["references"].as_array() {
        for r in refs {
            if let Some(p) = r["path"].as_str() {
                let mut target = join(dir, p).unwrap_or_default();
                if target.ends_with(".json") {
                    target = dir_of(&target).to_string();
                }
                cfg.references.push(target);
            }
        }
    }
    Ok(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsconfig_with_comments_extends_and_paths() {
        let m = vec![
            (
                "tsconfig.base.json".to_string(),
                "{ // base\n \"compilerOptions\": { \"baseUrl\": \".\", \"paths\": { \"@shop/*\": [\"libs/*/src\"], }, }, }".to_string(),
            ),
            (
                "apps/api/tsconfig.json".to_string(),
                "{ \"extends\": \"../../tsconfig.base.json\", /* x */ }".to_string(),
            ),
            (
                "package.json".to_string(),
                r#"{"name":"root","workspaces":["libs/*"]}"#.to_string(),
            ),
            (
                "libs/kernel/package.json".to_string(),
                r#"{"name":"@shop/kernel","main":"dist/index.js","exports":{".":{"types":"./src/index.ts","default":"./dist/index.js"}}}"#.to_string(),
            ),
            (
                "tools/x/package.json".to_string(),
                r#"{"name":"x"}"#.to_string(),
            ),
        ];
        let p = NodeProject::read(&m);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let c = p.config_for("apps/api/src/main.ts").unwrap();
        assert_eq!(c.base_url.as_deref(), Some(""));
        assert_eq!(
            c.paths,
            vec![("@shop/*".to_string(), vec!["libs/*/src".to_string()])]
        );
        let kernel = p
            .packages
            .iter()
            .find(|p| p.name == "@shop/kernel")
            .unwrap();
        assert!(kernel.workspace);
        assert_eq!(
            kernel.exports,
            vec![(".".to_string(), "./src/index.ts".to_string())]
        );
        assert!(!p.packages.iter().find(|p| p.name == "x").unwrap().workspace);
        assert_eq!(join("a/b", "../c/./d").as_deref(), Some("a/c/d"));
        assert_eq!(join("a", "../../x"), None);
    }
}
