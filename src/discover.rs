//! Finding the source files to analyse.
//!
//! A gitignore-aware walk (the `ignore` crate, as ripgrep does) that also
//! honours `.gitignore` outside a git repository, skips VCS folders, build
//! output and vendored code, never follows a symbolic link, and flags test
//! code. Everything it leaves out for a reason the user may not expect (too
//! large, a link, unreadable) is reported, never silently dropped.

use std::path::{Path, PathBuf};

use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;

use crate::lang::Language;

/// Files larger than this are skipped and reported: they are almost always
/// generated (parsers, protobuf stubs, minified bundles), and one of them can
/// cost more time than the rest of the repository.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// Folder names that never hold hand-written source worth clustering:
/// version control, tool caches, installed packages.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    ".gradle",
    ".idea",
    ".mvn",
    "__pycache__",
    ".venv",
    "venv",
    ".tox",
    "site-packages",
    "bower_components",
    ".next",
    ".nuxt",
];

/// Installed-package and build-output folders of Node projects: skipped like
/// the others, and reported (once per folder) when TypeScript or JavaScript
/// is analysed, so the user sees where the bundles and dependencies went.
const NODE_REPORTED_DIRS: &[&str] = &[
    "node_modules",
    "bower_components",
    "dist",
    "coverage",
    "vendor",
];

/// Folder names that usually hold build output or vendored code, but are
/// also legitimate package names (`org.acme.vendor`, `myapp.build`). They
/// are skipped only outside a source tree: not below a `src` folder and not
/// a Python package (no `__init__.py`).
const BUILD_DIRS: &[&str] = &[
    "target",
    "build",
    "out",
    "dist",
    "vendor",
    "third_party",
    "coverage",
];

/// The files that make a folder tree a Node, TypeScript or Deno project.
const NODE_PROJECT_FILES: &[&str] = &[
    "package.json",
    "tsconfig.json",
    "jsconfig.json",
    "deno.json",
    "deno.jsonc",
];

/// Moves TypeScript and JavaScript files that no project file governs (no
/// `package.json`, `tsconfig.json`, `jsconfig.json` or `deno.json` in their
/// folder or any folder above it) to the skipped list: the scripts and
/// vendored libraries of a Java or Python web application
/// (`static/js/jquery.js`) are assets, not the monolith's code.
fn skip_assets(out: &mut Discovery, has_project_file: impl Fn(&str) -> bool) {
    let mut known: std::collections::HashMap<String, bool> = std::collections::HashMap::new();
    let mut governed = |id: &str| -> bool {
        let mut dir = id.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        let mut seen = Vec::new();
        let found = loop {
            if let Some(&k) = known.get(&dir) {
                break k;
            }
            seen.push(dir.clone());
            if has_project_file(&dir) {
                break true;
            }
            match dir.rsplit_once('/') {
                Some((d, _)) => dir = d.to_string(),
                None if !dir.is_empty() => dir = String::new(),
                None => break false,
            }
        };
        for d in seen {
            known.insert(d, found);
        }
        found
    };
    let mut kept = Vec::with_capacity(out.files.len());
    for f in std::mem::take(&mut out.files) {
        let node = matches!(f.language, Language::TypeScript | Language::JavaScript);
        if node && !governed(&f.id) {
            out.skipped.push(Skipped {
                id: f.id,
                reason: "no package.json or tsconfig.json above it: an asset of a non-Node project"
                    .into(),
            });
        } else {
            kept.push(f);
        }
    }
    out.files = kept;
}

/// File names of minified or bundled JavaScript: generated, skipped and
/// reported.
fn is_minified(id: &str) -> bool {
    let file = id.rsplit('/').next().unwrap_or(id);
    [".min.js", ".min.mjs", ".min.cjs", ".bundle.js", "-min.js"]
        .iter()
        .any(|s| file.ends_with(s))
}

fn skip_dir(root: &Path, entry: &ignore::DirEntry) -> bool {
    if entry.depth() == 0 || !entry.file_type().is_some_and(|t| t.is_dir()) {
        return false;
    }
    let name = entry.file_name().to_string_lossy();
    if SKIPPED_DIRS.contains(&name.as_ref()) {
        return true;
    }
    if !BUILD_DIRS.contains(&name.as_ref()) {
        return false;
    }
    let in_source_tree = entry
        .path()
        .parent()
        .and_then(|p| p.strip_prefix(root).ok())
        .is_some_and(|p| p.components().any(|c| c.as_os_str() == "src"));
    !in_source_tree && !entry.path().join("__init__.py").is_file()
}

#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    pub languages: Vec<Language>,
    pub excludes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Repo-relative path with `/` separators: the unit id.
    pub id: String,
    pub language: Language,
    pub test: bool,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub id: String,
    pub reason: String,
}

/// A non-code file that may state persistence facts (mapper and mapping
/// XML, changelogs, SQL scripts), read by `crate::persistence`.
#[derive(Debug, Clone)]
pub struct DataFile {
    pub path: PathBuf,
    /// Repo-relative path with `/` separators.
    pub id: String,
    pub test: bool,
}

/// Extensions of the non-code files handed to `crate::persistence`.
pub const DATA_EXTENSIONS: &[&str] = &["xml", "sql", "yaml", "yml", "json"];

#[derive(Debug, Default)]
pub struct Discovery {
    /// Sorted by id.
    pub files: Vec<SourceFile>,
    /// Non-code files of [`DATA_EXTENSIONS`], sorted by id; links, special
    /// and oversized files are left out (and not reported: most are no
    /// persistence file at all).
    pub data_files: Vec<DataFile>,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{0}: no such file or directory")]
    Missing(PathBuf),
    #[error("{0}: not a directory; point decompose at the root folder of the repository")]
    NotADirectory(PathBuf),
    #[error("invalid --exclude pattern {pattern:?}: {source}")]
    BadGlob {
        pattern: String,
        source: ignore::Error,
    },
}

/// `--exclude` globs (gitignore syntax) as ignore-crate overrides under `root`.
fn exclude_overrides(
    root: &Path,
    excludes: &[String],
) -> Result<ignore::overrides::Override, DiscoverError> {
    let mut overrides = OverrideBuilder::new(root);
    for pattern in excludes {
        overrides
            .add(&format!("!{pattern}"))
            .map_err(|source| DiscoverError::BadGlob {
                pattern: pattern.clone(),
                source,
            })?;
    }
    overrides.build().map_err(|source| DiscoverError::BadGlob {
        pattern: excludes.join(" "),
        source,
    })
}

/// Walks `root` and returns the files of the requested languages.
pub fn discover(root: &Path, opts: &DiscoverOptions) -> Result<Discovery, DiscoverError> {
    if !root.exists() {
        return Err(DiscoverError::Missing(root.to_path_buf()));
    }
    if !root.is_dir() {
        return Err(DiscoverError::NotADirectory(root.to_path_buf()));
    }
    let overrides = exclude_overrides(root, &opts.excludes)?;
    let node = opts
        .languages
        .iter()
        .any(|l| matches!(l, Language::TypeScript | Language::JavaScript));
    let skipped_dirs = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));

    let walker = WalkBuilder::new(root)
        .follow_links(false)
        .require_git(false)
        .hidden(true)
        .overrides(overrides)
        .filter_entry({
            let root = root.to_path_buf();
            let skipped_dirs = skipped_dirs.clone();
            move |e| {
                let skip = skip_dir(&root, e);
                if skip && node {
                    let name = e.file_name().to_string_lossy();
                    if NODE_REPORTED_DIRS.contains(&name.as_ref()) {
                        skipped_dirs
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push(unit_id(&root, e.path()));
                    }
                }
                !skip
            }
        })
        .build();

    let mut out = Discovery::default();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                out.skipped.push(Skipped {
                    id: error_path(&err, root),
                    reason: format!("unreadable: {err}"),
                });
                continue;
            }
        };
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str());
        let language = ext
            .and_then(Language::from_extension)
            .filter(|l| opts.languages.contains(l));
        let Some(language) = language else {
            let data =
                ext.is_some_and(|e| DATA_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
            if data
                && file_type.is_file()
                && entry.metadata().is_ok_and(|m| m.len() <= MAX_FILE_BYTES)
            {
                let id = unit_id(root, path);
                out.data_files.push(DataFile {
                    path: path.to_path_buf(),
                    test: is_test(&id, Language::Java),
                    id,
                });
            }
            continue;
        };
        let id = unit_id(root, path);
        if file_type.is_symlink() {
            out.skipped.push(Skipped {
                id,
                reason: "symbolic link (links are never followed)".into(),
            });
            continue;
        }
        if !file_type.is_file() {
            // A folder named like a source file is walked into; anything
            // else (a FIFO, a socket, a device) would block or mislead a read.
            if !file_type.is_dir() {
                out.skipped.push(Skipped {
                    id,
                    reason: "not a regular file (FIFO, socket or device)".into(),
                });
            }
            continue;
        }
        let bytes = match entry.metadata() {
            Ok(m) => m.len(),
            Err(err) => {
                out.skipped.push(Skipped {
                    id,
                    reason: format!("unreadable: {err}"),
                });
                continue;
            }
        };
        if bytes > MAX_FILE_BYTES {
            out.skipped.push(Skipped {
                id,
                reason: format!(
                    "{} bytes, over the {} byte limit for one source file (likely generated)",
                    bytes, MAX_FILE_BYTES
                ),
            });
            continue;
        }
        if matches!(language, Language::JavaScript) && is_minified(&id) {
            out.skipped.push(Skipped {
                id,
                reason: "minified or bundled JavaScript (generated)".into(),
            });
            continue;
        }
        let test = is_test(&id, language);
        out.files.push(SourceFile {
            path: path.to_path_buf(),
            id,
            language,
            test,
            bytes,
        });
    }
    skip_assets(&mut out, |dir| {
        NODE_PROJECT_FILES
            .iter()
            .any(|m| std::fs::symlink_metadata(root.join(dir).join(m)).is_ok_and(|m| m.is_file()))
    });
    for dir in std::mem::take(&mut *skipped_dirs.lock().unwrap_or_else(|p| p.into_inner())) {
        out.skipped.push(Skipped {
            id: format!("{dir}/"),
            reason: "installed packages or build output (folder not walked)".into(),
        });
    }
    out.files.sort_by(|a, b| a.id.cmp(&b.id));
    out.data_files.sort_by(|a, b| a.id.cmp(&b.id));
    out.skipped.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// One entry of a tree that is not on disk (a commit's tree, for `trend`).
#[derive(Debug, Clone)]
pub struct TreeEntry {
    /// Repo-relative path with `/` separators.
    pub id: String,
    pub bytes: u64,
    pub symlink: bool,
}

/// The same selection as [`discover`], over a list of paths instead of a
/// walk: hidden entries, VCS and tool folders, build folders outside source
/// trees, `--exclude` globs, links and oversized files are left out by the
/// same rules. (`.gitignore` is not read: the paths come from a commit, which
/// holds only tracked files.) `SourceFile::path` is the id.
pub fn discover_entries(
    entries: &[TreeEntry],
    opts: &DiscoverOptions,
) -> Result<Discovery, DiscoverError> {
    let overrides = exclude_overrides(Path::new("/"), &opts.excludes)?;
    let ids: std::collections::HashSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    let mut out = Discovery::default();
    'entries: for e in entries {
        let ext = e.id.rsplit_once('.').map(|(_, ext)| ext);
        let language = ext
            .and_then(Language::from_extension)
            .filter(|l| opts.languages.contains(l));
        // Non-code files of [`DATA_EXTENSIONS`] go to `data_files`, under
        // the same folder rules as source files (as `discover` does).
        let data = language.is_none()
            && ext.is_some_and(|x| DATA_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()));
        if language.is_none() && !data {
            continue;
        }
        let parts: Vec<&str> = e.id.split('/').collect();
        for (i, part) in parts.iter().enumerate() {
            if part.starts_with('.') {
                continue 'entries;
            }
            let is_dir = i + 1 < parts.len();
            let prefix = parts[..=i].join("/");
            if overrides
                .matched(Path::new("/").join(&prefix), is_dir)
                .is_ignore()
            {
                continue 'entries;
            }
            if !is_dir {
                continue;
            }
            if SKIPPED_DIRS.contains(part) {
                continue 'entries;
            }
            if BUILD_DIRS.contains(part)
                && !parts[..i].contains(&"src")
                && !ids.contains(format!("{prefix}/__init__.py").as_str())
            {
                continue 'entries;
            }
        }
        let Some(language) = language else {
            // Links, special and oversized data files are left out
            // unreported, as on disk.
            if !e.symlink && e.bytes <= MAX_FILE_BYTES {
                out.data_files.push(DataFile {
                    path: PathBuf::from(&e.id),
                    id: e.id.clone(),
                    test: is_test(&e.id, Language::Java),
                });
            }
            continue;
        };
        if e.symlink {
            out.skipped.push(Skipped {
                id: e.id.clone(),
                reason: "symbolic link (links are never followed)".into(),
            });
            continue;
        }
        if e.bytes > MAX_FILE_BYTES {
            out.skipped.push(Skipped {
                id: e.id.clone(),
                reason: format!(
                    "{} bytes, over the {} byte limit for one source file (likely generated)",
                    e.bytes, MAX_FILE_BYTES
                ),
            });
            continue;
        }
        if matches!(language, Language::JavaScript) && is_minified(&e.id) {
            out.skipped.push(Skipped {
                id: e.id.clone(),
                reason: "minified or bundled JavaScript (generated)".into(),
            });
            continue;
        }
        out.files.push(SourceFile {
            path: PathBuf::from(&e.id),
            id: e.id.clone(),
            language,
            test: is_test(&e.id, language),
            bytes: e.bytes,
        });
    }
    skip_assets(&mut out, |dir| {
        NODE_PROJECT_FILES.iter().any(|m| {
            let id = if dir.is_empty() {
                m.to_string()
            } else {
                format!("{dir}/{m}")
            };
            ids.contains(id.as_str())
        })
    });
    out.files.sort_by(|a, b| a.id.cmp(&b.id));
    out.data_files.sort_by(|a, b| a.id.cmp(&b.id));
    out.skipped.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// The `Cargo.toml` files that govern the discovered Rust files: every
/// manifest in a folder from a Rust file up to the root, as (folder id,
/// text), sorted by folder. Links are not followed; unreadable or oversized
/// manifests are left out (resolution then falls back to folder names).
pub fn cargo_manifests(root: &Path, files: &[SourceFile]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in manifest_dirs(files) {
        let path = root.join(&dir).join("Cargo.toml");
        let regular = std::fs::symlink_metadata(&path)
            .is_ok_and(|m| m.file_type().is_file() && m.len() <= MAX_MANIFEST_BYTES);
        if !regular {
            continue;
        }
        if let Ok(text) = std::fs::read_to_string(&path) {
            out.push((dir, text));
        }
    }
    out
}

/// The `.csproj` and `.sln` files that govern the discovered C# files:
/// those in every folder from a C# file up to the root, as (id, text),
/// sorted by id. Links are not followed; unreadable or oversized files are
/// left out (the files they would govern then see every project).
pub fn dotnet_projects(root: &Path, files: &[SourceFile]) -> Vec<(String, String)> {
    read_manifests(root, folders_up(files, Language::CSharp), |n| {
        let l = n.to_ascii_lowercase();
        l.ends_with(".csproj") || l.ends_with(".sln")
    })
}

/// The Node and TypeScript manifests that govern the discovered TS/JS
/// files (`package.json`, `tsconfig*.json`, `jsconfig.json`,
/// `pnpm-workspace.yaml`): those in every folder from a TS/JS file up to the
/// root, as (id, text), sorted by id. Links are not followed; unreadable or
/// oversized files are left out.
pub fn node_manifests(root: &Path, files: &[SourceFile]) -> Vec<(String, String)> {
    let mut dirs = folders_up(files, Language::TypeScript);
    dirs.extend(folders_up(files, Language::JavaScript));
    read_manifests(root, dirs, crate::lang::typescript::project::is_manifest)
}

/// The regular files of `dirs` (each relative to `root`) whose names
/// `wanted` accepts and that are at most [`MAX_MANIFEST_BYTES`], as
/// (id, text) sorted by id. Links are not followed; unreadable files are
/// left out.
fn read_manifests(
    root: &Path,
    dirs: std::collections::BTreeSet<String>,
    wanted: impl Fn(&str) -> bool,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(root.join(&dir)) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| wanted(n))
            .collect();
        names.sort();
        for name in names {
            let path = root.join(&dir).join(&name);
            let regular = std::fs::symlink_metadata(&path)
                .is_ok_and(|m| m.file_type().is_file() && m.len() <= MAX_MANIFEST_BYTES);
            if !regular {
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(&path) {
                let id = if dir.is_empty() {
                    name
                } else {
                    format!("{dir}/{name}")
                };
                out.push((id, text));
            }
        }
    }
    out.sort();
    out
}

/// Moves the C# files no project compiles to the skipped list with the
/// reason: build output under a project's `bin/` or `obj/`, files an
/// old-style project does not list, files a `Compile Remove` takes out.
pub fn skip_uncompiled(found: &mut Discovery, projects: &[(String, String)]) {
    if projects.is_empty() {
        return;
    }
    let projects = crate::lang::csharp::project::Projects::read(projects);
    let mut kept = Vec::with_capacity(found.files.len());
    for f in std::mem::take(&mut found.files) {
        if f.language != Language::CSharp {
            kept.push(f);
            continue;
        }
        let reason = crate::lang::csharp::project::build_output_reason(&f.id, &projects)
            .or_else(|| projects.project_of(&f.id).err());
        match reason {
            Some(reason) => found.skipped.push(Skipped { id: f.id, reason }),
            None => kept.push(f),
        }
    }
    found.files = kept;
    found.skipped.sort_by(|a, b| a.id.cmp(&b.id));
}

/// The largest `Cargo.toml` read (from disk or from a commit's tree).
pub const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;

/// The folders whose `Cargo.toml` may govern the Rust files: every folder
/// from a Rust file up to the root, sorted.
pub fn manifest_dirs(files: &[SourceFile]) -> std::collections::BTreeSet<String> {
    folders_up(files, Language::Rust)
}

/// Every folder from a file of `language` up to the root, sorted.
fn folders_up(files: &[SourceFile], language: Language) -> std::collections::BTreeSet<String> {
    let mut dirs = std::collections::BTreeSet::new();
    for f in files.iter().filter(|f| f.language == language) {
        let mut dir = f.id.rsplit_once('/').map_or("", |(d, _)| d);
        loop {
            if !dirs.insert(dir.to_string()) {
                break;
            }
            match dir.rsplit_once('/') {
                Some((d, _)) => dir = d,
                None if !dir.is_empty() => dir = "",
                None => break,
            }
        }
    }
    dirs
}

/// The unit id: the path relative to the root, with `/` separators.
/// Non-UTF-8 bytes are replaced (U+FFFD), the same way git output is read.
pub fn unit_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

fn error_path(err: &ignore::Error, root: &Path) -> String {
    match err {
        ignore::Error::WithPath { path, .. } => unit_id(root, path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err, root)
        }
        _ => String::from("?"),
    }
}

/// Whether a file is test code, by the conventions of its language.
pub fn is_test(id: &str, language: Language) -> bool {
    let file = id.rsplit('/').next().unwrap_or(id);
    let in_dir = |d: &str| id.starts_with(&format!("{d}/")) || id.contains(&format!("/{d}/"));
    match language {
        Language::Java => {
            let stem = file.strip_suffix(".java").unwrap_or(file);
            in_dir("src/test")
                || id.starts_with("test/")
                || stem.ends_with("Test")
                || stem.ends_with("Tests")
                || stem.ends_with("IT")
                || stem.ends_with("TestCase")
        }
        Language::Python => {
            in_dir("tests")
                || in_dir("test")
                || file.starts_with("test_")
                || file.ends_with("_test.py")
                || file == "conftest.py"
        }
        Language::Rust => in_dir("tests") || in_dir("benches") || in_dir("examples"),
        // Jest/Vitest/Mocha conventions: `*.spec.*`, `*.test.*`, `__tests__/`,
        // `__mocks__/`, `test/`, `tests/`, `e2e/`.
        Language::TypeScript | Language::JavaScript => {
            in_dir("__tests__")
                || in_dir("__mocks__")
                || in_dir("test")
                || in_dir("tests")
                || in_dir("e2e")
                || file.contains(".spec.")
                || file.contains(".test.")
                || file.contains(".e2e-spec.")
        }
        // A test project's folder (`Shop.Tests/`, `Shop.UnitTests/`,
        // `Shop.Specs/`), a `tests/` or `test/` folder, or `*Tests.cs`; test
        // attributes inside a file are read by the frontend as well.
        Language::CSharp => {
            let stem = file.strip_suffix(".cs").unwrap_or(file);
            in_dir("tests")
                || in_dir("test")
                || id.split('/').rev().skip(1).any(|d| {
                    let d = d.to_ascii_lowercase();
                    d.ends_with(".tests")
                        || d.ends_with(".test")
                        || d.ends_with(".unittests")
                        || d.ends_with(".integrationtests")
                        || d.ends_with(".specs")
                })
                || stem.ends_with("Tests")
                || stem.ends_with("Test")
        }
    }
}

/// Whether a file is generated code that is left out of clustering by
/// default: Django migrations (`<app>/migrations/*.py`, not `__init__.py`),
/// Alembic revisions (`alembic/versions/*.py`),
/// C# designer, source-generator and migration files.
pub fn is_generated(id: &str, language: Language) -> bool {
    match language {
        // Alembic revisions (`alembic/versions/*.py`; Flask-Migrate keeps
        // them under `migrations/versions/`).
        Language::Python => {
            let file = id.rsplit('/').next().unwrap_or(id);
            let under = |dir: &str| id.starts_with(&dir[1..]) || id.contains(dir);
            (under("/migrations/") || under("/alembic/versions/")) && file != "__init__.py"
        }
        // Designer and source-generator output, and Entity Framework
        // migrations (`Migrations/*.cs`, model snapshots).
        Language::CSharp => {
            let file = id.rsplit('/').next().unwrap_or(id);
            let lower = file.to_ascii_lowercase();
            lower.ends_with(".designer.cs")
                || lower.ends_with(".g.cs")
                || lower.ends_with(".g.i.cs")
                || lower.ends_with(".generated.cs")
                || lower.ends_with("modelsnapshot.cs")
                || id.starts_with("Migrations/")
                || id.contains("/Migrations/")
        }
        // Declaration files describe code (often of packages); they are
        // read for names but never clustered.
        Language::TypeScript => crate::lang::typescript::is_declaration_file(id),
        Language::JavaScript => is_minified(id),
        Language::Java | Language::Rust => false,
    }
}

/// The one notion of generated code that seams, plan and metrics share: a
/// path convention of [`is_generated`] (migrations, designer files) or a
/// marker its frontend found in the text (`@mbg.generated`, a
/// `GeneratedCriteria` subclass, `@Generated`). Generated code carries data
/// facts and joins the service that uses it, but is never clustered on its
/// own and never ranks as a service (docs/metrics.md, "Generated code").
pub fn is_generated_file(f: &crate::lang::ParsedFile) -> bool {
    f.facts.generated || is_generated(&f.id, f.language)
}

/// A path glob over unit ids: `*` and `?` stay inside one folder, `**`
/// crosses folders (the seams of `decompose.toml` and `--pin`).
pub fn path_glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_test_and_generated_conventions() {
        for t in [
            "tests/a.py",
            "shop/tests/b.py",
            "shop/test_x.py",
            "x_test.py",
            "conftest.py",
        ] {
            assert!(is_test(t, Language::Python), "{t}");
        }
        assert!(!is_test("shop/contest.py", Language::Python));
        assert!(is_generated(
            "shop/orders/migrations/0001_initial.py",
            Language::Python
        ));
        assert!(!is_generated(
            "shop/orders/migrations/__init__.py",
            Language::Python
        ));
        assert!(!is_generated("shop/orders/models.py", Language::Python));
        assert!(!is_generated("db/migrations/V1.java", Language::Java));
    }

    #[test]
    fn java_test_conventions() {
        assert!(is_test("src/test/java/a/B.java", Language::Java));
        assert!(is_test("m/src/test/java/a/B.java", Language::Java));
        assert!(is_test("src/main/java/a/BTest.java", Language::Java));
        assert!(is_test("src/main/java/a/BTests.java", Language::Java));
        assert!(is_test("src/main/java/a/BIT.java", Language::Java));
        assert!(!is_test("src/main/java/a/Testing.java", Language::Java));
        assert!(!is_test("src/main/java/a/Contest.java", Language::Java));
    }

    #[test]
    fn tree_entries_follow_the_walk_rules() {
        let e = |id: &str, bytes: u64, symlink: bool| TreeEntry {
            id: id.into(),
            bytes,
            symlink,
        };
        let entries = [
            e("src/main/java/a/A.java", 10, false),
            e("src/main/java/a/build/B.java", 10, false),
            e("build/gen/G.java", 10, false),
            e(".hidden/H.java", 10, false),
            e("node_modules/x/N.java", 10, false),
            e("gen/Excluded.java", 10, false),
            e("src/main/java/a/Link.java", 10, true),
            e("src/main/java/a/Huge.java", MAX_FILE_BYTES + 1, false),
            e("src/test/java/a/ATest.java", 10, false),
            e("README.md", 10, false),
        ];
        let d = discover_entries(
            &entries,
            &DiscoverOptions {
                languages: vec![Language::Java],
                excludes: vec!["gen/".into()],
            },
        )
        .unwrap();
        let ids: Vec<(&str, bool)> = d.files.iter().map(|f| (f.id.as_str(), f.test)).collect();
        assert_eq!(
            ids,
            [
                ("src/main/java/a/A.java", false),
                ("src/main/java/a/build/B.java", false),
                ("src/test/java/a/ATest.java", true)
            ]
        );
        let skipped: Vec<&str> = d.skipped.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            skipped,
            ["src/main/java/a/Huge.java", "src/main/java/a/Link.java"]
        );
    }

    #[test]
    fn node_test_generated_and_minified_conventions() {
        for t in [
            "src/orders/orders.service.spec.ts",
            "src/a.test.js",
            "src/__tests__/a.ts",
            "test/app.e2e-spec.ts",
            "packages/x/tests/y.js",
        ] {
            assert!(is_test(t, Language::TypeScript), "{t}");
        }
        assert!(!is_test(
            "src/orders/orders.service.ts",
            Language::TypeScript
        ));
        assert!(!is_test("src/contest.js", Language::JavaScript));
        assert!(is_generated("types/global.d.ts", Language::TypeScript));
        assert!(!is_generated("src/order.ts", Language::TypeScript));
        let e = |id: &str| TreeEntry {
            id: id.into(),
            bytes: 10,
            symlink: false,
        };
        let d = discover_entries(
            &[
                e("package.json"),
                e("src/app.js"),
                e("public/vendor.min.js"),
                e("node_modules/express/index.js"),
                e("dist/main.js"),
                e("coverage/lcov-report/x.js"),
            ],
            &DiscoverOptions {
                languages: vec![Language::JavaScript],
                excludes: Vec::new(),
            },
        )
        .unwrap();
        let ids: Vec<&str> = d.files.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["src/app.js"]);
        assert_eq!(d.skipped[0].id, "public/vendor.min.js");
        // Without a package.json the same script is a web asset.
        let d = discover_entries(
            &[e("src/main/resources/static/js/jquery.js")],
            &DiscoverOptions {
                languages: vec![Language::JavaScript],
                excludes: Vec::new(),
            },
        )
        .unwrap();
        assert!(d.files.is_empty());
        assert_eq!(d.skipped[0].id, "src/main/resources/static/js/jquery.js");
    }

    #[test]
    fn rust_test_conventions() {
        assert!(is_test("tests/it.rs", Language::Rust));
        assert!(is_test("crates/a/tests/it.rs", Language::Rust));
        assert!(is_test("crates/a/benches/b.rs", Language::Rust));
        assert!(is_test("examples/demo.rs", Language::Rust));
        assert!(!is_test("crates/a/src/tests.rs", Language::Rust));
        assert!(!is_test("crates/a/src/lib.rs", Language::Rust));
    }
}
