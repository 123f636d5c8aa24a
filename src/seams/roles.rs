//! Role words: the affixes that say what layer a type or module sits in
//! (`Validator`, `Controller`, `Hibernate…`, `views.py`), not what it is
//! about. Language knowledge as data: one table per language, consulted by
//! [`domain_stem`] and by the semantic signal's stop words.
//!
//! A unit's **domain stem** is its primary type or module name with role
//! prefixes and suffixes taken off, repeatedly: `HibernatePatientDAO` →
//! `patient`, `PatientServiceImpl` → `patient`, `orders/views.py` → none
//! (a role module says nothing of its own; its folder does).

use crate::lang::Language;

/// Role suffixes shared by the object-oriented languages (matched as whole
/// camel-case words at the end of a name, case-insensitively).
const SUFFIXES: &[&str] = &[
    "action",
    "adapter",
    "advice",
    "aspect",
    "bean",
    "bo",
    "builder",
    "client",
    "command",
    "config",
    "configuration",
    "configurer",
    "consumer",
    "controller",
    "converter",
    "criteria",
    "dao",
    "decorator",
    "delegate",
    "deserializer",
    "dto",
    "editor",
    "endpoint",
    "example",
    "exception",
    "facade",
    "factory",
    "filter",
    "form",
    "formatter",
    "gateway",
    "handler",
    "helper",
    "impl",
    "interceptor",
    "job",
    "listener",
    "manager",
    "mapper",
    "model",
    "processor",
    "producer",
    "provider",
    "proxy",
    "publisher",
    "repo",
    "repository",
    "request",
    "resolver",
    "resource",
    "response",
    "rest",
    "serializer",
    "service",
    "servlet",
    "spec",
    "specification",
    "strategy",
    "subscriber",
    "support",
    "task",
    "test",
    "tests",
    "transformer",
    "translator",
    "util",
    "utils",
    "validator",
    "view",
    "vo",
    "wrapper",
];

/// Role prefixes: abstraction markers, taken off the front only
/// (`AbstractOrderService`, `DefaultPricing`).
const PREFIXES: &[&str] = &[
    "abstract", "base", "default", "fake", "generic", "mock", "simple", "stub",
];

/// Technologies: taken off either end, since teams write both
/// `HibernatePatientDAO` and `CargoRepositoryHibernate`, `JpaOrderRepository`
/// and `VoyageRepositoryJPA`.
const TECHNOLOGIES: &[&str] = &[
    "ejb",
    "hibernate",
    "http",
    "jdbc",
    "jms",
    "jooq",
    "jpa",
    "mybatis",
    "rest",
    "spring",
    "web",
];

/// Suffixes of a repository port (`LocationRepository`, `PatientDAO`):
/// a type that stores an aggregate, whether a framework implements it or not.
const REPOSITORY_SUFFIXES: &[&str] = &["dao", "repo", "repository"];

/// Whether a type or file name ends in a repository role word.
pub fn is_repository_name(name: &str) -> bool {
    words_of(name)
        .last()
        .is_some_and(|w| REPOSITORY_SUFFIXES.contains(&w.to_ascii_lowercase().as_str()))
}

/// Persistence operations named in a role type (`PatientSaveHandler`,
/// `CreateOrderCommand`, `VisitUnvoidHandler`): they say what the type does
/// to its entity, not which entity; taken off either end like an affix.
const OPERATIONS: &[&str] = &[
    "create", "delete", "insert", "purge", "remove", "retire", "save", "unretire", "unvoid",
    "update", "void",
];

/// Module (file) names that only name a layer, per language: their folder
/// carries the domain.
const PYTHON_MODULES: &[&str] = &[
    "__init__",
    "admin",
    "api",
    "apps",
    "crud",
    "dependencies",
    "exceptions",
    "filters",
    "forms",
    "handlers",
    "managers",
    "models",
    "mutations",
    "permissions",
    "resolvers",
    "routers",
    "routes",
    "schema",
    "schemas",
    "selectors",
    "serializers",
    "services",
    "signals",
    "tasks",
    "types",
    "urls",
    "utils",
    "validators",
    "views",
];

const RUST_MODULES: &[&str] = &[
    "api",
    "config",
    "db",
    "error",
    "errors",
    "handlers",
    "lib",
    "main",
    "mod",
    "models",
    "repo",
    "repository",
    "routes",
    "schema",
    "service",
    "types",
    "utils",
];

/// Folders that hold source trees, not domains (`crates/orders/src`).
const SOURCE_FOLDERS: &[&str] = &[
    "app", "apps", "crates", "internal", "java", "kotlin", "lib", "libs", "main", "packages",
    "pkg", "python", "src",
];

pub fn is_source_folder(name: &str) -> bool {
    SOURCE_FOLDERS.contains(&name.to_ascii_lowercase().as_str())
}

/// Files that describe their folder rather than hold code of their own:
/// Java's `package-info.java` / `module-info.java`, and a Python package's
/// `__init__.py` that declares no type and no function (only imports and
/// re-exports). They follow their folder (`Placement::Descriptor`, the
/// kernel-folder rule).
const DESCRIPTORS: &[(Language, &str)] = &[
    (Language::Java, "package-info.java"),
    (Language::Java, "module-info.java"),
    (Language::Python, "__init__.py"),
    (Language::TypeScript, "index.ts"),
    (Language::TypeScript, "index.tsx"),
    (Language::JavaScript, "index.js"),
    (Language::JavaScript, "index.mjs"),
];

pub fn is_descriptor(file: &crate::lang::ParsedFile) -> bool {
    let name = file.id.rsplit('/').next().unwrap_or(&file.id);
    let barrel = DESCRIPTORS
        .iter()
        .any(|&(l, n)| l == file.language && n == name)
        && file.facts.types.is_empty()
        && file.facts.functions.is_empty();
    barrel || is_wiring(file)
}

/// A file whose every type only wires the application together (a NestJS
/// `@Module`, by a `Fact::Wiring` row): like a descriptor it describes its
/// folder's units, and follows them, instead of pulling the services it
/// imports into one.
fn is_wiring(file: &crate::lang::ParsedFile) -> bool {
    file.facts.typescript.as_ref().is_some_and(|ts| {
        !ts.module_classes.is_empty() && ts.module_classes.len() == file.facts.types.len()
    })
}

/// Every role word, lower case: stop words of the semantic signal (plural
/// folder names such as `validators` included), and never a service name.
pub fn is_role_word(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    let singular = w.strip_suffix('s').unwrap_or(&w);
    SUFFIXES.contains(&w.as_str())
        || SUFFIXES.contains(&singular)
        || PREFIXES.contains(&w.as_str())
        || TECHNOLOGIES.contains(&w.as_str())
        || OPERATIONS.contains(&w.as_str())
        || PYTHON_MODULES.contains(&w.as_str())
        || RUST_MODULES.contains(&w.as_str())
}

/// Camel-case and snake-case words of an identifier, case kept
/// (`HTTPServerError` → `HTTP`, `Server`, `Error`).
fn words_of(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b: Vec<(usize, char)> = name.char_indices().collect();
    let mut start: Option<usize> = None;
    for (k, &(i, c)) in b.iter().enumerate() {
        if !c.is_alphanumeric() {
            if let Some(s) = start.take() {
                out.push(&name[s..i]);
            }
            continue;
        }
        if let Some(s) = start {
            let prev = b[k - 1].1;
            let next_lower = b.get(k + 1).is_some_and(|n| n.1.is_lowercase());
            if c.is_uppercase()
                && (prev.is_lowercase()
                    || prev.is_ascii_digit()
                    || (next_lower && prev.is_uppercase()))
            {
                out.push(&name[s..i]);
                start = Some(i);
            }
        } else {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(&name[s..]);
    }
    out
}

/// The domain stem of a type or module name, lower-case words joined by a
/// space; `None` when nothing but role words remain.
pub fn domain_stem(name: &str, language: Language) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let role_module = match language {
        Language::Python => PYTHON_MODULES.contains(&lower.as_str()),
        Language::Rust => RUST_MODULES.contains(&lower.as_str()),
        _ => false,
    };
    if role_module {
        return None;
    }
    let words = words_of(name);
    let mut lo = 0;
    let mut hi = words.len();
    let is = |table: &[&str], w: &str| table.contains(&w.to_ascii_lowercase().as_str());
    let affix = |table: &[&str], w: &str| is(table, w) || is(OPERATIONS, w) || is(TECHNOLOGIES, w);
    while lo < hi && affix(PREFIXES, words[lo]) {
        lo += 1;
    }
    while hi > lo && affix(SUFFIXES, words[hi - 1]) {
        hi -= 1;
    }
    // A lone interface marker left by C#-style names (`IOrderService`).
    let kept: Vec<String> = words[lo..hi]
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .filter(|w| w.chars().any(|c| c.is_alphabetic()))
        .collect();
    if kept.is_empty() {
        None
    } else {
        Some(kept.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(n: &str) -> Option<String> {
        domain_stem(n, Language::Java)
    }

    #[test]
    fn role_affixes_come_off() {
        assert_eq!(stem("HibernatePatientDAO").as_deref(), Some("patient"));
        assert_eq!(stem("PatientServiceImpl").as_deref(), Some("patient"));
        assert_eq!(
            stem("PatientIdentifierValidator").as_deref(),
            Some("patient identifier")
        );
        assert_eq!(stem("DefaultOrderRepository").as_deref(), Some("order"));
        assert_eq!(stem("OwnerController").as_deref(), Some("owner"));
        assert_eq!(stem("CargoRepositoryJPA").as_deref(), Some("cargo"));
        assert_eq!(stem("CargoRepositoryHibernate").as_deref(), Some("cargo"));
        assert_eq!(
            stem("JmsApplicationEventsImpl").as_deref(),
            Some("application events")
        );
        assert_eq!(stem("AbstractHandler"), None);
        assert_eq!(stem("PatientSaveHandler").as_deref(), Some("patient"));
        assert_eq!(stem("VisitUnvoidHandler").as_deref(), Some("visit"));
        assert_eq!(stem("CreateOrderCommand").as_deref(), Some("order"));
        assert_eq!(stem("BaseVoidHandler"), None);
        assert_eq!(stem("HTTPServerError").as_deref(), Some("server error"));
        assert_eq!(
            domain_stem("order_service", Language::Python).as_deref(),
            Some("order")
        );
        assert_eq!(domain_stem("views", Language::Python), None);
        assert_eq!(domain_stem("handlers", Language::Rust), None);
        assert_eq!(
            domain_stem("loyalty", Language::Rust).as_deref(),
            Some("loyalty")
        );
    }

    #[test]
    fn repository_ports_are_named_so() {
        assert!(is_repository_name("LocationRepository"));
        assert!(is_repository_name("HibernatePatientDAO"));
        assert!(!is_repository_name("LocationRepositoryJPA"));
        assert!(!is_repository_name("Location"));
    }

    #[test]
    fn role_words_include_plural_folders() {
        assert!(is_role_word("validators"));
        assert!(is_role_word("Editor"));
        assert!(is_role_word("hibernate"));
        assert!(!is_role_word("patient"));
        assert!(!is_role_word("orders"));
    }
}
