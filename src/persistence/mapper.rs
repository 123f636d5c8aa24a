//! Statement mapper files: a root naming a type (`namespace`), whose
//! `select` / `insert` / `update` / `delete` elements are that type's
//! methods (the element `id`) with their SQL, result class (`resultType`,
//! or the type of the named `resultMap`) and parameter class
//! (`parameterType`).
//!
//! Dynamic SQL is flattened to one representative statement: `<include
//! refid>` is replaced by its `<sql>` fragment (same file, or qualified by
//! another namespace in this file's set), `<where>` / `<set>` / `<trim>`
//! apply their prefixes and overrides, `<foreach>` its `open`/`close`,
//! `<if>` / `<when>` / `<otherwise>` contribute their body (a `<choose>` its
//! first branch only, so that alternatives do not pile up), `<bind>` and
//! `<selectKey>` nothing.

use std::collections::BTreeMap;

use super::tree::Node;
use super::{sql, FileData, Statement};

/// Includes nest at most this deep (a fragment including itself stops).
const MAX_INCLUDE_DEPTH: u32 = 8;

struct Ctx<'a> {
    namespace: &'a str,
    fragments: BTreeMap<String, &'a Node>,
}

impl Ctx<'_> {
    fn fragment(&self, refid: &str) -> Option<&Node> {
        self.fragments
            .get(refid)
            .or_else(|| self.fragments.get(&format!("{}.{refid}", self.namespace)))
            .copied()
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefixes: &str) -> &'a str {
    let t = s.trim_start();
    for p in prefixes.split('|') {
        let p = p.trim();
        if !p.is_empty() && t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)) {
            let rest = &t[p.len()..];
            // A whole word only: `ORDER` is no `OR`.
            if rest.starts_with(|c: char| c.is_whitespace() || c == '(') || rest.is_empty() {
                return rest;
            }
        }
    }
    t
}

fn strip_suffix_ci<'a>(s: &'a str, suffixes: &str) -> &'a str {
    let t = s.trim_end();
    for p in suffixes.split('|') {
        let p = p.trim();
        if !p.is_empty() && t.len() >= p.len() {
            let at = t.len() - p.len();
            if t.is_char_boundary(at) && t[at..].eq_ignore_ascii_case(p) {
                return &t[..at];
            }
        }
    }
    t
}

fn wrap(prefix: &str, body: &str, suffix: &str) -> String {
    if body.trim().is_empty() {
        String::new()
    } else {
        format!(" {prefix} {body} {suffix} ")
    }
}

fn flatten(cx: &Ctx, n: &Node, depth: u32) -> String {
    let inner = |cx: &Ctx, n: &Node| -> String {
        n.children.iter().map(|c| flatten(cx, c, depth)).collect()
    };
    match n.name.as_str() {
        "#text" => n.text.clone(),
        "include" => match (n.attr("refid"), depth < MAX_INCLUDE_DEPTH) {
            (Some(r), true) => match cx.fragment(r) {
                Some(f) => format!(
                    " {} ",
                    f.children
                        .iter()
                        .map(|c| flatten(cx, c, depth + 1))
                        .collect::<String>()
                ),
                None => String::new(),
            },
            _ => String::new(),
        },
        "where" => {
            let body = inner(cx, n);
            wrap("WHERE", strip_prefix_ci(&body, "AND|OR"), "")
        }
        "set" => {
            let body = inner(cx, n);
            wrap("SET", strip_suffix_ci(&body, ","), "")
        }
        "trim" => {
            let body = inner(cx, n);
            let body = strip_prefix_ci(&body, n.attr("prefixOverrides").unwrap_or(""));
            let body = strip_suffix_ci(body, n.attr("suffixOverrides").unwrap_or(""));
            wrap(
                n.attr("prefix").unwrap_or(""),
                body,
                n.attr("suffix").unwrap_or(""),
            )
        }
        "foreach" => wrap(
            n.attr("open").unwrap_or(""),
            &inner(cx, n),
            n.attr("close").unwrap_or(""),
        ),
        "choose" => n
            .children
            .iter()
            .find(|c| c.name == "when" || c.name == "otherwise")
            .map(|c| format!(" {} ", inner(cx, c)))
            .unwrap_or_default(),
        "bind" | "selectKey" => String::new(),
        _ => format!(" {} ", inner(cx, n)),
    }
}

pub fn read(root: &Node, out: &mut FileData) {
    let namespace = root.attr("namespace").unwrap_or("").trim();
    let mut fragments = BTreeMap::new();
    let mut result_maps: BTreeMap<&str, &str> = BTreeMap::new();
    for c in &root.children {
        match (c.name.as_str(), c.attr("id")) {
            ("sql", Some(id)) => {
                fragments.insert(id.to_string(), c);
                fragments.insert(format!("{namespace}.{id}"), c);
            }
            ("resultMap", Some(id)) => {
                if let Some(t) = c.attr("type") {
                    result_maps.insert(id, t);
                }
            }
            _ => {}
        }
    }
    let cx = Ctx {
        namespace,
        fragments,
    };
    for c in &root.children {
        if !matches!(c.name.as_str(), "select" | "insert" | "update" | "delete") {
            continue;
        }
        let Some(id) = c.attr("id") else { continue };
        let text = flatten(&cx, c, 0);
        let found = sql::tables(&text);
        let result_class = c
            .attr("resultType")
            .or_else(|| {
                c.attr("resultMap").and_then(|m| {
                    let m = m.rsplit('.').next().unwrap_or(m);
                    result_maps.get(m).copied()
                })
            })
            .map(str::to_string);
        out.statements.push(Statement {
            namespace: namespace.to_string(),
            id: id.to_string(),
            tables: found.tables,
            result_class,
            param_class: c.attr("parameterType").map(str::to_string),
            line: c.line,
            fallback: found.fallback,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynamic_sql_is_flattened_and_read() {
        let text = r#"<mapper namespace="shop.OrderMapper">
  <resultMap id="orderMap" type="shop.Order"/>
  <sql id="cols">id, customer_id</sql>
  <select id="search" resultMap="orderMap">
    SELECT <include refid="cols"/> FROM orders o
    <where>
      <if test="c != null">AND o.customer_id = #{c}</if>
      <choose><when test="x">AND o.id IN
        <foreach collection="ids" item="i" open="(" separator="," close=")">#{i}</foreach></when>
        <otherwise>AND 1 = 1</otherwise></choose>
    </where>
  </select>
  <update id="touch" parameterType="shop.Order">
    UPDATE orders <set><if test="a">a = #{a},</if></set> WHERE id = #{id}
  </update>
  <insert id="addLine">INSERT INTO order_lines (order_id) SELECT id FROM orders WHERE x = ${y}</insert>
</mapper>"#;
        let root = super::super::tree::xml(text).unwrap();
        let mut out = FileData::default();
        read(&root, &mut out);
        let got: Vec<String> = out
            .statements
            .iter()
            .map(|s| {
                format!(
                    "{} {:?} {:?} {:?} {} {}",
                    s.id, s.tables, s.result_class, s.param_class, s.line, s.fallback
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                r#"search [("orders", false)] Some("shop.Order") None 4 false"#,
                r#"touch [("orders", true)] None Some("shop.Order") 13 false"#,
                r#"addLine [("order_lines", true), ("orders", false)] None None 16 false"#,
            ]
        );
    }
}
