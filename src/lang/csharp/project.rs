//! .NET projects: which `.csproj` compiles each C# file, and which projects
//! each project reaches through `ProjectReference`s.
//!
//! `.csproj` files are MSBuild XML, read with `roxmltree` (a small,
//! dependency-free, read-only DOM: a project file is small and read once,
//! so a streaming reader would buy nothing). Two styles:
//!
//! - SDK-style (`<Project Sdk="...">`): every `.cs` below the project's
//!   folder, less `bin/`, `obj/`, folders of nested projects, and the
//!   `<Compile Remove="glob">` items; `<Compile Include>` adds files
//!   outside the folder.
//! - Old-style (.NET Framework, no `Sdk`): only the files listed in
//!   `<Compile Include="...">`.
//!
//! `.sln` files are a line format (not XML); only their project lines are
//! read, to name the solution's projects that are missing on disk.
//!
//! Invariant: nothing here runs MSBuild or evaluates conditions; properties
//! (`$(X)`) are left unexpanded, so an item that uses one matches nothing.

use std::collections::{BTreeMap, BTreeSet};

use globset::{GlobBuilder, GlobMatcher};

/// One `.csproj`.
#[derive(Debug, Clone)]
pub struct Project {
    /// Repository-relative path of the `.csproj`.
    pub id: String,
    /// Its folder (`""` for the root).
    pub dir: String,
    /// The file name without `.csproj`.
    pub name: String,
    pub sdk: bool,
    /// Ids of the referenced `.csproj` files, as written, normalised.
    pub references: Vec<String>,
    /// Old-style: the compiled files (repository-relative); SDK-style:
    /// files included from outside the folder.
    pub compile: BTreeSet<String>,
    /// `Compile Remove` globs (repository-relative).
    removes: Vec<GlobMatcher>,
}

/// Every project found, with problems worth a warning.
#[derive(Debug, Clone, Default)]
pub struct Projects {
    pub projects: Vec<Project>,
    /// Per project: every project it reaches (itself included).
    pub reach: Vec<BTreeSet<usize>>,
    pub warnings: Vec<String>,
}

/// Why a C# file is not compiled by any project (a reported skip).
pub fn build_output_reason(id: &str, projects: &Projects) -> Option<String> {
    for p in &projects.projects {
        let Some(rest) = under(id, &p.dir) else {
            continue;
        };
        let first = rest.split('/').next().unwrap_or("");
        if rest.contains('/')
            && (first.eq_ignore_ascii_case("bin") || first.eq_ignore_ascii_case("obj"))
        {
            return Some(format!("build output ({first}/ of {})", p.id));
        }
    }
    None
}

/// `id` relative to `dir`, if it lies below it.
fn under<'a>(id: &'a str, dir: &str) -> Option<&'a str> {
    if dir.is_empty() {
        return Some(id);
    }
    id.strip_prefix(dir)?.strip_prefix('/')
}

/// `a/b/../c` → `a/c`; backslashes to slashes. `None` when a `..` climbs
/// above the repository root: such a path names nothing in the analysed
/// tree, and clamping it at the root would alias a file that is there.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let path = path.replace('\\', "/");
    for p in path.split('/') {
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

fn join(dir: &str, rel: &str) -> Option<String> {
    if dir.is_empty() {
        normalise(rel)
    } else {
        normalise(&format!("{dir}/{rel}"))
    }
}

fn glob(pattern: &str) -> Option<GlobMatcher> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .case_insensitive(true)
        .build()
        .ok()
        .map(|g| g.compile_matcher())
}

/// Reads one `.csproj` text, with warnings about items it cannot honour
/// (each naming the file); `Err` names the problem.
fn read_project(id: &str, text: &str) -> Result<(Project, Vec<String>), String> {
    let doc = roxmltree::Document::parse(text.strip_prefix('\u{feff}').unwrap_or(text))
        .map_err(|e| format!("{id}: not a readable project file: {e}"))?;
    let root = doc.root_element();
    let dir = id.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let file = id.rsplit('/').next().unwrap_or(id);
    let name = file.strip_suffix(".csproj").unwrap_or(file).to_string();
    let sdk = root.attribute("Sdk").is_some()
        || root
            .children()
            .any(|c| c.is_element() && c.tag_name().name() == "Sdk");
    let mut references = Vec::new();
    let mut compile = BTreeSet::new();
    let mut removes = Vec::new();
    let mut warnings = Vec::new();
    for node in root.descendants().filter(|n| n.is_element()) {
        match node.tag_name().name() {
            "ProjectReference" => {
                if let Some(inc) = node.attribute("Include") {
                    for part in inc.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                        match join(&dir, part) {
                            Some(r) => references.push(r),
                            None => warnings.push(format!(
                                "{id}: ProjectReference {part} points above the analysed tree"
                            )),
                        }
                    }
                }
            }
            "Compile" => {
                // A linked file above the root (`..\..\Shared\X.cs`) is not
                // in the analysed tree: nothing to include.
                if let Some(inc) = node.attribute("Include") {
                    for part in inc.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                        if !part.contains("$(") {
                            compile.extend(join(&dir, part));
                        }
                    }
                }
                if let Some(rem) = node.attribute("Remove") {
                    for part in rem.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                        let Some(path) = join(&dir, part) else {
                            continue;
                        };
                        match glob(&path) {
                            Some(g) => removes.push(g),
                            None => warnings.push(format!(
                                "{id}: Compile Remove=\"{part}\" is not a readable glob; it removes nothing"
                            )),
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let project = Project {
        id: id.to_string(),
        dir,
        name,
        sdk,
        references,
        compile,
        removes,
    };
    Ok((project, warnings))
}

/// The project lines of a `.sln`: (name, repository-relative `.csproj`).
pub fn solution_projects(id: &str, text: &str) -> Vec<(String, String)> {
    let dir = id.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix("Project(") else {
            continue;
        };
        let Some((_, rhs)) = rest.split_once('=') else {
            continue;
        };
        let fields: Vec<&str> = rhs.split(',').map(|f| f.trim().trim_matches('"')).collect();
        if let [name, path, ..] = fields[..] {
            if path.to_ascii_lowercase().ends_with(".csproj") {
                // A project above the root reads as its path as written.
                let path = join(dir, path).unwrap_or_else(|| path.replace('\\', "/"));
                out.push((name.to_string(), path));
            }
        }
    }
    out
}

impl Projects {
    /// Reads the `.csproj` and `.sln` texts (repository-relative id, text)
    /// that discovery collected.
    pub fn read(texts: &[(String, String)]) -> Projects {
        let mut out = Projects::default();
        let mut solutions = Vec::new();
        for (id, text) in texts {
            if id.to_ascii_lowercase().ends_with(".sln") {
                solutions.push((id, text));
                continue;
            }
            match read_project(id, text) {
                Ok((p, warnings)) => {
                    out.projects.push(p);
                    out.warnings.extend(warnings);
                }
                Err(e) => out
                    .warnings
                    .push(format!("{e}; its files resolve against every project")),
            }
        }
        out.projects.sort_by(|a, b| a.id.cmp(&b.id));
        let index: BTreeMap<String, usize> = out
            .projects
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.to_ascii_lowercase(), i))
            .collect();
        for (id, text) in solutions {
            for (name, path) in solution_projects(id, text) {
                if !index.contains_key(&path.to_ascii_lowercase()) {
                    out.warnings.push(format!(
                        "{id}: project {name} ({path}) is not in the analysed tree"
                    ));
                }
            }
        }
        let direct: Vec<Vec<usize>> = out
            .projects
            .iter()
            .map(|p| {
                p.references
                    .iter()
                    .filter_map(|r| index.get(&r.to_ascii_lowercase()).copied())
                    .collect()
            })
            .collect();
        for p in &out.projects {
            for r in &p.references {
                if !index.contains_key(&r.to_ascii_lowercase()) {
                    out.warnings.push(format!(
                        "{}: ProjectReference {r} is not in the analysed tree",
                        p.id
                    ));
                }
            }
        }
        out.reach = (0..out.projects.len())
            .map(|start| {
                let mut seen = BTreeSet::from([start]);
                let mut todo = vec![start];
                while let Some(p) = todo.pop() {
                    for &r in &direct[p] {
                        if seen.insert(r) {
                            todo.push(r);
                        }
                    }
                }
                seen
            })
            .collect();
        out
    }

    /// The project that compiles file `id`: an old-style project listing
    /// it, else the SDK-style project whose folder is the nearest ancestor.
    /// `Err` with the reason when the nearest project leaves it out.
    pub fn project_of(&self, id: &str) -> Result<Option<usize>, String> {
        let lower = id.to_ascii_lowercase();
        for (i, p) in self.projects.iter().enumerate() {
            if p.compile.iter().any(|c| c.to_ascii_lowercase() == lower) {
                return Ok(Some(i));
            }
        }
        let nearest = self
            .projects
            .iter()
            .enumerate()
            .filter(|(_, p)| under(id, &p.dir).is_some())
            .max_by_key(|(_, p)| p.dir.len());
        let Some((i, p)) = nearest else {
            return Ok(None);
        };
        if !p.sdk {
            return Err(format!(
                "not compiled: {} (an old-style project) does not list it in <Compile Include>",
                p.id
            ));
        }
        if p.removes.iter().any(|g| g.is_match(id)) {
            return Err(format!(
                "not compiled: removed by <Compile Remove> in {}",
                p.id
            ));
        }
        Ok(Some(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn projects() -> Projects {
        Projects::read(&[
            (
                "Shop.sln".into(),
                "Project(\"{9A19}\") = \"App\", \"src\\App\\App.csproj\", \"{1}\"\nProject(\"{9A19}\") = \"Gone\", \"src\\Gone\\Gone.csproj\", \"{2}\"\n".into(),
            ),
            (
                "src/App/App.csproj".into(),
                "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><ProjectReference Include=\"..\\Lib\\Lib.csproj\" /><Compile Remove=\"Scratch/**\" /></ItemGroup></Project>".into(),
            ),
            (
                "src/Lib/Lib.csproj".into(),
                "<?xml version=\"1.0\"?><Project xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\"><ItemGroup><Compile Include=\"A.cs\" /><Compile Include=\"Sub\\B.cs\" /></ItemGroup><ItemGroup><ProjectReference Include=\"..\\Core\\Core.csproj\" /></ItemGroup></Project>".into(),
            ),
            (
                "src/Core/Core.csproj".into(),
                "<Project Sdk=\"Microsoft.NET.Sdk\" />".into(),
            ),
            ("src/Bad/Bad.csproj".into(), "<Project".into()),
        ])
    }

    #[test]
    fn references_are_transitive_and_membership_follows_the_style() {
        let p = projects();
        let names: Vec<&str> = p.projects.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["App", "Core", "Lib"]);
        assert_eq!(p.reach[0], BTreeSet::from([0, 1, 2]));
        assert_eq!(p.reach[2], BTreeSet::from([1, 2]));
        assert_eq!(p.reach[1], BTreeSet::from([1]));
        assert_eq!(p.project_of("src/App/X.cs"), Ok(Some(0)));
        assert_eq!(p.project_of("src/Lib/Sub/B.cs"), Ok(Some(2)));
        assert_eq!(p.project_of("elsewhere/X.cs"), Ok(None));
        assert!(p
            .project_of("src/Lib/C.cs")
            .unwrap_err()
            .contains("<Compile Include>"));
        assert!(p
            .project_of("src/App/Scratch/T.cs")
            .unwrap_err()
            .contains("Compile Remove"));
        assert_eq!(
            build_output_reason("src/App/obj/Debug/X.g.cs", &p).as_deref(),
            Some("build output (obj/ of src/App/App.csproj)")
        );
        assert_eq!(build_output_reason("src/App/Objects/X.cs", &p), None);
        assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
        assert!(p.warnings[0].starts_with("src/Bad/Bad.csproj: not a readable project file"));
        assert!(p.warnings[1]
            .contains("project Gone (src/Gone/Gone.csproj) is not in the analysed tree"));
    }

    /// Found by the `csharp` fuzz target on its own seed: a reference that
    /// climbs above the root was clamped to `a.csproj` at the root, and a
    /// `Compile Remove` that is no glob was dropped without a word.
    #[test]
    fn references_above_the_root_and_broken_globs_are_warned_about() {
        let p = Projects::read(&[
            (
                "Fuzz/Fuzz.csproj".into(),
                "<Project Sdk=\"x\"><ItemGroup><Compile Remove=\"[\" /><ProjectReference Include=\"..\\..\\..\\a.csproj;;b\" /></ItemGroup></Project>".into(),
            ),
            ("a.csproj".into(), "<Project Sdk=\"x\" />".into()),
        ]);
        assert_eq!(p.projects.len(), 2);
        let fuzz = p
            .projects
            .iter()
            .position(|p| p.id == "Fuzz/Fuzz.csproj")
            .unwrap();
        assert_eq!(p.projects[fuzz].references, vec!["Fuzz/b".to_string()]);
        assert_eq!(
            p.reach[fuzz],
            BTreeSet::from([fuzz]),
            "no link to the root's a.csproj"
        );
        assert_eq!(
            p.warnings,
            vec![
                "Fuzz/Fuzz.csproj: Compile Remove=\"[\" is not a readable glob; it removes nothing",
                "Fuzz/Fuzz.csproj: ProjectReference ..\\..\\..\\a.csproj points above the analysed tree",
                "Fuzz/Fuzz.csproj: ProjectReference Fuzz/b is not in the analysed tree",
            ]
        );
        assert_eq!(p.project_of("Fuzz/X.cs"), Ok(Some(fuzz)));
    }
}
