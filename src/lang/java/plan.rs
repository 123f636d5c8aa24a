//! Java's framework facts: annotations and supertypes turned into the
//! neutral plan rows by consulting the framework table
//! ([`crate::frameworks`]). Per file ([`file_facts`], run by the frontend):
//! table-mapped entities, repositories and transaction scopes. Across files
//! ([`routes`], run after parsing): inbound routes, whose paths may be
//! built from string constants declared in other files
//! ([`super::constants`]).

use crate::frameworks::{self, Fact, Method, Naming, Syntax};
use crate::lang::plan_facts::{
    join_path, RepositoryDecl, TableAccess, TableDecl, TxScope, UnitRoute,
};
use crate::lang::ParsedFile;
use crate::lang::{Annotation, FileFacts, FunctionKind, Language, StringLit};

use super::constants::ConstIndex;

fn rows_of<'a>(
    syntax: Syntax,
    name: &'a str,
) -> impl Iterator<Item = &'static frameworks::Row> + 'a {
    frameworks::rows(Language::Java, syntax, name)
}

fn fact_of<T>(a: &Annotation, pick: impl Fn(&'static frameworks::Row) -> Option<T>) -> Option<T> {
    frameworks::find(Language::Java, Syntax::Annotation, a.simple_name(), pick)
}

fn arg<'a>(a: &'a Annotation, keys: &[&str]) -> Option<&'a str> {
    a.args
        .iter()
        .find(|(k, _)| keys.contains(&k.as_str()))
        .map(|(_, v)| v.as_str())
}

/// Adds the file's tables, repositories and transaction scopes.
pub fn file_facts(facts: &mut FileFacts) {
    for (ti, t) in facts.types.iter().enumerate() {
        let table = t.annotations.iter().find_map(|a| {
            fact_of(a, |r| match r.fact {
                Fact::Table {
                    naming,
                    queries_name_type,
                } => Some((r.framework, naming, queries_name_type)),
                _ => None,
            })
        });
        if let Some((framework, naming, queries_name_type)) = table {
            let named = t.annotations.iter().find_map(|a| {
                fact_of(a, |r| match r.fact {
                    Fact::TableName { args } => Some(args),
                    _ => None,
                })
                .map(|args| arg(a, args))
            });
            let table = match named.flatten() {
                Some(n) => n.to_ascii_lowercase(),
                None => match naming {
                    Naming::SnakeCase => frameworks::snake_case(&t.name),
                    Naming::AppLabelLower | Naming::Given => t.name.to_ascii_lowercase(),
                },
            };
            facts.tables.push(TableDecl {
                table,
                type_index: Some(ti as u32),
                line: t.lines.0,
                queries_name_type,
                reads: frameworks::prefixes(Language::Java, framework, |f| match f {
                    Fact::ReadMethods { prefixes } => Some(*prefixes),
                    _ => None,
                }),
            });
        }
        for (_, st) in &t.supertypes {
            let simple = st.name.rsplit('.').next().unwrap_or(&st.name);
            let Some((framework, entity_arg)) =
                rows_of(Syntax::BaseType, simple).find_map(|r| match r.fact {
                    Fact::Repository { entity_arg } => Some((r.framework, entity_arg)),
                    _ => None,
                })
            else {
                continue;
            };
            let Some(entity) = st.args.get(entity_arg) else {
                continue;
            };
            facts.repositories.push(RepositoryDecl {
                type_index: ti as u32,
                entity: entity
                    .name
                    .rsplit('.')
                    .next()
                    .unwrap_or(&entity.name)
                    .to_string(),
                writes: frameworks::prefixes(Language::Java, framework, |f| match f {
                    Fact::WriteMethods { prefixes } => Some(*prefixes),
                    _ => None,
                })
                .unwrap_or(&[]),
                line: t.lines.0,
            });
        }
    }
    generated_and_statements(facts);
    let opens = |anns: &[Annotation]| {
        anns.iter()
            .any(|a| fact_of(a, |r| (r.fact == Fact::Transaction).then_some(())).is_some())
    };
    for (fi, func) in facts.functions.iter().enumerate() {
        if func.kind != FunctionKind::Method {
            continue;
        }
        // A transactional type makes every method inside it (nested types
        // too) a scope.
        let in_scope_type = func.owner.is_some_and(|o| {
            let mut t = Some(o);
            while let Some(i) = t {
                if opens(&facts.types[i as usize].annotations) {
                    return true;
                }
                t = facts.types[i as usize].parent;
            }
            false
        });
        if opens(&func.annotations) || in_scope_type {
            facts.tx_scopes.push(TxScope {
                function: fi as u32,
                line: func.lines.0,
            });
        }
    }
}

/// Generator output (a `Generated` annotation or base type row), the SQL
/// statements of statement annotations (MyBatis `@Select`…, `@Query`) and
/// the derived queries declared on repositories.
fn generated_and_statements(facts: &mut FileFacts) {
    let is_generated = |r: &'static frameworks::Row| (r.fact == Fact::Generated).then_some(());
    let generated = facts.types.iter().any(|t| {
        t.annotations
            .iter()
            .any(|a| fact_of(a, is_generated).is_some())
            || t.supertypes.iter().any(|(_, st)| {
                let simple = st.name.rsplit('.').next().unwrap_or(&st.name);
                frameworks::find(Language::Java, Syntax::BaseType, simple, is_generated).is_some()
            })
    });
    facts.generated |= generated;
    let mut statements = Vec::new();
    for (fi, func) in facts.functions.iter().enumerate() {
        for a in &func.annotations {
            if fact_of(a, |r| (r.fact == Fact::Statement).then_some(())).is_none() {
                continue;
            }
            let Some(value) = arg(a, &["value"]) else {
                continue;
            };
            statements.push(StringLit {
                text: statement_text(value),
                line: a.line,
                function: Some(fi as u32),
            });
        }
    }
    // The statement replaces the literals it is made of, which the
    // literal scan may have kept already.
    facts.sql.retain(|lit| {
        !statements
            .iter()
            .any(|s| s.function == lit.function && s.text.contains(lit.text.trim()))
    });
    facts.sql.extend(statements);
    let repositories: Vec<(u32, String)> = facts
        .repositories
        .iter()
        .map(|r| (r.type_index, r.entity.clone()))
        .collect();
    for (fi, func) in facts.functions.iter().enumerate() {
        let Some(owner) = func.owner else { continue };
        let Some((_, entity)) = repositories.iter().find(|(t, _)| *t == owner) else {
            continue;
        };
        if func.kind != FunctionKind::Method {
            continue;
        }
        if let Some(write) = frameworks::derived_query_access(Language::Java, &func.name) {
            facts.table_accesses.push(TableAccess {
                target: entity.clone(),
                of_entity: true,
                write,
                function: Some(fi as u32),
                line: func.lines.0,
                via: "derived_query".into(),
            });
        }
    }
}

/// A statement annotation's value as one SQL text: array elements (joined
/// with `,` by the frontend) and XML tags of dynamic SQL (`<script>`,
/// `<if test="...">`, `<where>`) become spaces.
pub fn statement_text(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let mut out = String::with_capacity(value.len());
    let mut in_tag = false;
    for (i, &c) in chars.iter().enumerate() {
        // A tag opens with a letter or `/` right after `<`; `a < b` in a
        // condition keeps its operator.
        let opens = c == '<'
            && chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/' || *n == '!');
        if !in_tag && opens {
            in_tag = true;
            out.push(' ');
        } else if in_tag {
            if c == '>' {
                in_tag = false;
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Path values of a mapping annotation: one value, or an array of values
/// (the frontend joins array elements with `,`). Elements written as
/// expressions of constants (`"/" + SECTION_KEY`) are evaluated from type
/// `ty` of file `file`; what cannot be evaluated stays as written.
fn paths(a: &Annotation, keys: &[&str], consts: &ConstIndex, file: u32, ty: u32) -> Vec<String> {
    let Some(v) = arg(a, keys) else {
        return vec![String::new()];
    };
    let out: Vec<String> = split_outside_quotes(v.trim())
        .into_iter()
        .map(|p| {
            let p = p.trim();
            let is_name = !p.is_empty()
                && !p.contains('/')
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.'))
                && p.chars().any(|c| c.is_ascii_uppercase());
            if p.contains('"') || p.contains('+') || is_name {
                consts
                    .eval(file, ty, p)
                    .unwrap_or_else(|| p.trim_matches('"').to_string())
            } else {
                p.to_string()
            }
        })
        .filter(|p| !p.is_empty())
        .collect();
    if out.is_empty() {
        vec![String::new()]
    } else {
        out
    }
}

/// Splits on commas that are not inside a string literal.
pub fn split_outside_quotes(v: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in v.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(&v[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&v[start..]);
    out
}

/// `{RequestMethod.GET, RequestMethod.POST}` → `GET,POST`.
fn methods_in(value: &str) -> String {
    value
        .trim_matches(|c| c == '{' || c == '}')
        .split(',')
        .map(|x| x.trim().rsplit('.').next().unwrap_or("").to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Inbound routes of every Java production file: route annotations on
/// methods under the prefix of the class's prefix annotation, methods from
/// the annotation itself, its `method` argument or a verb annotation.
pub fn routes(files: &[ParsedFile]) -> Vec<UnitRoute> {
    let consts = ConstIndex::new(files);
    let mut out = Vec::new();
    for (u, file) in files.iter().enumerate() {
        if file.test || file.language != Language::Java {
            continue;
        }
        let facts = &file.facts;
        for (fi, func) in facts.functions.iter().enumerate() {
            let Some(owner) = func.owner else { continue };
            if func.kind != FunctionKind::Method {
                continue;
            }
            let ty = &facts.types[owner as usize];
            let prefix = ty.annotations.iter().find_map(|a| {
                fact_of(a, |r| match r.fact {
                    Fact::RoutePrefix { path_args } => Some((a, path_args)),
                    _ => None,
                })
            });
            let prefixes: Vec<String> = match prefix {
                Some((a, keys)) => paths(a, keys, &consts, u as u32, owner),
                None => vec![String::new()],
            };
            // The verb annotation on the method, and its framework.
            let verb = func.annotations.iter().find_map(|a| {
                fact_of(a, |r| match r.fact {
                    Fact::RouteVerb { method } => Some((method, r.framework)),
                    _ => None,
                })
            });
            let mut found: Vec<(String, String)> = Vec::new();
            for a in &func.annotations {
                let route = fact_of(a, |r| match r.fact {
                    Fact::Route { method, path_args } => Some((method, path_args)),
                    _ => None,
                });
                let Some((method, keys)) = route else {
                    continue;
                };
                let method = match method {
                    Method::Fixed(m) => m.to_string(),
                    Method::FromArg { arg: key, default } => arg(a, &[key])
                        .map(methods_in)
                        .filter(|m| !m.is_empty())
                        .unwrap_or_else(|| default.to_string()),
                    Method::FromVerb => match verb {
                        Some((m, _)) => m.to_string(),
                        None => continue,
                    },
                };
                for sub in paths(a, keys, &consts, u as u32, owner) {
                    found.push((method.clone(), sub));
                }
            }
            // A verb alone on a method of a class whose prefix comes from
            // the verb's framework: the route is the prefix itself.
            if found.is_empty() {
                if let Some((m, fw)) = verb {
                    let prefixed = ty.annotations.iter().any(|a| {
                        rows_of(Syntax::Annotation, a.simple_name()).any(|r| {
                            r.framework == fw && matches!(r.fact, Fact::RoutePrefix { .. })
                        })
                    });
                    if prefixed {
                        found.push((m.to_string(), String::new()));
                    }
                }
            }
            for (methods, sub) in found {
                for method in methods.split(',') {
                    for prefix in &prefixes {
                        out.push(UnitRoute {
                            method: method.to_string(),
                            path: join_path(prefix, &sub),
                            unit: u as u32,
                            handler: facts.symbol(fi),
                            line: func.lines.0,
                        });
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_text_drops_dynamic_sql_tags() {
        assert_eq!(
            statement_text(
                "<script>SELECT * FROM users,<where><if test=\"a\">id < 3</if></where></script>"
            ),
            "SELECT * FROM users, id < 3"
        );
        assert_eq!(statement_text("UPDATE t SET a = 1"), "UPDATE t SET a = 1");
    }

    #[test]
    fn reads_methods_of_a_mapping() {
        assert_eq!(
            methods_in("{RequestMethod.GET, RequestMethod.POST}"),
            "GET,POST"
        );
        assert_eq!(methods_in("RequestMethod.PUT"), "PUT");
        assert_eq!(
            split_outside_quotes("\"/a,b\", \"/c\""),
            vec!["\"/a,b\"", " \"/c\""]
        );
    }
}
