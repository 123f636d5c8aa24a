//! The framework knowledge of the TypeScript/JavaScript frontend, read
//! through the framework table (`crate::frameworks`): decorator routes and
//! controller prefixes (NestJS), router objects, route calls and mounts
//! (Express, Koa, Fastify), tables (TypeORM `@Entity`, Sequelize `define` /
//! `init`), repository-typed fields and the accesses through them,
//! transaction calls and decorators. No framework is named here: every
//! name comes from a row.

use tree_sitter::Node;

use super::{
    first_arg, is_require, line, require_specifier, Extractor, Mount, MountTarget, Router,
};
use crate::frameworks::{self, Fact, Method, Naming, Syntax};
use crate::lang::plan_facts::{
    join_path, RepositoryDecl, RouteDecl, TableAccess, TableDecl, TxScope,
};
use crate::lang::{Expr, TypeDecl, TypeKind, TypeRef};

impl<'a> Extractor<'a> {
    /// Tables, route prefixes and repositories the framework table states
    /// about a type's decorators and supertypes.
    pub(super) fn type_facts(&mut self, t: u32) {
        let ty = self.facts.types[t as usize].clone();
        let l = self.language;
        let mut table: Option<(Naming, bool)> = None;
        let mut name: Option<String> = None;
        for a in &ty.annotations {
            for row in frameworks::rows(
                l,
                Syntax::Decorator,
                a.name.rsplit('.').next().unwrap_or(&a.name),
            ) {
                match row.fact {
                    Fact::Table {
                        naming,
                        queries_name_type,
                    } => table = Some((naming, queries_name_type)),
                    Fact::TableName { args } => {
                        if let Some(v) = first_arg(a, args) {
                            name = Some(v.to_string());
                        }
                    }
                    _ => {}
                }
            }
        }
        for (_, s) in &ty.supertypes {
            let simple = s.name.rsplit('.').next().unwrap_or(&s.name);
            for row in frameworks::rows(l, Syntax::BaseType, simple) {
                match row.fact {
                    Fact::Repository { entity_arg } => {
                        if let Some(e) = s.args.get(entity_arg) {
                            let writes = frameworks::prefixes(l, row.framework, |f| match f {
                                Fact::WriteMethods { prefixes } => Some(*prefixes),
                                _ => None,
                            })
                            .unwrap_or(&[]);
                            self.facts.repositories.push(RepositoryDecl {
                                type_index: t,
                                entity: e.name.rsplit('.').next().unwrap_or(&e.name).to_string(),
                                writes,
                                line: ty.lines.0,
                            });
                        }
                    }
                    Fact::Table {
                        naming,
                        queries_name_type,
                    } => table = Some((naming, queries_name_type)),
                    _ => {}
                }
            }
        }
        if let Some((naming, queries_name_type)) = table {
            let table = name.unwrap_or_else(|| match naming {
                Naming::SnakeCase => frameworks::snake_case(&ty.name),
                _ => ty.name.to_ascii_lowercase(),
            });
            // Calls on an entity object are in-memory: TypeORM reads and
            // writes go through repositories and managers.
            self.facts.tables.push(TableDecl {
                table: table.to_ascii_lowercase(),
                type_index: Some(t),
                line: ty.lines.0,
                queries_name_type,
                reads: None,
            });
        }
    }

    /// Routes and transaction scopes the framework table states about a
    /// function's decorators.
    pub(super) fn function_facts(&mut self, f: u32) {
        let func = self.facts.functions[f as usize].clone();
        let l = self.language;
        for a in &func.annotations {
            let simple = a.name.rsplit('.').next().unwrap_or(&a.name);
            for row in frameworks::rows(l, Syntax::Decorator, simple) {
                match row.fact {
                    Fact::Route { method, path_args } => {
                        let method = match method {
                            Method::Fixed(m) => m.to_string(),
                            Method::FromArg { default, .. } => default.to_string(),
                            Method::FromVerb => continue,
                        };
                        let prefix = self.class_prefix(func.owner);
                        let sub = first_arg(a, path_args).unwrap_or("");
                        self.facts.routes.push(RouteDecl {
                            method,
                            path: join_path(&prefix, sub),
                            function: Some(f),
                            handler: None,
                            include: None,
                            line: a.line,
                        });
                        self.ts.route_routers.push(String::new());
                    }
                    Fact::Transaction => self.facts.tx_scopes.push(TxScope {
                        function: f,
                        line: a.line,
                    }),
                    _ => {}
                }
            }
        }
    }

    pub(super) fn class_prefix(&self, owner: Option<u32>) -> String {
        let Some(t) = owner else {
            return String::new();
        };
        for a in &self.facts.types[t as usize].annotations {
            let simple = a.name.rsplit('.').next().unwrap_or(&a.name);
            for row in frameworks::rows(self.language, Syntax::Decorator, simple) {
                if let Fact::RoutePrefix { path_args } = row.fact {
                    return first_arg(a, path_args).unwrap_or("").to_string();
                }
            }
        }
        String::new()
    }

    /// `const Customer = sequelize.define('customers', …)`: the variable
    /// is a model class at run time, declared here as a type so that calls
    /// on it (`Customer.findByPk`) resolve to this file and read or write
    /// its table.
    pub(super) fn model_variable(&mut self, name: &str, declarator: Node, value: Node) {
        if value.kind() != "call_expression" {
            return;
        }
        let Some(callee) = value.child_by_field_name("function") else {
            return;
        };
        let text = self.text(callee);
        let last = text.rsplit('.').next().unwrap_or(text);
        let is_model = frameworks::rows(self.language, Syntax::Call, last)
            .any(|r| matches!(r.fact, Fact::TableName { .. }));
        if !is_model || self.facts.types.iter().any(|t| t.name == name) {
            return;
        }
        let t = self.facts.types.len() as u32;
        self.facts.types.push(TypeDecl {
            name: name.to_string(),
            path: name.to_string(),
            kind: TypeKind::Class,
            parent: None,
            lines: (line(declarator), declarator.end_position().row as u32 + 1),
            supertypes: Vec::new(),
            fields: Vec::new(),
            annotations: Vec::new(),
            type_params: Vec::new(),
        });
        self.model_calls.push((value.start_byte(), t));
    }

    /// `const app = express()`, `const router = express.Router()`,
    /// `const r = new Router({ prefix: '/x' })`: a router object, by a
    /// [`Fact::RoutePrefix`] call row.
    pub(super) fn router_variable(&mut self, name: &str, value: Node) {
        let (callee, args) = match value.kind() {
            "call_expression" => (
                value.child_by_field_name("function"),
                value.child_by_field_name("arguments"),
            ),
            "new_expression" => (
                value.child_by_field_name("constructor"),
                value.child_by_field_name("arguments"),
            ),
            _ => return,
        };
        let Some(callee) = callee else { return };
        let text = self.text(callee);
        let last = text.rsplit('.').next().unwrap_or(text);
        let Some(path_args) =
            frameworks::find(self.language, Syntax::Call, last, |r| match r.fact {
                Fact::RoutePrefix { path_args } => Some(path_args),
                _ => None,
            })
        else {
            return;
        };
        let mut read = Vec::new();
        if let Some(args) = args {
            self.read_args(args, &mut read);
        }
        let prefix = path_args
            .iter()
            .find_map(|k| {
                read.iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| v.clone())
            })
            .unwrap_or_default();
        self.ts.routers.push(Router {
            name: name.to_string(),
            prefix,
            line: line(value),
        });
    }

    /// Routes, mounts, transactions and repository accesses the framework
    /// table states about a call.
    pub(super) fn call_facts(
        &mut self,
        f: u32,
        receiver: Option<&Expr>,
        name: &str,
        args: Option<Node>,
        line: u32,
    ) {
        let l = self.language;
        let router = match receiver {
            Some(Expr::Name(r)) if self.ts.routers.iter().any(|x| x.name == *r) => Some(r.clone()),
            _ => None,
        };
        for row in frameworks::rows(l, Syntax::Call, name) {
            match row.fact {
                Fact::Route { method, .. } => {
                    let (Some(router), Some(args)) = (router.as_ref(), args) else {
                        continue;
                    };
                    let method = match method {
                        Method::Fixed(m) => m.to_string(),
                        _ => continue,
                    };
                    let Some(path) = args.named_child(0).and_then(|a| self.string_value(a)) else {
                        continue;
                    };
                    let prefix = self
                        .ts
                        .routers
                        .iter()
                        .find(|r| r.name == *router)
                        .map(|r| r.prefix.clone())
                        .unwrap_or_default();
                    let handler = args
                        .named_child((args.named_child_count() as u32).saturating_sub(1))
                        .filter(|h| matches!(h.kind(), "identifier" | "member_expression"))
                        .map(|h| self.text(h).to_string());
                    let function = handler
                        .as_ref()
                        .and_then(|h| {
                            self.facts
                                .functions
                                .iter()
                                .position(|x| x.owner.is_none() && x.name == *h)
                        })
                        .map(|i| i as u32)
                        .or(Some(f));
                    self.facts.routes.push(RouteDecl {
                        method,
                        path: join_path(&prefix, &path),
                        function,
                        handler,
                        include: None,
                        line,
                    });
                    self.ts.route_routers.push(router.clone());
                }
                Fact::Mount { path_args } => {
                    let (Some(router), Some(args)) = (router.as_ref(), args) else {
                        continue;
                    };
                    let mut c = args.walk();
                    let all: Vec<Node> = args.named_children(&mut c).collect();
                    let mut path = None;
                    let mut target = None;
                    for a in &all {
                        if let Some(s) = self.string_value(*a) {
                            path.get_or_insert(s);
                        } else if a.kind() == "object" && !path_args.is_empty() {
                            let mut props = Vec::new();
                            self.object_props(*a, &mut props);
                            if let Some(p) = path_args
                                .iter()
                                .find_map(|k| props.iter().find(|(key, _)| key == k))
                            {
                                path = Some(p.1.clone());
                            }
                        } else if target.is_none() {
                            target = self.mount_target(*a);
                        }
                    }
                    let (Some(path), Some(target)) = (path, target) else {
                        continue;
                    };
                    let include = match &target {
                        MountTarget::Name(n) => n.clone(),
                        MountTarget::Require(s) => s.clone(),
                    };
                    self.facts.routes.push(RouteDecl {
                        method: "ANY".into(),
                        path: join_path("", &path),
                        function: Some(f),
                        handler: None,
                        include: Some(include),
                        line,
                    });
                    self.ts.route_routers.push(router.clone());
                    self.ts.mounts.push(Mount {
                        router: router.clone(),
                        path,
                        target,
                        line,
                    });
                }
                Fact::Transaction if !self.facts.tx_scopes.iter().any(|t| t.function == f) => {
                    self.facts.tx_scopes.push(TxScope { function: f, line });
                }
                Fact::TableName { args: keys } => {
                    let Some(args) = args else { continue };
                    let mut read = Vec::new();
                    self.read_args(args, &mut read);
                    let Some(table) = keys
                        .iter()
                        .find_map(|k| read.iter().find(|(key, _)| key == k))
                        .map(|(_, v)| v.clone())
                        .filter(|v| !v.is_empty() && !v.contains(['{', '(', ' ']))
                    else {
                        continue;
                    };
                    let made = self
                        .model_calls
                        .iter()
                        .find(|(start, _)| *start == self.call_start)
                        .map(|(_, t)| *t);
                    let type_index = match receiver {
                        _ if made.is_some() => made,
                        Some(Expr::Name(n)) => self
                            .facts
                            .types
                            .iter()
                            .position(|t| t.parent.is_none() && t.name == *n)
                            .map(|i| i as u32),
                        _ => None,
                    };
                    // Calls on the model (`Order.findAll()`) read or
                    // write by the framework's read patterns.
                    let reads = frameworks::prefixes(l, row.framework, |x| match x {
                        Fact::ReadMethods { prefixes } => Some(*prefixes),
                        _ => None,
                    });
                    self.facts.tables.push(TableDecl {
                        table: table.to_ascii_lowercase(),
                        type_index,
                        line,
                        queries_name_type: false,
                        reads,
                    });
                }
                _ => {}
            }
        }
        // Calls through a repository-typed field, parameter or local.
        let var = match receiver {
            Some(Expr::Field(b, n)) if **b == Expr::This => Some((true, n.clone())),
            Some(Expr::Name(n)) => Some((false, n.clone())),
            _ => None,
        };
        if let Some((this, var)) = var {
            let owner = self.facts.functions[f as usize].owner;
            let hit = self.repo_fields.iter().find(|(t, func, n, _)| {
                *n == var
                    && if this {
                        t.is_some() && *t == owner
                    } else {
                        *func == Some(f) || (t.is_none() && func.is_none())
                    }
            });
            if let Some((_, _, _, entity)) = hit {
                let entity = entity.clone();
                let framework = self.repo_framework();
                let writes = frameworks::prefixes(l, framework, |x| match x {
                    Fact::WriteMethods { prefixes } => Some(*prefixes),
                    _ => None,
                })
                .unwrap_or(&[]);
                self.facts.table_accesses.push(TableAccess {
                    target: entity,
                    of_entity: true,
                    write: frameworks::matches_prefix(writes, name),
                    function: Some(f),
                    line,
                    via: "repository".into(),
                });
            }
        }
    }

    pub(super) fn repo_framework(&self) -> &'static str {
        frameworks::ROWS
            .iter()
            .find(|r| r.language == self.language && r.syntax == Syntax::MemberType)
            .map_or("", |r| r.framework)
    }

    /// A parameter, field or local typed `Repository<Order>` (a
    /// [`Syntax::MemberType`] repository row): calls through it access the
    /// entity's table.
    pub(super) fn note_repository(
        &mut self,
        t: Option<u32>,
        f: Option<u32>,
        name: &str,
        ty: &TypeRef,
    ) {
        let simple = ty.name.rsplit('.').next().unwrap_or(&ty.name);
        let arg = frameworks::find(self.language, Syntax::MemberType, simple, |r| {
            match r.fact {
                Fact::Repository { entity_arg } => Some(entity_arg),
                _ => None,
            }
        });
        if let Some(e) = arg.and_then(|a| ty.args.get(a)) {
            let entity = e.name.rsplit('.').next().unwrap_or(&e.name).to_string();
            self.repo_fields.push((t, f, name.to_string(), entity));
        }
    }

    pub(super) fn mount_target(&self, node: Node) -> Option<MountTarget> {
        match node.kind() {
            "identifier" => Some(MountTarget::Name(self.text(node).to_string())),
            "call_expression" if is_require(self, node) => {
                require_specifier(self, node).map(MountTarget::Require)
            }
            // `router.routes()` (Koa): the router itself.
            "call_expression" => {
                let callee = node.child_by_field_name("function")?;
                let obj = callee.child_by_field_name("object")?;
                (obj.kind() == "identifier").then(|| MountTarget::Name(self.text(obj).to_string()))
            }
            _ => None,
        }
    }
}
