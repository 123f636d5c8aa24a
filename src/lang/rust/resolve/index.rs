//! Steps 1 to 3 and 5: crates from the Cargo targets, the module tree
//! followed from each crate root (`mod m;`, `#[path]`, inline modules, a
//! guessed place for files no root reaches), per-module scopes, impls
//! registered on their self types, and the crate-name map of each package.

use super::*;

impl<'a> Index<'a> {
    pub(super) fn build(
        files: &'a [ParsedFile],
        rust_files: &[u32],
        manifests: &[(String, String)],
    ) -> Self {
        let manifests: Vec<Manifest> = manifests
            .iter()
            .map(|(d, t)| cargo::parse_manifest(d, t))
            .collect();
        let ids: Vec<&str> = rust_files
            .iter()
            .map(|&f| files[f as usize].id.as_str())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        let targets = cargo::targets(&manifests, &sorted);
        let by_id: HashMap<&str, u32> = rust_files
            .iter()
            .map(|&f| (files[f as usize].id.as_str(), f))
            .collect();
        let mut ix = Index {
            files,
            manifests,
            targets,
            modules: Vec::new(),
            scopes: Vec::new(),
            file_module: HashMap::new(),
            inline_module: HashMap::new(),
            target_root: Vec::new(),
            lib_by_name: HashMap::new(),
            crate_map: Vec::new(),
            methods: HashMap::new(),
            traits_of: HashMap::new(),
            impl_self: HashMap::new(),
            method_names: HashSet::new(),
        };
        for t in 0..ix.targets.len() {
            let root_id = ix.targets[t].root.clone();
            let Some(&file) = by_id.get(root_id.as_str()) else {
                continue;
            };
            let m = match ix.file_module.get(&file) {
                Some(&m) => m,
                None => {
                    let m = ix.new_module(Some(t as u32), None, file, Vec::new(), false);
                    ix.file_module.insert(file, m);
                    ix.walk_file(file, m, true, &by_id);
                    m
                }
            };
            ix.target_root.push(m);
            if ix.targets[t].lib {
                ix.lib_by_name
                    .entry(ix.targets[t].name.clone())
                    .or_insert(t as u32);
            }
        }
        ix.build_crate_map();
        // Files no crate root reaches: a module path from the folders.
        for &f in rust_files {
            if ix.file_module.contains_key(&f) {
                continue;
            }
            let id = &files[f as usize].id;
            let (krate, path) = ix.guess_module(id);
            // Its parent: the module at the folder's path, if one exists,
            // so `super::` works in the orphan too.
            let parent = path.split_last().and_then(|(_, up)| {
                ix.modules
                    .iter()
                    .position(|m| m.krate == krate && m.path == up)
                    .map(|p| p as u32)
            });
            let m = ix.new_module(krate, parent, f, path, false);
            ix.file_module.insert(f, m);
            ix.walk_file(f, m, false, &by_id);
        }
        ix.fill_scopes();
        ix.register_impls(rust_files);
        ix
    }

    pub(super) fn new_module(
        &mut self,
        krate: Option<u32>,
        parent: Option<u32>,
        file: u32,
        path: Vec<String>,
        test: bool,
    ) -> u32 {
        self.modules.push(Module {
            krate,
            parent,
            file,
            path,
            test,
        });
        self.scopes.push(Scope::default());
        self.modules.len() as u32 - 1
    }

    /// The crate and module path of a file no root reaches: the nearest
    /// target whose `src` folder holds it.
    pub(super) fn guess_module(&self, id: &str) -> (Option<u32>, Vec<String>) {
        let mut best: Option<(usize, u32)> = None;
        for (t, target) in self.targets.iter().enumerate() {
            let d = dir_of(&target.root);
            if (d.is_empty() || id.starts_with(&format!("{d}/")))
                && best.is_none_or(|(len, _)| d.len() > len)
            {
                best = Some((d.len(), t as u32));
            }
        }
        let Some((_, t)) = best else {
            return (None, Vec::new());
        };
        let d = dir_of(&self.targets[t as usize].root);
        let rel = if d.is_empty() { id } else { &id[d.len() + 1..] };
        let mut path: Vec<String> = rel.split('/').map(str::to_string).collect();
        if let Some(last) = path.pop() {
            let stem = last.trim_end_matches(".rs");
            if stem != "mod" {
                path.push(stem.to_string());
            }
        }
        (Some(t), path)
    }

    /// Creates the modules a file declares and follows `mod m;` to files.
    pub(super) fn walk_file(
        &mut self,
        file: u32,
        m: u32,
        is_root: bool,
        by_id: &HashMap<&str, u32>,
    ) {
        let Some(rf) = rust(&self.files[file as usize]) else {
            return;
        };
        let id = self.files[file as usize].id.as_str();
        let name = id.rsplit('/').next().unwrap_or(id);
        let mod_rs = is_root || name == "mod.rs";
        let dir = dir_of(id).to_string();
        let base = if mod_rs {
            dir.clone()
        } else {
            cargo::join(&dir, name.trim_end_matches(".rs"))
        };
        let mut inline_path: Vec<Vec<String>> = Vec::new();
        for (k, decl) in rf.mods.iter().enumerate() {
            let (parent, nest) = match decl.module {
                None => (m, Vec::new()),
                Some(p) => match self.inline_module.get(&(file, p)) {
                    Some(&pm) => (pm, inline_path[p as usize].clone()),
                    None => (m, Vec::new()),
                },
            };
            let mut path = self.modules[parent as usize].path.clone();
            path.push(decl.name.clone());
            let krate = self.modules[parent as usize].krate;
            let test = decl.test || self.modules[parent as usize].test;
            let mut my_nest = nest.clone();
            my_nest.push(decl.name.clone());
            inline_path.push(my_nest);
            if decl.inline {
                let child = self.new_module(krate, Some(parent), file, path, test);
                self.inline_module.insert((file, k as u32), child);
                self.scopes[parent as usize]
                    .items
                    .entry(decl.name.clone())
                    .or_default()
                    .push(Def::Module(child));
                continue;
            }
            let nest_dir = nest.iter().fold(base.clone(), |d, n| cargo::join(&d, n));
            let candidates: Vec<String> = match &decl.path_attr {
                Some(p) if nest.is_empty() => vec![cargo::join(&dir, p)],
                Some(p) => vec![cargo::join(&nest_dir, p)],
                None => vec![
                    cargo::join(&nest_dir, &format!("{}.rs", decl.name)),
                    cargo::join(&nest_dir, &format!("{}/mod.rs", decl.name)),
                ],
            };
            let Some(&child_file) = candidates.iter().find_map(|c| by_id.get(c.as_str())) else {
                continue;
            };
            let child = match self.file_module.get(&child_file) {
                Some(&c) => c,
                None => {
                    let c = self.new_module(krate, Some(parent), child_file, path, test);
                    self.file_module.insert(child_file, c);
                    self.walk_file(child_file, c, false, by_id);
                    c
                }
            };
            self.scopes[parent as usize]
                .items
                .entry(decl.name.clone())
                .or_default()
                .push(Def::Module(child));
        }
    }

    /// The module an element of `file` sits in (innermost inline module).
    pub(super) fn module_of(&self, file: u32, inline: Option<u32>) -> Option<u32> {
        match inline {
            Some(k) => self
                .inline_module
                .get(&(file, k))
                .or_else(|| self.file_module.get(&file))
                .copied(),
            None => self.file_module.get(&file).copied(),
        }
    }

    pub(super) fn fill_scopes(&mut self) {
        let files: Vec<u32> = self.file_module.keys().copied().collect();
        for f in files {
            let Some(rf) = rust(&self.files[f as usize]) else {
                continue;
            };
            for (i, item) in rf.items.iter().enumerate() {
                if let Some(m) = self.module_of(f, item.module) {
                    self.scopes[m as usize]
                        .items
                        .entry(item.name.clone())
                        .or_default()
                        .push(Def::Item(f, i as u32));
                    // `#[macro_export]` macros live at the crate root.
                    let root = self.modules[m as usize]
                        .krate
                        .and_then(|t| self.target_root.get(t as usize).copied());
                    if let (ItemKind::Macro, true, Some(r)) = (item.kind, item.public, root) {
                        if r != m {
                            self.scopes[r as usize]
                                .items
                                .entry(item.name.clone())
                                .or_default()
                                .push(Def::Item(f, i as u32));
                        }
                    }
                }
            }
            for (i, u) in rf.uses.iter().enumerate() {
                let Some(m) = self.module_of(f, u.module) else {
                    continue;
                };
                let s = &mut self.scopes[m as usize];
                match &u.name {
                    _ if u.glob => s.globs.push((f, i as u32)),
                    Some(n) if n != "_" => s.uses.entry(n.clone()).or_default().push((f, i as u32)),
                    _ => {}
                }
            }
        }
        // Deterministic candidate order whatever the hash map iteration.
        for s in &mut self.scopes {
            for v in s.items.values_mut() {
                v.sort_by_key(def_key);
                v.dedup();
            }
            for v in s.uses.values_mut() {
                v.sort_unstable();
            }
            s.globs.sort_unstable();
        }
    }

    pub(super) fn register_impls(&mut self, rust_files: &[u32]) {
        let mut methods: HashMap<TypeId, HashMap<String, Vec<(u32, u32)>>> = HashMap::new();
        let mut traits_of: HashMap<TypeId, Vec<TypeId>> = HashMap::new();
        let mut impl_self = HashMap::new();
        for &f in rust_files {
            let Some(rf) = rust(&self.files[f as usize]) else {
                continue;
            };
            let mut r = Resolver::new(self);
            let mut self_of: Vec<Option<TypeId>> = Vec::with_capacity(rf.impls.len());
            for (k, imp) in rf.impls.iter().enumerate() {
                let Some(m) = self.module_of(f, imp.module) else {
                    self_of.push(None);
                    continue;
                };
                let ty = r.type_id(m, &imp.self_ty, None);
                self_of.push(ty);
                if let Some(t) = ty {
                    impl_self.insert((f, k as u32), t);
                    if let Some(tr) = &imp.trait_ {
                        if let Res::Def(Def::Item(tf, ti)) = r.resolve_path(m, tr, false) {
                            if self.item_kind((tf, ti)) == Some(ItemKind::Trait) {
                                let e = traits_of.entry(t).or_default();
                                if !e.contains(&(tf, ti)) {
                                    e.push((tf, ti));
                                }
                            }
                        }
                    }
                }
            }
            for (fi, func) in rf.fns.iter().enumerate() {
                let name = &self.files[f as usize].facts.functions[fi].name;
                let owner = match (func.impl_index, func.trait_item) {
                    (Some(k), _) => self_of.get(k as usize).copied().flatten(),
                    (None, Some(t)) => Some((f, t)),
                    _ => None,
                };
                if let Some(t) = owner {
                    methods
                        .entry(t)
                        .or_default()
                        .entry(name.clone())
                        .or_default()
                        .push((f, fi as u32));
                }
            }
        }
        self.method_names = methods.values().flat_map(|ms| ms.keys().cloned()).collect();
        self.methods = methods;
        self.traits_of = traits_of;
        self.impl_self = impl_self;
    }

    pub(super) fn item_kind(&self, (f, i): TypeId) -> Option<ItemKind> {
        rust(&self.files[f as usize])?
            .items
            .get(i as usize)
            .map(|it| it.kind)
    }

    pub(super) fn item_name(&self, (f, i): TypeId) -> &str {
        rust(&self.files[f as usize])
            .and_then(|r| r.items.get(i as usize))
            .map_or("", |it| it.name.as_str())
    }

    /// The crate a name refers to from module `m`: a dependency (renames
    /// followed), the package's own library, or any workspace library.
    pub(super) fn crate_named(&self, m: u32, name: &str) -> Option<u32> {
        if let Some(t) = self.modules[m as usize].krate {
            if let Some(&r) = self.crate_map.get(t as usize).and_then(|c| c.get(name)) {
                return r;
            }
        }
        self.lib_by_name
            .get(name)
            .and_then(|&t| self.target_root.get(t as usize).copied())
    }

    /// A dependency of the module's package that is not a workspace crate.
    pub(super) fn is_external_dep(&self, m: u32, name: &str) -> bool {
        self.modules[m as usize]
            .krate
            .and_then(|t| self.crate_map.get(t as usize))
            .is_some_and(|c| c.get(name) == Some(&None))
    }

    /// Per target: the names its package's manifest binds to crates
    /// (dependency keys, renames followed; `None` for a dependency outside
    /// the workspace) and its own library.
    pub(super) fn build_crate_map(&mut self) {
        let mut maps = Vec::with_capacity(self.targets.len());
        for t in &self.targets {
            let mut map: HashMap<String, Option<u32>> = HashMap::new();
            if let Some(p) = t.package {
                let man = &self.manifests[p];
                for (key, package) in &man.deps {
                    let mut package = package.clone();
                    if man.workspace_deps.contains(key) {
                        if let Some(ws) = self
                            .manifests
                            .iter()
                            .filter(|w| !w.members.is_empty() || w.package.is_none())
                            .find_map(|w| w.deps.get(key))
                        {
                            package = ws.clone();
                        }
                    }
                    let root = self
                        .targets
                        .iter()
                        .position(|x| {
                            x.lib
                                && x.package.is_some_and(|q| {
                                    self.manifests[q].package.as_deref() == Some(&package)
                                })
                        })
                        .and_then(|x| self.target_root.get(x).copied());
                    map.insert(key.replace('-', "_"), root);
                }
                if let Some(x) = self
                    .targets
                    .iter()
                    .position(|x| x.lib && x.package == Some(p))
                {
                    map.entry(self.targets[x].name.clone())
                        .or_insert(self.target_root.get(x).copied());
                }
            }
            maps.push(map);
        }
        self.crate_map = maps;
    }

    pub(super) fn logical_name(&self, f: u32) -> Option<String> {
        let m = &self.modules[*self.file_module.get(&f)? as usize];
        let krate = m
            .krate
            .map_or("?", |t| self.targets[t as usize].name.as_str());
        let mut s = krate.to_string();
        for p in &m.path {
            s.push_str("::");
            s.push_str(p);
        }
        Some(s)
    }

    pub(super) fn def_file(&self, d: Def) -> u32 {
        match d {
            Def::Module(m) => self.modules[m as usize].file,
            Def::Item(f, _) => f,
        }
    }
}
