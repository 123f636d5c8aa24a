//! Passes 1 and 2: the fully-qualified-name index over every source root,
//! supertypes, member types, fields and method return types resolved in the
//! declaring file's context, and the javac-order simple-name lookup.

use super::*;

impl<'a> Index<'a> {
    pub(super) fn facts(&self, file: u32) -> &'a FileFacts {
        &self.files[file as usize].facts
    }

    pub(super) fn build(files: &'a [ParsedFile], java: &[u32]) -> Self {
        let mut index = Index {
            files,
            types: Vec::new(),
            by_fqn: HashMap::new(),
            by_package: HashMap::new(),
            simple_names: HashSet::new(),
            first_type: HashMap::new(),
            scopes: HashMap::new(),
        };
        for &f in java {
            let facts = &files[f as usize].facts;
            let package = facts.namespace.clone().unwrap_or_default();
            let base = index.types.len() as u32;
            index.first_type.insert(f, base);
            for (local, decl) in facts.types.iter().enumerate() {
                let gid = index.types.len() as u32;
                let fqn = if package.is_empty() {
                    decl.path.clone()
                } else {
                    format!("{package}.{}", decl.path)
                };
                // The first declaration of a name wins (files are in id
                // order), so duplicates across modules resolve stably.
                index.by_fqn.entry(fqn.clone()).or_insert(gid);
                index.simple_names.insert(decl.name.clone());
                let parent = decl.parent.map(|p| base + p);
                if parent.is_none() {
                    index
                        .by_package
                        .entry(package.clone())
                        .or_default()
                        .push(gid);
                }
                index.types.push(TypeInfo {
                    file: f,
                    local: local as u32,
                    fqn,
                    name: decl.name.clone(),
                    parent,
                    nested: HashMap::new(),
                    supers: Vec::new(),
                    superclass: None,
                    fields: HashMap::new(),
                    methods: HashMap::new(),
                });
                if let Some(p) = parent {
                    index.types[p as usize]
                        .nested
                        .insert(decl.name.clone(), gid);
                }
            }
            let mut scope = FileScope {
                package,
                ..FileScope::default()
            };
            for import in &facts.imports {
                match import.kind {
                    ImportKind::Single => {
                        let simple = last_segment(&import.path).to_string();
                        scope.single.insert(simple, import.path.clone());
                    }
                    ImportKind::Wildcard => scope.wildcards.push(import.path.clone()),
                    ImportKind::Static => {
                        if let Some((ty, member)) = import.path.rsplit_once('.') {
                            scope
                                .static_single
                                .entry(member.to_string())
                                .or_default()
                                .push(ty.to_string());
                        }
                    }
                    ImportKind::StaticWildcard => scope.static_wildcards.push(import.path.clone()),
                }
            }
            index.scopes.insert(f, scope);
        }
        index
    }

    pub(super) fn gid(&self, file: u32, local: u32) -> u32 {
        self.first_type[&file] + local
    }

    pub(super) fn decl(&self, gid: u32) -> &'a crate::lang::TypeDecl {
        let t = &self.types[gid as usize];
        &self.facts(t.file).types[t.local as usize]
    }

    pub(super) fn resolve_supertypes(&mut self, java: &[u32]) {
        // In file order, so that a nested-type lookup through an already
        // resolved supertype works for the common cases.
        for &f in java {
            let n = self.facts(f).types.len() as u32;
            for local in 0..n {
                let gid = self.gid(f, local);
                let decl = self.decl(gid);
                let cx = Ctx {
                    file: f,
                    ty: decl.parent.map(|p| self.gid(f, p)),
                    type_params: &decl.type_params,
                };
                let mut supers = Vec::new();
                let mut superclass = None;
                for (kind, r) in &decl.supertypes {
                    if let Some(g) = self.resolve_typeref(cx, r).internal() {
                        if g != gid && !supers.contains(&g) {
                            supers.push(g);
                            if *kind == SuperKind::Extends && decl.kind == TypeKind::Class {
                                superclass = Some(g);
                            }
                        }
                    }
                }
                let t = &mut self.types[gid as usize];
                t.supers = supers;
                t.superclass = superclass;
            }
        }
    }

    pub(super) fn resolve_members(&mut self) {
        let members: Vec<_> = (0..self.types.len() as u32)
            .into_par_iter()
            .map(|gid| {
                let t = &self.types[gid as usize];
                let decl = self.decl(gid);
                let cx = Ctx {
                    file: t.file,
                    ty: Some(gid),
                    type_params: &[],
                };
                let fields: HashMap<String, RType> = decl
                    .fields
                    .iter()
                    .map(|fd| (fd.name.clone(), self.resolve_typeref(cx, &fd.ty)))
                    .collect();
                let mut methods: HashMap<String, Vec<MethodInfo>> = HashMap::new();
                for func in &self.facts(t.file).functions {
                    if func.owner != Some(t.local) {
                        continue;
                    }
                    let fcx = Ctx {
                        type_params: &func.type_params,
                        ..cx
                    };
                    let returns = func
                        .returns
                        .as_ref()
                        .map(|r| self.resolve_typeref(fcx, r))
                        .unwrap_or(RType::Unknown);
                    methods
                        .entry(func.name.clone())
                        .or_default()
                        .push(MethodInfo {
                            params: func.params.len() as u32,
                            varargs: func.params.last().is_some_and(|(_, t)| t.array_dims > 0),
                            returns,
                        });
                }
                (fields, methods)
            })
            .collect();
        for (gid, (fields, methods)) in members.into_iter().enumerate() {
            self.types[gid].fields = fields;
            self.types[gid].methods = methods;
        }
    }

    /// The supertypes of `gid`, transitively, breadth first, `gid` first.
    pub(super) fn hierarchy(&self, gid: u32) -> Vec<u32> {
        let mut seen = vec![gid];
        let mut i = 0;
        while i < seen.len() && seen.len() < 256 {
            for &s in &self.types[seen[i] as usize].supers {
                if !seen.contains(&s) {
                    seen.push(s);
                }
            }
            i += 1;
        }
        seen
    }

    /// A member type named `name` of `gid` or of its supertypes.
    pub(super) fn member_type(&self, gid: u32, name: &str) -> Option<u32> {
        self.hierarchy(gid)
            .into_iter()
            .find_map(|g| self.types[g as usize].nested.get(name).copied())
    }

    pub(super) fn is_type_param(&self, cx: Ctx, name: &str) -> bool {
        if cx.type_params.iter().any(|p| p == name) {
            return true;
        }
        let mut t = cx.ty;
        while let Some(g) = t {
            if self.decl(g).type_params.iter().any(|p| p == name) {
                return true;
            }
            t = self.types[g as usize].parent;
        }
        false
    }

    pub(super) fn by_fqn_or_nested(&self, fqn: &str) -> Option<u32> {
        self.by_fqn.get(fqn).copied()
    }

    /// Resolves a simple (undotted) type name in context.
    pub(super) fn lookup_simple(&self, cx: Ctx, name: &str) -> Option<RType> {
        let mut t = cx.ty;
        while let Some(g) = t {
            if self.types[g as usize].name == name {
                return Some(RType::Internal(g, Vec::new()));
            }
            if let Some(n) = self.member_type(g, name) {
                return Some(RType::Internal(n, Vec::new()));
            }
            t = self.types[g as usize].parent;
        }
        let scope = self.scopes.get(&cx.file)?;
        if let Some(fqn) = scope.single.get(name) {
            return Some(match self.by_fqn_or_nested(fqn) {
                Some(g) => RType::Internal(g, Vec::new()),
                None => RType::External(fqn.clone(), Vec::new()),
            });
        }
        let same_package = if scope.package.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", scope.package)
        };
        if let Some(g) = self.by_fqn.get(&same_package) {
            return Some(RType::Internal(*g, Vec::new()));
        }
        for w in &scope.wildcards {
            if let Some(g) = self.by_fqn.get(&format!("{w}.{name}")) {
                return Some(RType::Internal(*g, Vec::new()));
            }
        }
        if JAVA_LANG.contains(&name) {
            return Some(RType::External(format!("java.lang.{name}"), Vec::new()));
        }
        // A static import can bring a member type into scope.
        if let Some(owners) = scope.static_single.get(name) {
            for o in owners {
                if let Some(g) = self.by_fqn.get(&format!("{o}.{name}")) {
                    return Some(RType::Internal(*g, Vec::new()));
                }
            }
        }
        None
    }

    /// Resolves a possibly dotted type name.
    pub(super) fn lookup_name(&self, cx: Ctx, name: &str) -> RType {
        if self.is_type_param(cx, name) {
            return RType::TypeParam;
        }
        let mut parts = name.split('.');
        let first = parts.next().unwrap_or(name);
        let rest: Vec<&str> = parts.collect();
        if rest.is_empty() {
            return self.lookup_simple(cx, first).unwrap_or(RType::Unknown);
        }
        if let Some(r) = self.lookup_simple(cx, first) {
            return match r {
                RType::Internal(mut g, _) => {
                    for p in &rest {
                        match self.member_type(g, p) {
                            Some(n) => g = n,
                            None => return RType::Unknown,
                        }
                    }
                    RType::Internal(g, Vec::new())
                }
                RType::External(base, _) => {
                    RType::External(format!("{base}.{}", rest.join(".")), Vec::new())
                }
                other => other,
            };
        }
        // A qualified name: the longest known prefix, then member types.
        let all: Vec<&str> = name.split('.').collect();
        for cut in (1..=all.len()).rev() {
            if let Some(&g) = self.by_fqn.get(&all[..cut].join(".")) {
                let mut g = g;
                for p in &all[cut..] {
                    match self.member_type(g, p) {
                        Some(n) => g = n,
                        None => return RType::Unknown,
                    }
                }
                return RType::Internal(g, Vec::new());
            }
        }
        if first.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
            RType::External(name.to_string(), Vec::new())
        } else {
            RType::Unknown
        }
    }

    pub(super) fn resolve_typeref(&self, cx: Ctx, r: &TypeRef) -> RType {
        if r.is_primitive() {
            return RType::Primitive;
        }
        let args = r.args.iter().map(|a| self.resolve_typeref(cx, a)).collect();
        let base = match self.lookup_name(cx, &r.name) {
            RType::Internal(g, _) => RType::Internal(g, args),
            RType::External(n, _) => RType::External(n, args),
            other => other,
        };
        (0..r.array_dims).fold(base, |t, _| RType::Array(Box::new(t)))
    }

    /// Finds the declaration of a method by name and arity, walking the
    /// in-repo hierarchy; an arity mismatch falls back to the name alone.
    pub(super) fn find_method(
        &self,
        gid: u32,
        name: &str,
        args: u32,
    ) -> Option<(u32, &MethodInfo)> {
        let hierarchy = self.hierarchy(gid);
        let exact = hierarchy.iter().find_map(|&g| {
            self.types[g as usize].methods.get(name).and_then(|ms| {
                ms.iter()
                    .find(|m| m.params == args || (m.varargs && args + 1 >= m.params))
                    .map(|m| (g, m))
            })
        });
        exact.or_else(|| {
            hierarchy.iter().find_map(|&g| {
                self.types[g as usize]
                    .methods
                    .get(name)
                    .and_then(|ms| ms.first())
                    .map(|m| (g, m))
            })
        })
    }

    pub(super) fn find_field(&self, gid: u32, name: &str) -> Option<RType> {
        self.hierarchy(gid)
            .into_iter()
            .find_map(|g| self.types[g as usize].fields.get(name).cloned())
    }

    pub(super) fn symbol(&self, gid: u32, function: &str) -> String {
        format!("{}.{function}", self.decl(gid).path)
    }

    pub(super) fn logical_name(&self, file: u32) -> Option<String> {
        let facts = self.facts(file);
        let stem = self.files[file as usize]
            .id
            .rsplit('/')
            .next()
            .and_then(|f| f.strip_suffix(".java"))
            .unwrap_or("");
        let top = facts
            .types
            .iter()
            .enumerate()
            .filter(|(_, t)| t.parent.is_none());
        let pick = top
            .clone()
            .find(|(_, t)| t.name == stem)
            .or_else(|| top.clone().next())?;
        Some(
            self.types[self.gid(file, pick.0 as u32) as usize]
                .fqn
                .clone(),
        )
    }
}
