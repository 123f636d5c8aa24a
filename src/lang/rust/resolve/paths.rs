//! Step 4: paths resolved as rustc does for the cases that matter here
//! (`crate::`, `self::`, `super::`, names in scope, `use` bindings and
//! globs followed, the extern prelude), with cycle guards.

use super::*;

impl<'i, 'a> Resolver<'i, 'a> {
    pub(super) fn new(ix: &'i Index<'a>) -> Self {
        Resolver {
            ix,
            visiting: HashSet::new(),
            depth: 0,
            members: HashMap::new(),
            external_glob: HashMap::new(),
        }
    }

    pub(super) fn rust(&self, f: u32) -> Option<&'a RustFacts> {
        rust(&self.ix.files[f as usize])
    }

    /// Whether a path is meant to be workspace-internal: it starts with
    /// `crate`/`self`/`super`/`Self`, a workspace crate's name, or a name
    /// bound in scope to something in the workspace.
    pub(super) fn anchored(&mut self, m: u32, path: &[String]) -> bool {
        let Some(first) = path.first() else {
            return false;
        };
        match first.as_str() {
            "crate" | "self" | "super" | "Self" => true,
            "::" => path
                .get(1)
                .is_some_and(|n| self.ix.crate_named(m, n).is_some()),
            n => {
                self.ix.crate_named(m, n).is_some()
                    || matches!(self.lookup(m, n, false), Some(Res::Def(_) | Res::Assoc(..)))
            }
        }
    }

    /// Resolves a path from module `m`. `value`: the last segment names a
    /// function or constructor rather than a type or module.
    pub(super) fn resolve_path(&mut self, m: u32, path: &[String], value: bool) -> Res {
        if path.is_empty() || self.depth > MAX_DEPTH {
            return Res::Unresolved;
        }
        self.depth += 1;
        let r = self.resolve_path_inner(m, path, value);
        self.depth -= 1;
        r
    }

    pub(super) fn resolve_path_inner(&mut self, m: u32, path: &[String], value: bool) -> Res {
        let ix = self.ix;
        let mut i = 0;
        let mut cur: Res = match path[0].as_str() {
            "crate" => {
                i = 1;
                match ix.modules[m as usize].krate {
                    Some(t) => match ix.target_root.get(t as usize) {
                        Some(&r) => Res::Def(Def::Module(r)),
                        None => Res::Unresolved,
                    },
                    None => Res::Unresolved,
                }
            }
            "self" | "super" => {
                let mut mm = m;
                while i < path.len() && (path[i] == "self" || path[i] == "super") {
                    if path[i] == "super" {
                        match ix.modules[mm as usize].parent {
                            Some(p) => mm = p,
                            None => return Res::Unresolved,
                        }
                    }
                    i += 1;
                }
                Res::Def(Def::Module(mm))
            }
            "::" => {
                i = 2;
                match path.get(1).and_then(|n| ix.crate_named(m, n)) {
                    Some(r) => Res::Def(Def::Module(r)),
                    None => return Res::External,
                }
            }
            first => {
                i = 1;
                let last = path.len() == 1;
                match self.lookup(m, first, value && last) {
                    Some(r) => r,
                    None => match ix
                        .crate_named(m, first)
                        .or_else(|| self.extern_prelude(m, first))
                    {
                        Some(r) => Res::Def(Def::Module(r)),
                        None => {
                            if PRELUDE.contains(&first)
                                || ix.is_external_dep(m, first)
                                || self.has_external_glob(m)
                            {
                                return Res::External;
                            }
                            // An unknown first segment is an external crate
                            // when it is followed by more; alone, unknown.
                            return if last { Res::Unresolved } else { Res::External };
                        }
                    },
                }
            }
        };
        while i < path.len() {
            let seg = &path[i];
            let last = i + 1 == path.len();
            cur = match cur {
                Res::Def(Def::Module(mm)) => match self.member(mm, seg, value && last) {
                    Some(r) => r,
                    None => return Res::Unresolved,
                },
                Res::Def(Def::Item(f, it)) => match ix.item_kind((f, it)) {
                    Some(ItemKind::TypeAlias) => match self.alias_target((f, it)) {
                        Some(t) => Res::Assoc(t, seg.clone()),
                        None => return Res::External,
                    },
                    Some(_) => Res::Assoc((f, it), seg.clone()),
                    None => return Res::Unresolved,
                },
                Res::Assoc(..) => return cur,
                Res::External => return Res::External,
                Res::Unresolved => return Res::Unresolved,
            };
            i += 1;
        }
        cur
    }

    /// An `extern crate x as y;` in the crate root puts `y` in every
    /// module's extern prelude.
    pub(super) fn extern_prelude(&mut self, m: u32, name: &str) -> Option<u32> {
        let t = self.ix.modules[m as usize].krate?;
        let root = *self.ix.target_root.get(t as usize)?;
        let uses = self.ix.scopes[root as usize].uses.get(name)?;
        for &(f, u) in uses {
            let ud = self.rust(f)?.uses.get(u as usize)?;
            if ud.extern_crate {
                if let Some(r) = self.ix.crate_named(root, &ud.path[0]) {
                    return Some(r);
                }
            }
        }
        None
    }

    pub(super) fn has_external_glob(&mut self, m: u32) -> bool {
        if let Some(&b) = self.external_glob.get(&m) {
            return b;
        }
        let globs = self.ix.scopes[m as usize].globs.clone();
        let b = globs.iter().any(|&(f, u)| {
            let Some(ud) = self.rust(f).and_then(|r| r.uses.get(u as usize)) else {
                return false;
            };
            let Some(um) = self.ix.module_of(f, ud.module) else {
                return false;
            };
            matches!(self.resolve_path(um, &ud.path, false), Res::External)
        });
        self.external_glob.insert(m, b);
        b
    }

    /// A name in module `m`'s own scope: items, `use` bindings, globs.
    pub(super) fn lookup(&mut self, m: u32, name: &str, value: bool) -> Option<Res> {
        self.member(m, name, value)
    }

    /// A name defined in or imported into module `m`.
    pub(super) fn member(&mut self, m: u32, name: &str, value: bool) -> Option<Res> {
        let key = (m, name.to_string());
        if self.visiting.contains(&key) || self.depth > MAX_DEPTH {
            return None;
        }
        let ix = self.ix;
        let scope = &ix.scopes[m as usize];
        if let Some(defs) = scope.items.get(name) {
            if let Some(d) = self.pick(defs, value) {
                return Some(Res::Def(d));
            }
        }
        let memo_key = (m, name.to_string(), value);
        if let Some(r) = self.members.get(&memo_key) {
            return r.clone();
        }
        self.visiting.insert(key.clone());
        self.depth += 1;
        let mut found = None;
        if let Some(uses) = scope.uses.get(name) {
            for &(f, u) in uses {
                if let Some(r) = self.use_binding(f, u, value) {
                    found = Some(r);
                    break;
                }
            }
        }
        if found.is_none() {
            for &(f, u) in &scope.globs {
                if let Some(r) = self.glob_member(f, u, name, value) {
                    found = Some(r);
                    break;
                }
            }
        }
        self.depth -= 1;
        self.visiting.remove(&key);
        self.members.insert(memo_key, found.clone());
        found
    }

    pub(super) fn pick(&self, defs: &[Def], value: bool) -> Option<Def> {
        let kind = |d: &Def| match *d {
            Def::Module(_) => None,
            Def::Item(f, i) => self.ix.item_kind((f, i)),
        };
        let rank = |d: &Def| -> u8 {
            match (kind(d), value) {
                (Some(ItemKind::Fn | ItemKind::Const | ItemKind::Static), true) => 0,
                (Some(ItemKind::Struct | ItemKind::Enum), true) => 1,
                (None, true) => 3,
                (Some(ItemKind::Macro), _) => 4,
                (None, false) => 0,
                (Some(ItemKind::Fn | ItemKind::Const | ItemKind::Static), false) => 2,
                _ => 1,
            }
        };
        defs.iter().min_by_key(|d| (rank(d), def_key(d))).copied()
    }

    /// What a `use` binding refers to.
    pub(super) fn use_binding(&mut self, f: u32, u: u32, value: bool) -> Option<Res> {
        let ud = self.rust(f)?.uses.get(u as usize)?;
        let m = self.ix.module_of(f, ud.module)?;
        if ud.extern_crate {
            return Some(match self.ix.crate_named(m, &ud.path[0]) {
                Some(r) => Res::Def(Def::Module(r)),
                None => Res::External,
            });
        }
        match self.resolve_path(m, &ud.path, value) {
            Res::Unresolved => None,
            r => Some(r),
        }
    }

    /// A name found through a glob import `use p::*`.
    pub(super) fn glob_member(&mut self, f: u32, u: u32, name: &str, value: bool) -> Option<Res> {
        let ud = self.rust(f)?.uses.get(u as usize)?;
        let m = self.ix.module_of(f, ud.module)?;
        match self.resolve_path(m, &ud.path, false) {
            Res::Def(Def::Module(t)) => self.member(t, name, value),
            Res::Def(Def::Item(tf, ti)) => {
                let it = self.rust(tf)?.items.get(ti as usize)?;
                it.variants
                    .iter()
                    .any(|v| v == name)
                    .then(|| Res::Assoc((tf, ti), name.to_string()))
            }
            _ => None,
        }
    }

    pub(super) fn alias_target(&mut self, (f, i): TypeId) -> Option<TypeId> {
        let it = self.rust(f)?.items.get(i as usize)?;
        let m = self.ix.module_of(f, it.module)?;
        let t = it.bounds.first()?.clone();
        self.type_id(m, &t, None)
    }

    /// The workspace type a written type names, wrappers looked through.
    pub(super) fn type_id(&mut self, m: u32, t: &RType, self_ty: Option<TypeId>) -> Option<TypeId> {
        if self.depth > MAX_DEPTH {
            return None;
        }
        if t.path.len() == 1 && t.path[0] == "Self" {
            return self_ty;
        }
        if let Some(last) = t.path.last() {
            if WRAPPERS.contains(&last.as_str()) && !t.args.is_empty() {
                let inner = t.args[0].clone();
                return self.type_id(m, &inner, self_ty);
            }
        }
        self.depth += 1;
        let r = self.resolve_path(m, &t.path, false);
        let out = match r {
            Res::Def(Def::Item(f, i)) => match self.ix.item_kind((f, i)) {
                Some(ItemKind::TypeAlias) => self.alias_target((f, i)),
                Some(ItemKind::Struct | ItemKind::Enum | ItemKind::Union | ItemKind::Trait) => {
                    Some((f, i))
                }
                _ => None,
            },
            _ => None,
        };
        self.depth -= 1;
        out
    }

    /// A method on a type: its impls, then default methods of the
    /// workspace traits it implements.
    pub(super) fn method(&self, t: TypeId, name: &str) -> Option<(u32, u32)> {
        if let Some(v) = self.ix.methods.get(&t).and_then(|ms| ms.get(name)) {
            return v.iter().min().copied();
        }
        for tr in self.ix.traits_of.get(&t).into_iter().flatten() {
            if let Some(v) = self.ix.methods.get(tr).and_then(|ms| ms.get(name)) {
                return v.iter().min().copied();
            }
        }
        None
    }

    /// The declared return type of a function, in its own module.
    pub(super) fn returns(&mut self, f: u32, fi: u32) -> Option<TypeId> {
        let rf = self.rust(f)?;
        let func = rf.fns.get(fi as usize)?;
        let ret = func.ret.as_ref()?;
        let m = self.ix.module_of(f, func.module)?;
        let self_ty = match (func.impl_index, func.trait_item) {
            (Some(k), _) => self.ix.impl_self.get(&(f, k)).copied(),
            (None, Some(t)) => Some((f, t)),
            _ => None,
        };
        self.type_id(m, ret, self_ty)
    }
}
