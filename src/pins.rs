//! The architect's seams for `analyze`: pins and keep-apart constraints as
//! declared (`decompose.toml` `[[seam]]` and `keep_apart`, `--pin NAME=GLOB`),
//! merged by name in one place, then matched to units as the
//! [`seams::Pins`](crate::seams::Pins) the clustering honours.
//!
//! Matching follows `check` (docs/ci.md): path globs where `*` stays in a
//! folder and `**` crosses folders, and the first seam in declaration order
//! (the file's seams, then `--pin`s) that matches a unit takes it. What
//! cannot be honoured as written is a warning that names where it was
//! declared (`decompose.toml:12`, `--pin`): a seam that matches no unit, a
//! unit that two seams claim.

use crate::discover;
use crate::resolve::ParsedFile;
use crate::seams::{PinGroup, Pins};

/// One pinned seam as declared: a name and path globs (docs/ci.md).
#[derive(Debug, Clone, PartialEq)]
pub struct PinSpec {
    pub name: String,
    pub paths: Vec<String>,
    /// Pins into the shared kernel.
    pub kernel: bool,
    /// Where it was declared, for warnings (`decompose.toml:12`, `--pin`).
    pub source: String,
}

/// One `keep_apart` entry: seam names or path globs whose units must land
/// in different services.
#[derive(Debug, Clone, PartialEq)]
pub struct KeepApart {
    pub sides: Vec<String>,
    /// Where it was declared, for warnings (`decompose.toml:3`).
    pub source: String,
}

/// `--pin NAME=GLOB`, or `None` when it is not of that form (an empty side,
/// or a glob that does not compile).
pub fn parse_flag(flag: &str) -> Option<PinSpec> {
    let (name, glob) = flag.split_once('=')?;
    let (name, glob) = (name.trim(), glob.trim());
    if name.is_empty() || glob.is_empty() || discover::path_glob(glob).is_err() {
        return None;
    }
    Some(PinSpec {
        name: name.to_string(),
        paths: vec![glob.to_string()],
        kernel: false,
        source: "--pin".to_string(),
    })
}

/// Adds `pin` to `pins`: its globs join a seam of the same name declared
/// before (the file's, or an earlier `--pin`), else it is a seam of its own
/// after the others. A repeated glob is kept once.
pub fn merge(pins: &mut Vec<PinSpec>, pin: PinSpec) {
    match pins.iter_mut().find(|s| s.name == pin.name) {
        Some(s) => {
            for p in pin.paths {
                if !s.paths.contains(&p) {
                    s.paths.push(p);
                }
            }
        }
        None => pins.push(pin),
    }
}

/// The declared seams matched to units. A unit goes to the first seam whose
/// globs match it; only units the clustering places count (production code,
/// and test code with `include_tests`). Every side of a `keep_apart` entry
/// that is not a seam name is a glob, pinned as a group of its own named
/// after the glob, so the sides cannot share a service (distinct pinned
/// groups never merge). Warnings: a seam or glob that matches no unit, a
/// unit claimed by two or more seams (named at the later seam's source).
pub fn pin_groups(
    pins: &[PinSpec],
    keep_apart: &[KeepApart],
    files: &[ParsedFile],
    include_tests: bool,
    warnings: &mut Vec<String>,
) -> Pins {
    let mut specs = pins.to_vec();
    for k in keep_apart {
        for side in &k.sides {
            if !specs.iter().any(|s| &s.name == side) {
                specs.push(PinSpec {
                    name: side.clone(),
                    paths: vec![side.clone()],
                    kernel: false,
                    source: format!("{} (keep_apart)", k.source),
                });
            }
        }
    }
    let matchers: Vec<globset::GlobSet> = specs
        .iter()
        .map(|s| {
            let mut b = globset::GlobSetBuilder::new();
            for p in &s.paths {
                if let Ok(g) = discover::path_glob(p) {
                    b.add(g);
                }
            }
            b.build().unwrap_or_else(|_| globset::GlobSet::empty())
        })
        .collect();
    let mut groups: Vec<PinGroup> = specs
        .iter()
        .map(|s| PinGroup {
            name: s.name.clone(),
            kernel: s.kernel,
            units: Vec::new(),
        })
        .collect();
    // What each declaration is called in warnings.
    let label = |i: usize| {
        if i < pins.len() {
            format!("seam {:?}", specs[i].name)
        } else {
            format!("keep_apart glob {:?}", specs[i].name)
        }
    };
    let mut tests_only = vec![false; specs.len()];
    let mut matched = vec![false; specs.len()];
    for (u, f) in files.iter().enumerate() {
        let hits: Vec<usize> = (0..specs.len())
            .filter(|&i| matchers[i].is_match(&f.id))
            .collect();
        if f.test && !include_tests {
            for &i in &hits {
                tests_only[i] = true;
            }
            continue;
        }
        let Some(&first) = hits.first() else {
            continue;
        };
        groups[first].units.push(u as u32);
        for &i in &hits {
            matched[i] = true;
        }
        if hits.len() > 1 {
            warnings.push(format!(
                "{}: {} matches {}; the first, {}, takes it",
                specs[hits[1]].source,
                f.id,
                hits.iter()
                    .map(|&i| label(i))
                    .collect::<Vec<_>>()
                    .join(", "),
                label(first)
            ));
        }
    }
    for (i, s) in specs.iter().enumerate() {
        if !groups[i].units.is_empty() {
            continue;
        }
        warnings.push(if matched[i] {
            format!(
                "{}: every unit {} matches is taken by an earlier seam",
                s.source,
                label(i)
            )
        } else if tests_only[i] {
            format!(
                "{}: {} matches only test code, which is not clustered without --include-tests",
                s.source,
                label(i)
            )
        } else {
            format!("{}: {} matches no unit", s.source, label(i))
        });
    }
    Pins {
        groups: groups.into_iter().filter(|g| !g.units.is_empty()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_flag_is_name_equals_glob() {
        assert_eq!(
            parse_flag(" billing = src/billing/** "),
            Some(PinSpec {
                name: "billing".into(),
                paths: vec!["src/billing/**".into()],
                kernel: false,
                source: "--pin".into(),
            })
        );
        for bad in ["billing", "=src/**", "billing=", "billing=src/[x"] {
            assert_eq!(parse_flag(bad), None, "{bad}");
        }
    }

    #[test]
    fn same_name_pins_merge_and_others_follow_in_order() {
        let mut pins = Vec::new();
        for f in ["b=src/b/**", "a=src/a/**", "b=src/x/**", "b=src/b/**"] {
            merge(&mut pins, parse_flag(f).unwrap());
        }
        let got: Vec<(&str, Vec<&str>)> = pins
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.paths.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![("b", vec!["src/b/**", "src/x/**"]), ("a", vec!["src/a/**"])]
        );
    }
}
