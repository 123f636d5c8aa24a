//! What a name, attribute or expression denotes: module-level definitions
//! and import bindings followed through re-exports and star imports, base
//! classes, method and field lookup along the bases, and the bounded
//! evaluator that types a call's receiver.

use super::*;

impl<'a> Index<'a> {
    /// A name defined at module level in `file` (class, function, global).
    pub(super) fn defined(&self, file: u32, name: &str) -> Option<Val> {
        let facts = self.facts(file);
        if let Some(t) = facts
            .types
            .iter()
            .position(|t| t.parent.is_none() && t.name == name)
        {
            return Some(Val::Class(file, t as u32));
        }
        if facts
            .functions
            .iter()
            .any(|f| f.owner.is_none() && f.kind == FunctionKind::Method && f.name == name)
        {
            return Some(Val::Func(file, name.to_string()));
        }
        if py(facts).is_some_and(|p| p.globals.iter().any(|(n, _)| n == name)) {
            return Some(Val::Global(file, name.to_string()));
        }
        None
    }

    /// What `name` denotes at module level in `file`: a definition, or an
    /// import binding followed to the defining module (re-exports), or a
    /// star import's export.
    pub(super) fn name_in(&self, file: u32, name: &str, depth: usize) -> Option<Val> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(v) = self.defined(file, name) {
            return Some(v);
        }
        let p = py(self.facts(file))?;
        // Later bindings win, as at run time; fallbacks resolve too.
        for imp in p.imports.iter().rev() {
            if imp.in_function {
                continue;
            }
            if imp.from {
                for (n, alias) in &imp.names {
                    if alias.as_deref().unwrap_or(n) != name {
                        continue;
                    }
                    let Some(base) = self.import_base(file, &imp.module, imp.level) else {
                        return Some(Val::External);
                    };
                    return Some(self.member(&base, n, depth + 1));
                }
            } else if let Some(alias) = &imp.alias {
                if alias == name {
                    return Some(match self.module(&imp.module) {
                        Some(m) => Val::Module(m),
                        None => Val::External,
                    });
                }
            } else if imp.module.split('.').next() == Some(name) {
                return Some(match self.module(name) {
                    Some(m) => Val::Module(m),
                    None => Val::External,
                });
            }
        }
        for imp in p.imports.iter().filter(|i| i.star && !i.in_function) {
            let Some(base) = self.import_base(file, &imp.module, imp.level) else {
                continue;
            };
            let Module::File(g) = base else { continue };
            if !self.exports(g, name) {
                continue;
            }
            if let Some(v) = self.name_in(g, name, depth + 1) {
                return Some(v);
            }
        }
        None
    }

    /// Whether `from file import *` binds `name`: listed in `__all__`, or
    /// public when there is no `__all__`.
    pub(super) fn exports(&self, file: u32, name: &str) -> bool {
        match py(self.facts(file)).and_then(|p| p.all.as_ref()) {
            Some(all) => all.iter().any(|n| n == name),
            None => !name.starts_with('_'),
        }
    }

    /// Attribute `name` of a module: a name it defines or re-exports, else
    /// its submodule.
    pub(super) fn member(&self, m: &Module, name: &str, depth: usize) -> Val {
        if let Module::File(f) = m {
            if let Some(v) = self.name_in(*f, name, depth) {
                if v != Val::External {
                    return v;
                }
            }
        }
        match self.submodule(m, name) {
            Some(s) => Val::Module(s),
            None => Val::Unknown,
        }
    }

    /// Resolves the base classes of every class.
    pub(super) fn resolve_bases(&mut self, ids: &[u32]) {
        let mut bases = HashMap::new();
        for &f in ids {
            for (t, ty) in self.facts(f).types.iter().enumerate() {
                let cx = Scope {
                    file: f,
                    func: None,
                    owner: ty.parent,
                };
                let mut out = Vec::new();
                for (_, st) in &ty.supertypes {
                    if let Val::Class(g, c) = self.type_name(&cx, &st.name, 0) {
                        out.push((g, c));
                    }
                }
                bases.insert((f, t as u32), out);
            }
        }
        let mut reverse = HashMap::new();
        for &f in ids {
            for (t, ty) in self.facts(f).types.iter().enumerate() {
                for a in ty.annotations.iter().filter(|a| a.name == "=fk") {
                    let get =
                        |k: &str| a.args.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str());
                    let (Some(target), Some(related)) = (get("target"), get("related_name")) else {
                        continue;
                    };
                    let cx = Scope {
                        file: f,
                        func: None,
                        owner: None,
                    };
                    if let Val::Class(g, c) = self.type_name(&cx, target, 0) {
                        reverse.insert(((g, c), related.to_string()), (f, t as u32));
                    }
                }
            }
        }
        self.bases = bases;
        self.reverse = reverse;
    }

    /// Finds a method (or class attribute when `attr`) in a class and its
    /// bases, breadth first (close to the MRO for single inheritance).
    pub(super) fn lookup_method(&self, class: (u32, u32), name: &str) -> Option<(u32, u32)> {
        let mut queue = VecDeque::from([class]);
        let mut seen = BTreeSet::new();
        while let Some((f, t)) = queue.pop_front() {
            if !seen.insert((f, t)) || seen.len() > 64 {
                continue;
            }
            if self
                .facts(f)
                .functions
                .iter()
                .any(|g| g.owner == Some(t) && g.kind == FunctionKind::Method && g.name == name)
            {
                return Some((f, t));
            }
            queue.extend(self.bases.get(&(f, t)).into_iter().flatten().copied());
        }
        None
    }

    pub(super) fn lookup_field(
        &self,
        class: (u32, u32),
        name: &str,
    ) -> Option<(u32, u32, &'a TypeRef)> {
        let mut queue = VecDeque::from([class]);
        let mut seen = BTreeSet::new();
        while let Some((f, t)) = queue.pop_front() {
            if !seen.insert((f, t)) || seen.len() > 64 {
                continue;
            }
            let ty = &self.facts(f).types[t as usize];
            if let Some(fd) = ty.fields.iter().find(|fd| fd.name == name) {
                return Some((f, t, &fd.ty));
            }
            queue.extend(self.bases.get(&(f, t)).into_iter().flatten().copied());
        }
        None
    }

    /// A dotted type name as written in `file`.
    pub(super) fn type_name(&self, cx: &Scope, name: &str, depth: usize) -> Val {
        let mut parts = name.split('.');
        let first = parts.next().unwrap_or("");
        let mut v = self.eval(cx, &Expr::Name(first.to_string()), depth + 1);
        for p in parts {
            v = self.attr(v, p, depth + 1);
        }
        v
    }

    /// The value of an instance typed by an annotation.
    pub(super) fn instance_of(&self, file: u32, ty: &TypeRef, depth: usize) -> Val {
        let cx = Scope {
            file,
            func: None,
            owner: None,
        };
        // Optional[X] / X | None: the one non-None argument.
        let t = if matches!(ty.name.as_str(), "Optional" | "typing.Optional" | "Union")
            && !ty.args.is_empty()
        {
            let real: Vec<&TypeRef> = ty.args.iter().filter(|a| a.name != "None").collect();
            if real.len() != 1 {
                return Val::Unknown;
            }
            real[0]
        } else {
            ty
        };
        match self.type_name(&cx, &t.name, depth + 1) {
            Val::Class(f, c) => Val::Instance(f, c),
            Val::External => Val::External,
            _ => Val::Unknown,
        }
    }

    pub(super) fn attr(&self, v: Val, name: &str, depth: usize) -> Val {
        if depth > MAX_DEPTH {
            return Val::Unknown;
        }
        match v {
            Val::Module(m) => self.member(&m, name, depth + 1),
            Val::Class(f, c) if name == "objects" => {
                let custom = match self.lookup_field((f, c), name) {
                    Some((g, _, ty)) => match self.instance_of(g, ty, depth + 1) {
                        Val::Instance(mf, mc) => Some((mf, mc)),
                        _ => None,
                    },
                    None => None,
                };
                Val::Manager((f, c), custom)
            }
            Val::Instance(f, c) if self.reverse.contains_key(&((f, c), name.to_string())) => {
                Val::Manager(self.reverse[&((f, c), name.to_string())], None)
            }
            Val::Manager(m, custom) if MANY.contains(&name) => Val::Manager(m, custom),
            Val::Class(f, c) | Val::Instance(f, c) => {
                if let Some((g, _, ty)) = self.lookup_field((f, c), name) {
                    return self.instance_of(g, ty, depth + 1);
                }
                if let Some(n) = self
                    .facts(f)
                    .types
                    .iter()
                    .position(|x| x.parent == Some(c) && x.name == name)
                {
                    return Val::Class(f, n as u32);
                }
                Val::Unknown
            }
            Val::External => Val::External,
            _ => Val::Unknown,
        }
    }

    pub(super) fn eval(&self, cx: &Scope, e: &Expr, depth: usize) -> Val {
        if depth > MAX_DEPTH {
            return Val::Unknown;
        }
        match e {
            Expr::Name(n) => {
                if let Some(fi) = cx.func {
                    let func = &self.facts(cx.file).functions[fi as usize];
                    if let Some((_, t)) = func.params.iter().find(|(p, _)| p == n) {
                        return self.instance_of(cx.file, t, depth + 1);
                    }
                    if let Some(l) = func.locals.iter().rev().find(|l| &l.name == n) {
                        if let Some(t) = &l.ty {
                            return self.instance_of(cx.file, t, depth + 1);
                        }
                        if let Some(init) = &l.init {
                            if init != e {
                                let v = self.eval(cx, init, depth + 1);
                                if l.element_of_init {
                                    // Iterating a queryset yields model instances.
                                    return match v {
                                        Val::Manager((f, c), _) => Val::Instance(f, c),
                                        _ => Val::Unknown,
                                    };
                                }
                                return v;
                            }
                        }
                        return Val::Unknown;
                    }
                    // Imports inside the function bind locally.
                    if let Some(v) = self.local_import(cx, n) {
                        return v;
                    }
                }
                match self.name_in(cx.file, n, depth + 1) {
                    Some(Val::Global(g, name)) => {
                        let expr = py(self.facts(g))
                            .and_then(|p| p.globals.iter().rev().find(|(x, _)| *x == name))
                            .map(|(_, e)| e.clone());
                        match expr {
                            Some(e) => {
                                let gcx = Scope {
                                    file: g,
                                    func: None,
                                    owner: None,
                                };
                                self.eval(&gcx, &e, depth + 1)
                            }
                            None => Val::Unknown,
                        }
                    }
                    Some(v) => v,
                    None => Val::External,
                }
            }
            Expr::This => match cx.owner {
                Some(t) => Val::Instance(cx.file, t),
                None => Val::Unknown,
            },
            Expr::Field(b, n) => {
                let v = self.eval(cx, b, depth + 1);
                self.attr(v, n, depth + 1)
            }
            Expr::Call(recv, name, _) => {
                let callee = match recv {
                    None => self.eval(cx, &Expr::Name(name.clone()), depth + 1),
                    Some(r) => {
                        let v = self.eval(cx, r, depth + 1);
                        match v {
                            Val::Manager(m, custom) => {
                                if let Some((g, t)) =
                                    custom.and_then(|c| self.lookup_method(c, name))
                                {
                                    return match self.returns(g, Some(t), name, depth) {
                                        Val::Unknown if name != "get_queryset" => {
                                            Val::Manager(m, custom)
                                        }
                                        v => v,
                                    };
                                }
                                return if ONE.contains(&name.as_str()) {
                                    Val::Instance(m.0, m.1)
                                } else if MANY.contains(&name.as_str()) {
                                    Val::Manager(m, custom)
                                } else {
                                    Val::Unknown
                                };
                            }
                            Val::Instance(f, c) | Val::Class(f, c) => {
                                return match self.lookup_method((f, c), name) {
                                    Some((g, t)) => self.returns(g, Some(t), name, depth),
                                    None => Val::Unknown,
                                };
                            }
                            v => self.attr(v, name, depth + 1),
                        }
                    }
                };
                match callee {
                    Val::Class(f, c) => Val::Instance(f, c),
                    Val::Func(f, n) => self.returns(f, None, &n, depth),
                    Val::External => Val::External,
                    _ => Val::Unknown,
                }
            }
            _ => Val::Unknown,
        }
    }

    pub(super) fn returns(&self, file: u32, owner: Option<u32>, name: &str, depth: usize) -> Val {
        let f = self
            .facts(file)
            .functions
            .iter()
            .find(|f| f.owner == owner && f.name == name && f.kind == FunctionKind::Method);
        match f.and_then(|f| f.returns.as_ref()) {
            Some(t) => self.instance_of(file, t, depth + 1),
            None => Val::Unknown,
        }
    }

    pub(super) fn local_import(&self, cx: &Scope, name: &str) -> Option<Val> {
        let func = &self.facts(cx.file).functions[cx.func? as usize];
        let p = py(self.facts(cx.file))?;
        for imp in p
            .imports
            .iter()
            .filter(|i| i.in_function && i.line >= func.lines.0 && i.line <= func.lines.1)
        {
            if imp.from {
                for (n, alias) in &imp.names {
                    if alias.as_deref().unwrap_or(n) == name {
                        return Some(match self.import_base(cx.file, &imp.module, imp.level) {
                            Some(b) => self.member(&b, n, 1),
                            None => Val::External,
                        });
                    }
                }
            } else {
                let bound = imp
                    .alias
                    .clone()
                    .unwrap_or_else(|| imp.module.split('.').next().unwrap_or("").to_string());
                if bound == name {
                    let m = if imp.alias.is_some() {
                        imp.module.as_str()
                    } else {
                        name
                    };
                    return Some(match self.module(m) {
                        Some(m) => Val::Module(m),
                        None => Val::External,
                    });
                }
            }
        }
        None
    }
}
