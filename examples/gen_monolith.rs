//! A deterministic synthetic monolith with a git history, for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_monolith -- OUT [--lang java|python|rust]
//!     [--lines N] [--domains K] [--commits C] [--seed S]
//! ```
//!
//! Writes OUT as a git repository: about N code lines (default 100,000) in
//! files of about 100 lines, in K planted domains (default 12) plus a shared
//! `common` kernel. Each unit depends on four units of its own domain, on the
//! kernel (80%) and on one unit of a neighbouring domain (30%), through
//! imports, fields, constructor calls and method calls that resolve. The
//! history (default 20 commits per 1,000 lines) is one initial import, then
//! commits by per-domain teams touching 1-4 files of one domain, with 10%
//! reaching into a second domain and 5% touching the kernel; a few domains
//! are hot. It is fed to one `git fast-import`, then checked out.
//!
//! The same arguments give the same repository, byte for byte (commit ids
//! included: dates and authors are generated too).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const WORDS: &[&str] = &[
    "order",
    "billing",
    "catalog",
    "customer",
    "shipping",
    "inventory",
    "pricing",
    "loyalty",
    "review",
    "search",
    "account",
    "report",
    "tax",
    "coupon",
    "invoice",
    "payment",
    "warehouse",
    "supplier",
    "return",
    "gift",
    "wishlist",
    "rating",
    "message",
    "audit",
];
const NOUNS: &[&str] = &[
    "Service",
    "Repository",
    "Controller",
    "Policy",
    "Calculator",
    "Validator",
    "Mapper",
    "Handler",
    "Factory",
    "Registry",
    "Gateway",
    "Planner",
];
/// Methods per unit and lines per method: ~100 lines a unit.
const METHODS: usize = 8;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Java,
    Python,
    Rust,
}

struct Args {
    out: PathBuf,
    lang: Lang,
    lines: usize,
    domains: usize,
    commits: Option<usize>,
    seed: u64,
}

fn parse_args() -> Args {
    let mut it = std::env::args().skip(1);
    let mut a = Args {
        out: PathBuf::new(),
        lang: Lang::Java,
        lines: 100_000,
        domains: 12,
        commits: None,
        seed: 1,
    };
    let num = |v: Option<String>, flag: &str| -> usize {
        let v = v.unwrap_or_default().replace('_', "");
        let (n, mult) = match v.strip_suffix(['k', 'K']) {
            Some(n) => (n.to_string(), 1_000),
            None => match v.strip_suffix(['m', 'M']) {
                Some(n) => (n.to_string(), 1_000_000),
                None => (v.clone(), 1),
            },
        };
        n.parse::<f64>()
            .map(|x| (x * mult as f64) as usize)
            .unwrap_or_else(|_| usage(&format!("{flag} needs a number, got {v:?}")))
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--lang" => {
                a.lang = match it.next().as_deref() {
                    Some("java") => Lang::Java,
                    Some("python") => Lang::Python,
                    Some("rust") => Lang::Rust,
                    other => usage(&format!("--lang java|python|rust, got {other:?}")),
                }
            }
            "--lines" => a.lines = num(it.next(), "--lines"),
            "--domains" => a.domains = num(it.next(), "--domains").max(2),
            "--commits" => a.commits = Some(num(it.next(), "--commits")),
            "--seed" => a.seed = num(it.next(), "--seed") as u64,
            "-h" | "--help" => usage(""),
            s if s.starts_with('-') => usage(&format!("unknown flag {s}")),
            s => a.out = PathBuf::from(s),
        }
    }
    if a.out.as_os_str().is_empty() {
        usage("the output folder is missing");
    }
    a
}

fn usage(msg: &str) -> ! {
    if !msg.is_empty() {
        eprintln!("gen_monolith: {msg}");
    }
    eprintln!(
        "usage: gen_monolith OUT [--lang java|python|rust] [--lines N] [--domains K] [--commits C] [--seed S]"
    );
    std::process::exit(2)
}

/// xorshift64*: small, seeded, the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// One generated unit.
struct Unit {
    domain: usize,
    /// Index within its domain (or the kernel).
    index: usize,
    sub: usize,
    name: String,
    deps: Vec<usize>,
}

/// `None` domain index = the kernel.
const KERNEL: usize = usize::MAX;

fn domain_word(d: usize) -> String {
    if d == KERNEL {
        "common".into()
    } else if d < WORDS.len() {
        WORDS[d].into()
    } else {
        format!("{}{}", WORDS[d % WORDS.len()], d / WORDS.len())
    }
}

fn camel(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

fn plan_units(args: &Args, rng: &mut Rng) -> Vec<Unit> {
    // About 108 code lines a unit (decompose's count: comments and blanks out).
    let total = (args.lines / 108).max(args.domains * 3 + 4);
    let kernel = (total / 100).max(4);
    let per_domain = (total - kernel) / args.domains;
    let mut units = Vec::with_capacity(total);
    for k in 0..kernel {
        units.push(Unit {
            domain: KERNEL,
            index: k,
            sub: 0,
            name: format!(
                "{}{k}",
                ["Strings", "Clock", "Ids", "Money", "Events"][k % 5]
            ),
            deps: Vec::new(),
        });
    }
    for d in 0..args.domains {
        let w = camel(&domain_word(d));
        for i in 0..per_domain {
            units.push(Unit {
                domain: d,
                index: i,
                sub: i % 5,
                name: format!("{w}{}{i}", NOUNS[i % NOUNS.len()]),
                deps: Vec::new(),
            });
        }
    }
    // Dependencies: four in the domain, the kernel, a neighbour domain.
    let first_of = |d: usize| kernel + d * per_domain;
    for (u, unit) in units.iter_mut().enumerate().skip(kernel) {
        let d = unit.domain;
        let mut deps = Vec::new();
        for _ in 0..4 {
            let v = first_of(d) + rng.below(per_domain);
            if v != u && !deps.contains(&v) {
                deps.push(v);
            }
        }
        if rng.chance(80) {
            deps.push(rng.below(kernel));
        }
        if rng.chance(30) {
            let other = (d + 1 + rng.below(2)) % args.domains;
            deps.push(first_of(other) + rng.below(per_domain));
        }
        deps.sort_unstable();
        deps.dedup();
        unit.deps = deps;
    }
    // Kernel units use each other a little (lower index only: no cycle).
    for (k, unit) in units.iter_mut().enumerate().take(kernel).skip(1) {
        unit.deps = vec![rng.below(k)];
    }
    units
}

fn java_path(u: &Unit) -> String {
    if u.domain == KERNEL {
        format!("src/main/java/com/gen/common/{}.java", u.name)
    } else {
        format!(
            "src/main/java/com/gen/{}/part{}/{}.java",
            domain_word(u.domain),
            u.sub,
            u.name
        )
    }
}

fn java_package(u: &Unit) -> String {
    if u.domain == KERNEL {
        "com.gen.common".into()
    } else {
        format!("com.gen.{}.part{}", domain_word(u.domain), u.sub)
    }
}

fn python_module(u: &Unit) -> String {
    if u.domain == KERNEL {
        format!("gen.common.{}", u.name.to_ascii_lowercase())
    } else {
        format!(
            "gen.{}.part{}.{}",
            domain_word(u.domain),
            u.sub,
            u.name.to_ascii_lowercase()
        )
    }
}

fn rust_module(u: &Unit) -> String {
    if u.domain == KERNEL {
        format!("common::{}", u.name.to_ascii_lowercase())
    } else {
        format!(
            "{}::part{}::{}",
            domain_word(u.domain),
            u.sub,
            u.name.to_ascii_lowercase()
        )
    }
}

fn field(name: &str) -> String {
    let mut c = name.chars();
    c.next()
        .map(|f| f.to_ascii_lowercase().to_string() + c.as_str())
        .unwrap_or_default()
}

fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn java_source(units: &[Unit], u: usize) -> String {
    let me = &units[u];
    let mut s = String::new();
    let _ = writeln!(s, "package {};\n", java_package(me));
    for &d in &me.deps {
        let _ = writeln!(s, "import {}.{};", java_package(&units[d]), units[d].name);
    }
    let _ = writeln!(
        s,
        "\n/** Generated unit {} of the {} domain. */\npublic class {} {{",
        me.index,
        domain_word(me.domain),
        me.name
    );
    for &d in &me.deps {
        let _ = writeln!(
            s,
            "    private final {} {};",
            units[d].name,
            field(&units[d].name)
        );
    }
    let params: Vec<String> = me
        .deps
        .iter()
        .map(|&d| format!("{} {}", units[d].name, field(&units[d].name)))
        .collect();
    let _ = writeln!(s, "\n    public {}({}) {{", me.name, params.join(", "));
    for &d in &me.deps {
        let f = field(&units[d].name);
        let _ = writeln!(s, "        this.{f} = {f};");
    }
    s.push_str("    }\n");
    let word = domain_word(me.domain);
    for m in 0..METHODS {
        let _ = writeln!(s, "\n    public int {word}Step{m}(int value) {{");
        s.push_str("        int total = value;\n");
        if !me.deps.is_empty() {
            let d = me.deps[(m + me.index) % me.deps.len()];
            let callee = METHODS.min(m + 1) - 1;
            let _ = writeln!(
                s,
                "        total += {}.{}Step{callee}(value + {m});",
                field(&units[d].name),
                domain_word(units[d].domain)
            );
        }
        let _ = writeln!(
            s,
            "        if (total > {m}) {{\n            total -= {m};\n        }}"
        );
        let _ = writeln!(
            s,
            "        for (int i = 0; i < {}; i++) {{\n            total += i;\n        }}",
            m + 2
        );
        s.push_str("        return total;\n    }\n");
    }
    s.push_str("}\n");
    s
}

fn python_source(units: &[Unit], u: usize) -> String {
    let me = &units[u];
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\"\"\"Generated unit {} of the {} domain.\"\"\"\n",
        me.index,
        domain_word(me.domain)
    );
    for &d in &me.deps {
        let _ = writeln!(
            s,
            "from {} import {}",
            python_module(&units[d]),
            units[d].name
        );
    }
    let _ = writeln!(s, "\n\nclass {}:", me.name);
    let params: Vec<String> = me.deps.iter().map(|&d| snake(&units[d].name)).collect();
    let _ = writeln!(
        s,
        "    def __init__(self{}):",
        params.iter().map(|p| format!(", {p}")).collect::<String>()
    );
    if params.is_empty() {
        s.push_str("        self.ready = True\n");
    }
    for p in &params {
        let _ = writeln!(s, "        self.{p} = {p}");
    }
    let word = domain_word(me.domain);
    for m in 0..METHODS {
        let _ = writeln!(s, "\n    def {word}_step{m}(self, value):");
        s.push_str("        total = value\n");
        if !me.deps.is_empty() {
            let d = me.deps[(m + me.index) % me.deps.len()];
            let callee = METHODS.min(m + 1) - 1;
            let _ = writeln!(
                s,
                "        total += self.{}.{}_step{callee}(value + {m})",
                snake(&units[d].name),
                domain_word(units[d].domain)
            );
        }
        let _ = writeln!(s, "        if total > {m}:\n            total -= {m}");
        let _ = writeln!(
            s,
            "        for i in range({}):\n            total += i",
            m + 2
        );
        s.push_str("        return total\n");
    }
    s
}

fn rust_source(units: &[Unit], u: usize) -> String {
    let me = &units[u];
    let mut s = String::new();
    let _ = writeln!(
        s,
        "//! Generated unit {} of the {} domain.\n",
        me.index,
        domain_word(me.domain)
    );
    for &d in &me.deps {
        let _ = writeln!(
            s,
            "use crate::{}::{};",
            rust_module(&units[d]),
            units[d].name
        );
    }
    let _ = writeln!(s, "\npub struct {} {{", me.name);
    for &d in &me.deps {
        let _ = writeln!(s, "    {}: {},", snake(&units[d].name), units[d].name);
    }
    s.push_str("}\n");
    let _ = writeln!(s, "\nimpl {} {{", me.name);
    let params: Vec<String> = me
        .deps
        .iter()
        .map(|&d| format!("{}: {}", snake(&units[d].name), units[d].name))
        .collect();
    let names: Vec<String> = me.deps.iter().map(|&d| snake(&units[d].name)).collect();
    let _ = writeln!(
        s,
        "    pub fn new({}) -> Self {{\n        {} {{ {} }}\n    }}",
        params.join(", "),
        me.name,
        names.join(", ")
    );
    let word = domain_word(me.domain);
    for m in 0..METHODS {
        let _ = writeln!(
            s,
            "\n    pub fn {word}_step{m}(&self, value: i64) -> i64 {{"
        );
        s.push_str("        let mut total = value;\n");
        if !me.deps.is_empty() {
            let d = me.deps[(m + me.index) % me.deps.len()];
            let callee = METHODS.min(m + 1) - 1;
            let _ = writeln!(
                s,
                "        total += self.{}.{}_step{callee}(value + {m});",
                snake(&units[d].name),
                domain_word(units[d].domain)
            );
        }
        let _ = writeln!(
            s,
            "        if total > {m} {{\n            total -= {m};\n        }}"
        );
        let _ = writeln!(
            s,
            "        for i in 0..{} {{\n            total += i;\n        }}",
            m + 2
        );
        s.push_str("        total\n    }\n");
    }
    s.push_str("}\n");
    s
}

/// Path and source of every unit, plus the package glue files each language
/// needs (Python `__init__.py`, Rust `mod` declarations and Cargo.toml).
fn sources(units: &[Unit], lang: Lang) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match lang {
        Lang::Java => {
            for u in 0..units.len() {
                out.push((java_path(&units[u]), java_source(units, u)));
            }
        }
        Lang::Python => {
            let mut packages = std::collections::BTreeSet::new();
            for u in 0..units.len() {
                let module = python_module(&units[u]);
                let path = format!("src/{}.py", module.replace('.', "/"));
                let mut parts: Vec<&str> = module.split('.').collect();
                parts.pop();
                for i in 1..=parts.len() {
                    packages.insert(parts[..i].join("/"));
                }
                out.push((path, python_source(units, u)));
            }
            for p in packages {
                out.push((format!("src/{p}/__init__.py"), String::new()));
            }
        }
        Lang::Rust => {
            // mod tree: lib.rs -> domain -> partN -> unit.
            let mut tree: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
                Default::default();
            for u in 0..units.len() {
                let module = rust_module(&units[u]);
                let parts: Vec<&str> = module.split("::").collect();
                for i in 0..parts.len() {
                    let parent = parts[..i].join("/");
                    tree.entry(parent).or_default().insert(parts[i].to_string());
                }
                out.push((format!("src/{}.rs", parts.join("/")), rust_source(units, u)));
            }
            for (parent, kids) in tree {
                let mods: String = kids.iter().map(|k| format!("pub mod {k};\n")).collect();
                let path = if parent.is_empty() {
                    "src/lib.rs".to_string()
                } else {
                    format!("src/{parent}.rs")
                };
                out.push((path, mods));
            }
            out.push((
                "Cargo.toml".into(),
                "[package]\nname = \"gen-monolith\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"
                    .into(),
            ));
        }
    }
    out.sort();
    out
}

fn main() {
    let args = parse_args();
    let mut rng = Rng(args.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let units = plan_units(&args, &mut rng);
    let files = sources(&units, args.lang);
    let unit_files: Vec<usize> = (0..files.len())
        .filter(|&i| !files[i].1.is_empty() && !files[i].0.ends_with("Cargo.toml"))
        .collect();
    let lines: usize = files.iter().map(|f| f.1.lines().count()).sum();
    let commits = args.commits.unwrap_or(lines / 50);

    if args.out.exists() {
        usage(&format!(
            "{} exists; choose a new folder",
            args.out.display()
        ));
    }
    std::fs::create_dir_all(&args.out).expect("create the output folder");
    git(&args.out, &["init", "-q"]);

    // Teams: three authors per domain, two who touch everything.
    let author = |d: usize, k: usize| -> String {
        if k >= 3 {
            let n = ["Ada Shared", "Linus Platform"][k - 3];
            format!("{n} <{}@gen.test>", snake(&n.replace(' ', "")))
        } else {
            let w = domain_word(d);
            format!("{} Dev{k} <{w}{k}@gen.test>", camel(&w))
        }
    };
    // Domain of each unit file (kernel files: KERNEL).
    let mut domain_files: Vec<Vec<usize>> = vec![Vec::new(); args.domains];
    let mut kernel_files = Vec::new();
    let unit_of_path: std::collections::HashMap<String, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let p = match args.lang {
                Lang::Java => java_path(u),
                Lang::Python => format!("src/{}.py", python_module(u).replace('.', "/")),
                Lang::Rust => format!("src/{}.rs", rust_module(u).replace("::", "/")),
            };
            (p, i)
        })
        .collect();
    for &f in &unit_files {
        if let Some(&u) = unit_of_path.get(&files[f].0) {
            if units[u].domain == KERNEL {
                kernel_files.push(f);
            } else {
                domain_files[units[u].domain].push(f);
            }
        }
    }
    // Hot domains: the first quarter changes four times as often.
    let weights: Vec<usize> = (0..args.domains)
        .map(|d| if d < args.domains.div_ceil(4) { 4 } else { 1 })
        .collect();
    let total_weight: usize = weights.iter().sum();
    let pick_domain = |rng: &mut Rng| {
        let mut r = rng.below(total_weight);
        for (d, &w) in weights.iter().enumerate() {
            if r < w {
                return d;
            }
            r -= w;
        }
        0
    };

    let mut content: Vec<String> = files.iter().map(|f| f.1.clone()).collect();
    let mut stream: Vec<u8> = Vec::with_capacity(64 << 20);
    let mut when: i64 = 1_577_836_800; // 2020-01-01
    let comment = match args.lang {
        Lang::Python => "#",
        _ => "//",
    };
    let commit_header = |stream: &mut Vec<u8>, who: &str, when: i64, msg: &str| {
        let _ = writeln!(stream, "commit refs/heads/main");
        let _ = writeln!(stream, "author {who} {when} +0000");
        let _ = writeln!(stream, "committer {who} {when} +0000");
        let _ = writeln!(stream, "data {}\n{msg}", msg.len());
    };
    commit_header(
        &mut stream,
        "Initial Import <init@gen.test>",
        when,
        "initial import",
    );
    for (path, text) in &files {
        let _ = writeln!(stream, "M 100644 inline {path}\ndata {}", text.len());
        stream.extend_from_slice(text.as_bytes());
        stream.push(b'\n');
    }
    let mut continue_branch = false;
    for c in 0..commits {
        when += 1800 + rng.below(3 * 3600) as i64;
        let d = pick_domain(&mut rng);
        let mut touched: Vec<usize> = Vec::new();
        let pool = &domain_files[d];
        for _ in 0..1 + rng.below(4) {
            touched.push(pool[rng.below(pool.len())]);
        }
        if rng.chance(10) {
            let other = &domain_files[(d + 1 + rng.below(args.domains - 1)) % args.domains];
            touched.push(other[rng.below(other.len())]);
        }
        if rng.chance(5) && !kernel_files.is_empty() {
            touched.push(kernel_files[rng.below(kernel_files.len())]);
        }
        touched.sort_unstable();
        touched.dedup();
        let who = author(
            d,
            if rng.chance(15) {
                3 + rng.below(2)
            } else {
                rng.below(3)
            },
        );
        let msg = format!("GEN-{} change {} in {}", c + 1, c + 1, domain_word(d));
        commit_header(&mut stream, &who, when, &msg);
        if continue_branch {
            // A new fast-import process: continue from the branch tip.
            stream.extend_from_slice(b"from refs/heads/main^0\n");
            continue_branch = false;
        }
        for &f in &touched {
            let _ = writeln!(content[f], "{comment} change {}", c + 1);
            let text = &content[f];
            let _ = writeln!(
                stream,
                "M 100644 inline {}\ndata {}",
                files[f].0,
                text.len()
            );
            stream.extend_from_slice(text.as_bytes());
            stream.push(b'\n');
        }
        // Keep memory flat on long histories: flush in chunks.
        if stream.len() > 256 << 20 {
            fast_import(&args.out, &stream);
            stream.clear();
            continue_branch = true;
        }
    }
    fast_import(&args.out, &stream);
    git(&args.out, &["checkout", "-q", "-f", "main"]);
    let final_lines: usize = content.iter().map(|c| c.lines().count()).sum();
    println!(
        "{}: {} files ({} units in {} domains + {} kernel), {} lines, {} commits",
        args.out.display(),
        files.len(),
        units.len(),
        args.domains,
        kernel_files.len(),
        final_lines,
        commits + 1
    );
}

fn git_cmd(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .args(["-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    c
}

fn git(dir: &Path, args: &[&str]) {
    let status = git_cmd(dir).args(args).status().expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

/// One `git fast-import` run; later runs continue the branch from its tip.
fn fast_import(dir: &Path, stream: &[u8]) {
    let mut child = git_cmd(dir)
        .args(["fast-import", "--quiet", "--force"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stream)
        .expect("feed git fast-import");
    assert!(
        child.wait().expect("git fast-import").success(),
        "git fast-import failed"
    );
}
