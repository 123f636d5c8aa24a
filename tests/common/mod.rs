//! Helpers shared by the integration tests: run the real binary, read the
//! fixtures' expected data.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// The decompose binary with `--no-cache`: tests that analyse a fixture
/// inside this repository would otherwise write their cache into the
/// project's own git directory (shared by every worktree). The cache's own
/// tests use [`decompose_with_cache`].
pub fn decompose() -> Command {
    let mut cmd = decompose_with_cache();
    cmd.arg("--no-cache");
    cmd
}

/// The decompose binary with the cache at its default place.
pub fn decompose_with_cache() -> Command {
    Command::cargo_bin("decompose").expect("the binary is built for integration tests")
}

/// Runs `decompose analyze PATH --format json -o - --deterministic` plus
/// `extra`, and returns the parsed report.
pub fn analyze_json(path: &Path, extra: &[&str]) -> serde_json::Value {
    let out = decompose()
        .arg("analyze")
        .arg(path)
        .args(["--format", "json", "-o", "-", "--deterministic", "-q"])
        .args(extra)
        .output()
        .expect("decompose runs");
    assert!(
        out.status.success(),
        "decompose failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is exactly one JSON document")
}

/// The raw report.json bytes of `decompose analyze PATH` with `--threads N`
/// (deterministic, JSON on stdout).
pub fn analyze_bytes(path: &Path, threads: &str) -> Vec<u8> {
    let out = decompose()
        .arg("analyze")
        .arg(path)
        .args([
            "--format",
            "json",
            "-o",
            "-",
            "--deterministic",
            "-q",
            "--threads",
            threads,
        ])
        .output()
        .expect("decompose runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A fresh folder holding `files` (relative path, content).
pub fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

/// Runs `decompose analyze PATH --format json -o - --deterministic` and
/// returns (exit code, stderr, report): for tests about warnings and exit
/// codes. `git_ceiling` stops git from finding an enclosing repository.
pub fn analyze_capture(path: &Path, git_ceiling: bool) -> (Option<i32>, String, serde_json::Value) {
    let mut cmd = decompose();
    cmd.arg("analyze")
        .arg(path)
        .args(["--format", "json", "-o", "-", "--deterministic"]);
    if git_ceiling {
        cmd.env("GIT_CEILING_DIRECTORIES", path.parent().unwrap());
    }
    let out = cmd.output().expect("decompose runs");
    let report = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        report,
    )
}

/// An edge as (kind, from, to).
pub type Edge = (String, String, String);

/// Reads an expected-edges file: `kind<TAB>from<TAB>to`, `#` comments.
pub fn expected_edges(path: &Path) -> BTreeSet<Edge> {
    std::fs::read_to_string(path)
        .expect("expected-edges file")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut p = l.split('\t');
            let mut next = || p.next().expect("three tab-separated fields").to_string();
            (next(), next(), next())
        })
        .collect()
}

pub fn report_edges(report: &serde_json::Value) -> BTreeSet<Edge> {
    report["dependencies"]
        .as_array()
        .expect("dependencies array")
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().expect("string field").to_string();
            (s("kind"), s("from"), s("to"))
        })
        .collect()
}

/// Asserts that the `kind` edges of `got` are exactly those of `expected`
/// (listing what is missing and what is extra), precision and recall 1.0.
pub fn assert_edges_exact(got: &BTreeSet<Edge>, expected: &BTreeSet<Edge>, kind: &str) {
    let missing: Vec<_> = expected
        .iter()
        .filter(|e| e.0 == kind && !got.contains(*e))
        .collect();
    let extra: Vec<_> = got
        .iter()
        .filter(|e| e.0 == kind && !expected.contains(*e))
        .collect();
    assert!(missing.is_empty(), "{kind}: missing {missing:#?}");
    assert!(extra.is_empty(), "{kind}: unexpected {extra:#?}");
    assert_eq!(precision_recall(got, expected, kind), (1.0, 1.0));
}

/// (precision, recall) of the `kind` edges in `got` against `expected`.
pub fn precision_recall(got: &BTreeSet<Edge>, expected: &BTreeSet<Edge>, kind: &str) -> (f64, f64) {
    let g: BTreeSet<&Edge> = got.iter().filter(|e| e.0 == kind).collect();
    let x: BTreeSet<&Edge> = expected.iter().filter(|e| e.0 == kind).collect();
    let tp = g.intersection(&x).count() as f64;
    (tp / g.len().max(1) as f64, tp / x.len().max(1) as f64)
}

/// Copies `fixtures/<name>/` into a temporary folder and replays
/// `fixtures/<name>.history` as real git commits (see the format in that
/// file's header): an initial import of every file, then one commit per `@`
/// line, each `M path` appending a comment line to the file. Uses one
/// `git fast-import`, then checks the result out so the working tree holds
/// the final state.
pub fn replay_history(name: &str) -> tempfile::TempDir {
    use std::collections::BTreeMap;
    use std::io::Write as _;

    let src = fixture(name);
    let dir = tempfile::tempdir().unwrap();
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    collect_files(&src, &src, &mut files);

    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(["-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"])
            .args(args)
            .current_dir(dir.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir.path())
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);

    let mut stream: Vec<u8> = Vec::new();
    let commit = |stream: &mut Vec<u8>,
                  author: &str,
                  when: i64,
                  message: &str,
                  changed: &[(String, Vec<u8>)]| {
        writeln!(stream, "commit refs/heads/main").unwrap();
        writeln!(stream, "author {author} {when} +0000").unwrap();
        writeln!(stream, "committer {author} {when} +0000").unwrap();
        writeln!(stream, "data {}\n{message}", message.len()).unwrap();
        // No `from`: later commits continue the branch from its tip.
        for (path, content) in changed {
            writeln!(stream, "M 100644 inline {path}\ndata {}", content.len()).unwrap();
            stream.extend_from_slice(content);
            stream.push(b'\n');
        }
        stream.push(b'\n');
    };
    let all: Vec<(String, Vec<u8>)> = files.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    commit(
        &mut stream,
        "Initial Import <init@shop.test>",
        1_704_067_200,
        "initial import",
        &all,
    );

    let script = std::fs::read_to_string(root().join(format!("fixtures/{name}.history"))).unwrap();
    let mut pending: Option<(String, i64, String, Vec<String>)> = None;
    let mut n = 0u32;
    let mut flush = |p: Option<(String, i64, String, Vec<String>)>,
                     files: &mut BTreeMap<String, Vec<u8>>,
                     stream: &mut Vec<u8>| {
        let Some((author, when, message, paths)) = p else {
            return;
        };
        let mut changed = Vec::new();
        for path in paths {
            n += 1;
            let content = files
                .get_mut(&path)
                .unwrap_or_else(|| panic!("{name}.history names a missing file: {path}"));
            let line = if path.ends_with(".xml") {
                format!("<!-- change {n} -->\n")
            } else if path.ends_with(".py") || path.ends_with(".toml") || path.ends_with(".txt") {
                format!("# change {n}\n")
            } else {
                format!("// change {n}\n")
            };
            content.extend_from_slice(line.as_bytes());
            changed.push((path, content.clone()));
        }
        commit(stream, &author, when, &message, &changed);
    };
    for line in script.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("@ ") {
            flush(pending.take(), &mut files, &mut stream);
            let (date, rest) = rest.split_once(' ').expect("@ DATE AUTHOR <EMAIL> MESSAGE");
            let close = rest.find('>').expect("author email in <>");
            let author = rest[..=close].to_string();
            let message = rest[close + 1..].trim().to_string();
            pending = Some((author, parse_utc(date), message, Vec::new()));
        } else if let Some(path) = line.strip_prefix("M ") {
            pending
                .as_mut()
                .expect("M line after an @ line")
                .3
                .push(path.trim().to_string());
        } else {
            panic!("{name}.history: cannot read line {line:?}");
        }
    }
    flush(pending.take(), &mut files, &mut stream);

    let mut child = std::process::Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(dir.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir.path())
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("git fast-import runs");
    // A write error means fast-import stopped early; its stderr says why.
    let _ = child.stdin.take().unwrap().write_all(&stream);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "git fast-import: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    git(&["checkout", "-q", "-f", "main"]);
    dir
}

fn collect_files(root: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.is_dir() {
            collect_files(root, &path, out);
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(&path).unwrap());
        }
    }
}

/// `2024-01-03T09:15:00Z` as seconds since the epoch.
pub fn parse_utc(s: &str) -> i64 {
    let num = |r: std::ops::Range<usize>| s[r].parse::<i64>().unwrap();
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    let (hh, mm, ss) = (num(11..13), num(14..16), num(17..19));
    // Days from civil (Howard Hinnant).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + hh * 3600 + mm * 60 + ss
}

/// A text from the analysed repository that tries to break out of HTML,
/// a script element, a comment or an attribute.
pub const HOSTILE: &str = "<img src=x onerror=alert(1)></script><!--'\"&\u{2028}";

/// A made-up but plausible report for renderer tests: `n_units` units in
/// `n_services` services plus a shared kernel and tests, layered
/// dependencies with a few cycles, history, co-change, hotspots and a plan.
/// With `hostile`, every string from the "repository" carries [`HOSTILE`].
/// Deterministic: the same arguments give the same report.
pub fn synthetic_report(
    n_units: usize,
    n_services: usize,
    hostile: bool,
) -> decompose::report::Report {
    use decompose::report::*;
    use std::collections::BTreeMap;

    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rnd = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n.max(1)
    };
    let evil = |s: &str| {
        if hostile {
            format!("{s}{HOSTILE}")
        } else {
            s.to_string()
        }
    };
    let words = [
        "order", "cart", "payment", "customer", "catalog", "invoice", "shipping", "stock",
        "pricing", "loyalty", "review", "search", "account", "report", "tax", "coupon",
    ];
    let svc_word = |s: usize| format!("{}{}", words[s % words.len()], s / words.len());
    let n_kernel = (n_units / 100).max(2);
    let n_tests = n_units / 10;
    let n_code = n_units - n_kernel - n_tests;

    // Units: code spread over services and their sub-packages, then the
    // kernel, then tests.
    let mut units = Vec::with_capacity(n_units);
    let mut service_of: Vec<Option<usize>> = Vec::with_capacity(n_units);
    for i in 0..n_units {
        let (id, svc, role) = if i < n_code {
            let s = i % n_services;
            let sub = ["", "model/", "web/", "repo/", "internal/", "internal/util/"]
                [(i / n_services) % 6];
            let dir = evil(&format!("src/main/java/org/acme/{}/{sub}", svc_word(s)));
            (format!("{dir}Class{i}.java"), Some(s), "code")
        } else if i < n_code + n_kernel {
            (
                format!(
                    "src/main/java/org/acme/common/{}.java",
                    evil(&format!("Util{i}"))
                ),
                None,
                "kernel",
            )
        } else {
            let s = i % n_services;
            (
                format!("src/test/java/org/acme/{}/Class{i}Test.java", svc_word(s)),
                None,
                "test",
            )
        };
        let commits = (rnd(60) * rnd(60) / 20) as u32;
        units.push(UnitRow {
            name: id.trim_end_matches(".java").replace('/', "."),
            id,
            language: "java".into(),
            lines: 20 + rnd(400) as u32,
            complexity: 1 + rnd(60) as u32,
            test: role == "test",
            commits,
            churn: commits as u64 * (5 + rnd(40)),
            authors: 1 + rnd(6) as u32,
            fan_in: 0,
            fan_out: 0,
            service: svc.map(|s| format!("s{s}")),
            confidence: svc.map(|_| 0.5 + rnd(50) as f64 / 100.0),
            placement: svc.map(|_| "clustered".to_string()),
            reason: (role == "kernel").then(|| evil("used from 5 services")),
            role: role.into(),
            hotspot: Some(rnd(1000) as f64 / 1000.0),
            first_change: Some("2023-01-01T12:00:00Z".into()),
            last_change: Some("2024-06-01T12:00:00Z".into()),
            instability: None,
            unresolved_refs: rnd(3) as u32,
            author_ids: {
                let mut a: Vec<u32> = (0..1 + rnd(3)).map(|_| rnd(42) as u32).collect();
                a.sort_unstable();
                a.dedup();
                a
            },
            generated: false,
        });
        service_of.push(svc);
    }

    // Dependencies: mostly inside a service, some down the layers (service s
    // uses the next few services), some to the kernel, and a few back from
    // every fifth service to the one before it (cycles).
    let kinds = ["import", "call", "type_use", "inherit"];
    let mut deps: BTreeMap<(usize, usize, usize), u32> = BTreeMap::new();
    let pick_in = |s: usize, r: u64| -> usize {
        let per = n_code / n_services;
        (s + n_services * (r as usize % per.max(1))).min(n_code - 1)
    };
    for (i, svc) in service_of.iter().enumerate().take(n_code) {
        let s = svc.expect("code units have a service");
        for _ in 0..8 {
            let roll = rnd(100);
            let to = if roll < 70 {
                pick_in(s, rnd(1 << 20))
            } else if roll < 85 {
                let t = (s + 1 + rnd(3) as usize).min(n_services - 1);
                pick_in(t, rnd(1 << 20))
            } else if roll < 97 {
                n_code + rnd(n_kernel as u64) as usize
            } else if s % 5 == 4 {
                // A few services lean back on the one above: small cycles.
                pick_in(s - 1, rnd(1 << 20))
            } else {
                pick_in(s, rnd(1 << 20))
            };
            if to != i {
                *deps.entry((i, to, rnd(4) as usize)).or_default() += 1 + rnd(4) as u32;
            }
        }
    }
    for i in n_code + n_kernel..n_units {
        let s = i % n_services;
        *deps.entry((i, pick_in(s, rnd(1 << 20)), 1)).or_default() += 2;
    }
    let mut service_deps: BTreeMap<(String, String), (u32, u32)> = BTreeMap::new();
    for (&(a, b, k), &count) in &deps {
        units[a].fan_out += 1;
        units[b].fan_in += 1;
        let side = |u: usize| match (service_of[u], units[u].role.as_str()) {
            (Some(s), _) => Some(format!("s{s}")),
            (None, "kernel") => Some("kernel".to_string()),
            _ => None,
        };
        if let (Some(x), Some(y)) = (side(a), side(b)) {
            if x != y {
                let e = service_deps.entry((x, y)).or_default();
                e.0 += count;
                if kinds[k] == "call" {
                    e.1 += count;
                }
            }
        }
    }
    let dependencies: Vec<DependencyRow> = deps
        .iter()
        .map(|(&(a, b, k), &count)| DependencyRow {
            from: units[a].id.clone(),
            to: units[b].id.clone(),
            kind: kinds[k].into(),
            count,
        })
        .collect();

    let services: Vec<ServiceRow> = (0..n_services)
        .map(|s| {
            let members: Vec<String> = (0..n_code)
                .filter(|&i| service_of[i] == Some(s))
                .map(|i| units[i].id.clone())
                .collect();
            let lines = (0..n_code)
                .filter(|&i| service_of[i] == Some(s))
                .map(|i| units[i].lines as u64)
                .sum();
            ServiceRow {
                id: format!("s{s}"),
                name: evil(&svc_word(s)),
                members,
                rank: s as u32 + 1,
                score: 1.0 - s as f64 / n_services as f64,
                lines,
                words: vec![evil(words[s % words.len()]), "service".into()],
                package: evil(&format!("org.acme.{}", svc_word(s))),
                cohesion: 0.5 + rnd(50) as f64 / 100.0,
                coupling: rnd(2000) as u32,
                interface_size: rnd(80) as u32,
                churn_share: rnd(100) as f64 / 100.0 / n_services as f64 * 4.0,
                cochange_leakage: rnd(60) as f64 / 100.0,
                confidence: 0.6 + rnd(40) as f64 / 100.0,
                signals: SignalShares {
                    structural: 0.4,
                    cochange: 0.3,
                    semantic: 0.2,
                    ownership: 0.1,
                    namespace: 0.0,
                },
                origin: "proposed".into(),
                extraction: Extraction::default(),
                cap: Default::default(),
            }
        })
        .collect();

    let n_pairs = (n_units / 5).max(10);
    let cochange: Vec<CoChangeRow> = (0..n_pairs)
        .map(|_| {
            let a = rnd(n_code as u64) as usize;
            let b = rnd(n_code as u64) as usize;
            CoChangeRow {
                a: units[a].id.clone(),
                b: units[b].id.clone(),
                shared: 5 + rnd(20) as u32,
                degree: 30.0 + rnd(700) as f64 / 10.0,
                revs_a: 10 + rnd(30) as u32,
                revs_b: 10 + rnd(30) as u32,
                confidence_ab: rnd(100) as f64 / 100.0,
                confidence_ba: rnd(100) as f64 / 100.0,
                kind: "code".into(),
                service_a: units[a].service.clone(),
                service_b: units[b].service.clone(),
            }
        })
        .collect();
    let mut by_heat: Vec<usize> = (0..n_units).filter(|&i| units[i].commits > 0).collect();
    by_heat.sort_by_key(|&i| std::cmp::Reverse(units[i].commits * units[i].complexity));
    let hotspots: Vec<HotspotRow> = by_heat
        .iter()
        .take((n_units / 20).max(10))
        .enumerate()
        .map(|(r, &i)| HotspotRow {
            unit: units[i].id.clone(),
            commits: units[i].commits,
            complexity: units[i].complexity,
            score: 1.0 - r as f64 / n_units as f64,
            service: units[i].service.clone(),
        })
        .collect();
    // The plan: per planned service (the first five) a table it owns and
    // the next one also writes, two routes, one operation called from the
    // next service, and a transaction reaching into the next service.
    let member = |s: usize, k: usize| units[pick_in(s, k as u64)].id.clone();
    let planned = n_services.min(5);
    let mut entities = Vec::new();
    let mut endpoints = Vec::new();
    let mut transactions = Vec::new();
    let mut plan = Vec::new();
    let mut foreign_keys = Vec::new();
    for s in 0..planned {
        let me = format!("s{s}");
        let next = (s + 1) % n_services;
        let other = format!("s{next}");
        let table = evil(&format!("{}_items", svc_word(s)));
        let site = |unit: String, service: &str, access: &str, via: &str| DataSite {
            unit,
            service: Some(service.to_string()),
            symbol: evil("Repo.save"),
            line: 10,
            access: access.into(),
            via: via.into(),
            source: None,
        };
        entities.push(EntityRow {
            table: table.clone(),
            entity: Some(evil(&format!("{}Item", svc_word(s)))),
            unit: Some(member(s, 1)),
            service: Some(me.clone()),
            owner: Some(me.clone()),
            readers: vec![me.clone(), other.clone()],
            writers: vec![me.clone(), other.clone()],
            conflicts: vec![DataConflict {
                service: other.clone(),
                kind: "shared_write".into(),
            }],
            sites: vec![
                site(member(s, 1), &me, "write", "repository_call"),
                site(member(next, 2), &other, "write", "sql"),
            ],
            written_in_transaction: true,
            hints: vec!["strong_consistency".into()],
            schema: None,
        });
        let routes: Vec<EndpointRow> = ["GET", "POST"]
            .iter()
            .map(|m| EndpointRow {
                method: m.to_string(),
                path: evil(&format!("/api/{}/{{id}}", svc_word(s))),
                handler: evil("Controller.handle"),
                unit: member(s, 3),
                line: 20,
                service: Some(me.clone()),
            })
            .collect();
        endpoints.extend(routes.iter().cloned());
        let symbol = evil("Service.place");
        transactions.push(TransactionRow {
            unit: member(s, 4),
            symbol: symbol.clone(),
            line: 30,
            service: Some(me.clone()),
            services: vec![me.clone(), other.clone()],
            saga: true,
            paths: vec![vec![
                CallStep {
                    unit: member(s, 4),
                    symbol: symbol.clone(),
                    service: Some(me.clone()),
                },
                CallStep {
                    unit: member(next, 5),
                    symbol: evil("Other.charge"),
                    service: Some(other.clone()),
                },
            ]],
        });
        // A foreign key from this service's table to the next one's: data
        // coupling the cut breaks.
        let fk = ForeignKeyRow {
            table: table.clone(),
            columns: vec![evil("owner_id")],
            references: evil(&format!("{}_owners", svc_word(next))),
            ref_columns: vec![evil("id")],
            name: Some(evil(&format!("fk_{}", svc_word(s)))),
            source: evil("db/schema.sql:3"),
            table_owner: Some(me.clone()),
            references_owner: Some(other.clone()),
            crosses: true,
        };
        plan.push(PlanStep {
            service: me.clone(),
            step: s as u32 + 1,
            score: 1.0 - s as f64 / n_services as f64,
            routes,
            api: vec![Operation {
                symbol: evil("Service.find"),
                unit: member(s, 6),
                call_sites: (0..40)
                    .map(|k| CallSite {
                        unit: member(next, k),
                        symbol: evil("Caller.run"),
                        line: k as u32 + 1,
                        service: Some(other.clone()),
                    })
                    .collect(),
            }],
            data: vec![DataAction {
                table,
                action: "share".into(),
                owner: Some(me.clone()),
                others: vec![other.clone()],
            }],
            sagas: vec![format!("{}#{symbol}", member(s, 4))],
            dependents: vec![Dependent {
                unit: member(next, 7),
                service: Some(other.clone()),
                calls: 3,
            }],
            foreign_keys: vec![fk.clone()],
        });
        foreign_keys.push(fk);
    }
    endpoints.sort();
    foreign_keys.sort();
    let mut languages = BTreeMap::new();
    languages.insert("java".to_string(), n_units as u32);
    // The what-if inputs: a seam edge per dependent pair, a co-change
    // weight per listed pair, a symbol call per call dependency.
    let mut seam: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for (&(a, b, _), &count) in &deps {
        *seam.entry((a.min(b), a.max(b))).or_default() += count as f64 / 7.0;
    }
    let seam_edges: Vec<WeightedPair> = seam
        .iter()
        .map(|(&(a, b), &weight)| WeightedPair {
            a: units[a].id.clone(),
            b: units[b].id.clone(),
            weight,
        })
        .collect();
    let co_change_weights: Vec<WeightedPair> = cochange
        .iter()
        .map(|c| WeightedPair {
            a: c.a.clone(),
            b: c.b.clone(),
            weight: c.shared as f64 / 3.0,
        })
        .collect();
    let symbol_calls: Vec<SymbolCallRow> = deps
        .iter()
        .filter(|(&(_, _, k), _)| kinds[k] == "call")
        .map(|(&(a, b, _), &count)| SymbolCallRow {
            from: units[a].id.clone(),
            to: units[b].id.clone(),
            symbol: evil(&format!("Class{b}.op{}", count % 3)),
            count,
        })
        .collect();
    Report {
        seam_edges,
        co_change_weights,
        symbol_calls,
        transaction_reach: Vec::new(),
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "decompose".into(),
            version: "0.0.0-test".into(),
        },
        generated_at: Some("2024-07-01T00:00:00Z".into()),
        repo: Repo {
            root: evil("/work/acme-monolith"),
            head: Some(evil("0123456789abcdef0123456789abcdef01234567")),
        },
        settings: Settings {
            languages: vec!["java".into()],
            include_tests: false,
            excludes: vec![evil("generated/**")],
            history: true,
            since: None,
            max_commits: None,
            max_changeset: 30,
            seed: 1,
        },
        summary: Summary {
            units: n_units as u32,
            dependencies: dependencies.len() as u32,
            lines: units.iter().map(|u| u.lines as u64).sum(),
            commits_analyzed: 5000,
            services: n_services as u32,
            languages,
            test_units: n_tests as u32,
            skipped_files: 1,
            files_with_errors: 1,
            resolution: Resolution {
                type_refs_internal: 9000,
                type_refs_unresolved: 100,
                type_ref_rate: Some(0.989),
                calls_internal: 5000,
                calls_external: 3000,
                calls_unresolved: 200,
                call_rate: Some(0.976),
            },
        },
        history: Some(HistoryInfo {
            commits_analyzed: 5000,
            from: Some("2019-01-01T00:00:00Z".into()),
            to: Some("2024-06-30T00:00:00Z".into()),
            shallow: false,
            skipped_commits: 0,
            authors: 42,
        }),
        shared_kernel: (n_code..n_code + n_kernel)
            .map(|i| units[i].id.clone())
            .collect(),
        service_dependencies: service_deps
            .into_iter()
            .map(|((from, to), (count, calls))| ServiceDependencyRow {
                from,
                to,
                count,
                calls,
            })
            .collect(),
        units,
        dependencies,
        cochange,
        hotspots,
        metrics: Metrics {
            modularity: Some(0.61),
            sm: Some(0.42),
            icp: Some(0.18),
            ifn: Some(3.4),
            ned: Some(0.8),
            resolution: Some(1.0),
            kernel_back_references: Some(0),
        },
        entities,
        endpoints,
        transactions,
        plan,
        benefit_basis: "history".into(),
        foreign_keys,
        diagnostics: vec![DiagnosticRow {
            unit: evil("src/main/java/Broken.java"),
            line: Some(3),
            message: evil("syntax error near "),
        }],
        skipped: vec![SkippedRow {
            path: evil("big/Generated.java"),
            reason: evil("larger than 1 MB"),
        }],
        warnings: vec![evil("history is shallow ")],
        trend: (0..12)
            .map(|i| TrendRow {
                commit: evil(&format!("{i:040x}")),
                time: 1_704_067_200 + i * 86_400 * 7,
                units: 900 + i as u32 * 10,
                assigned_units: 850 + i as u32 * 10,
                lines: 90_000 + i as u64 * 1_000,
                dependencies: 4_000 + i as u32 * 50,
                cross_seam_dependencies: 300 + (i as u32 % 4) * 7,
                cross_seam_references: 900 + (i as u32 % 4) * 20,
                modularity: 0.5 + i as f64 / 100.0,
                icp: 0.2 - i as f64 / 200.0,
            })
            .collect(),
        services,
    }
}

/// Copies a folder tree (files and folders only).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The report as it was before clustering: no services, no shared kernel,
/// no plan, no partition metrics.
pub fn without_services(mut report: decompose::report::Report) -> decompose::report::Report {
    report.services.clear();
    report.service_dependencies.clear();
    report.shared_kernel.clear();
    report.plan.clear();
    report.entities.clear();
    report.endpoints.clear();
    report.transactions.clear();
    report.metrics = Default::default();
    report.summary.services = 0;
    for u in &mut report.units {
        u.service = None;
        u.confidence = None;
    }
    for c in &mut report.cochange {
        c.service_a = None;
        c.service_b = None;
    }
    for h in &mut report.hotspots {
        h.service = None;
    }
    report
}
