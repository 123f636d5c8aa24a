//! The language table: which languages decompose reads, their names and
//! file extensions. Kept in its own file so that the framework table
//! (`crate::frameworks`) can name a language without importing the
//! frontends.

use serde::Serialize;

/// A language decompose can read. Adding one means: query files under
/// `grammars/<lang>/`, one [`Frontend`] impl, a row in [`Language::ALL`] and
/// a fixture.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Java,
    Python,
    Rust,
    /// C# (`.cs`), named `csharp` on the command line (`cs` and `c#` also work).
    CSharp,
    /// TypeScript (`.ts`, `.tsx`, `.mts`, `.cts`; `ts` also works).
    TypeScript,
    /// JavaScript (`.js`, `.jsx`, `.mjs`, `.cjs`; `js` also works).
    JavaScript,
}

impl Language {
    pub const ALL: [Language; 6] = [
        Language::Java,
        Language::Python,
        Language::Rust,
        Language::CSharp,
        Language::TypeScript,
        Language::JavaScript,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Language::Java => "java",
            Language::Python => "python",
            Language::Rust => "rust",
            Language::CSharp => "csharp",
            Language::TypeScript => "typescript",
            Language::JavaScript => "javascript",
        }
    }

    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Language::Java => &["java"],
            Language::Python => &["py", "pyi"],
            Language::Rust => &["rs"],
            Language::CSharp => &["cs"],
            Language::TypeScript => &["ts", "tsx", "mts", "cts"],
            Language::JavaScript => &["js", "jsx", "mjs", "cjs"],
        }
    }

    pub fn from_name(name: &str) -> Option<Language> {
        match name {
            "cs" | "c#" => return Some(Language::CSharp),
            "ts" => return Some(Language::TypeScript),
            "js" => return Some(Language::JavaScript),
            _ => {}
        }
        Language::ALL.into_iter().find(|l| l.name() == name)
    }

    pub fn from_extension(ext: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|l| l.extensions().contains(&ext))
    }

    /// Whether this build has a frontend for the language yet.
    pub fn supported(self) -> bool {
        matches!(
            self,
            Language::Java
                | Language::Python
                | Language::Rust
                | Language::CSharp
                | Language::TypeScript
                | Language::JavaScript
        )
    }
}
