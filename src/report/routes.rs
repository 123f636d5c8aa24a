//! The gateway routing table as an nginx `location` set and as YAML.
//!
//! Both read `report.endpoints` as is; paths from the analysed code are
//! escaped for their target syntax.

use super::{EndpointRow, Report};

/// Upstream name of a route's target: the service, or `monolith`.
fn upstream(e: &EndpointRow) -> String {
    let name = e.service.as_deref().unwrap_or("monolith");
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A path pattern as an anchored nginx regex: `{var}` matches one segment.
fn nginx_regex(path: &str) -> String {
    let mut out = String::from("^");
    let mut in_var = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_var = true;
                out.push_str("[^/]+");
            }
            '}' => in_var = false,
            _ if in_var => {}
            c if c.is_ascii_alphanumeric() || c == '/' || c == '-' || c == '_' => out.push(c),
            c if c.is_ascii() && !c.is_ascii_control() && c != '"' && c != ' ' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push('.'),
        }
    }
    out.push('$');
    out
}

/// nginx `location` blocks, one per path pattern; methods and handlers in
/// a comment. Routes of one pattern that go to different services are
/// split by `$request_method`.
pub fn render_nginx(report: &Report) -> Vec<u8> {
    let mut out = String::from("# decompose gateway routes (generated)\n");
    let mut i = 0;
    let eps = &report.endpoints;
    while i < eps.len() {
        let mut j = i;
        while j + 1 < eps.len() && eps[j + 1].path == eps[i].path {
            j += 1;
        }
        let group = &eps[i..=j];
        out.push_str(&format!(
            "location ~ \"{}\" {{\n",
            nginx_regex(&group[0].path)
        ));
        for e in group {
            out.push_str(&format!(
                "    # {} -> {}\n",
                e.method,
                sanitize_comment(&e.handler)
            ));
        }
        let first = upstream(&group[0]);
        if group.iter().all(|e| upstream(e) == first) {
            out.push_str(&format!("    proxy_pass http://{first};\n"));
        } else {
            for e in group {
                if e.method != "ANY" {
                    out.push_str(&format!(
                        "    if ($request_method = {}) {{ proxy_pass http://{}; }}\n",
                        e.method,
                        upstream(e)
                    ));
                }
            }
            out.push_str("    proxy_pass http://monolith;\n");
        }
        out.push_str("}\n");
        i = j + 1;
    }
    out.into_bytes()
}

fn sanitize_comment(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// YAML string: a JSON string literal is valid YAML.
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

/// Plain YAML: `routes: [{method, path, handler, unit, service}]`.
pub fn render_yaml(report: &Report) -> Vec<u8> {
    let mut out = String::from("routes:\n");
    if report.endpoints.is_empty() {
        out = String::from("routes: []\n");
    }
    for e in &report.endpoints {
        out.push_str(&format!("  - method: {}\n", q(&e.method)));
        out.push_str(&format!("    path: {}\n", q(&e.path)));
        out.push_str(&format!("    handler: {}\n", q(&e.handler)));
        out.push_str(&format!("    unit: {}\n", q(&e.unit)));
        match &e.service {
            Some(s) => out.push_str(&format!("    service: {}\n", q(s))),
            None => out.push_str("    service: null\n"),
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    #[test]
    fn path_patterns_become_regexes() {
        assert_eq!(
            super::nginx_regex("/api/orders/{id}"),
            "^/api/orders/[^/]+$"
        );
        assert_eq!(super::nginx_regex("/a.b/{x}/c"), "^/a\\.b/[^/]+/c$");
    }
}
