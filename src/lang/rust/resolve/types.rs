//! Receiver typing for step 6: the workspace type of an expression
//! (`self`, parameters, `let` types, callee return types, struct literals
//! and fields, wrappers looked through), the target of a call, and whether a
//! receiver is external.

use super::*;

impl Resolver<'_, '_> {
    /// The workspace type of an expression, if it can be told.
    pub(super) fn type_of(
        &mut self,
        cx: &FnCx,
        e: &RExpr,
        line: u32,
        upto: usize,
    ) -> Option<TypeId> {
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let r = self.type_of_inner(cx, e, line, upto);
        self.depth -= 1;
        r
    }

    pub(super) fn type_of_inner(
        &mut self,
        cx: &FnCx,
        e: &RExpr,
        line: u32,
        upto: usize,
    ) -> Option<TypeId> {
        match e {
            RExpr::Path(p) if p.len() == 1 => {
                let name = &p[0];
                if name == "self" {
                    return cx.self_ty;
                }
                let locals = &cx.func.locals[..upto.min(cx.func.locals.len())];
                let local = locals
                    .iter()
                    .enumerate()
                    .rev()
                    .find(|(_, l)| &l.name == name && l.line <= line);
                if let Some((k, l)) = local {
                    if let Some(t) = &l.ty {
                        return self.type_id(cx.module, t, cx.self_ty);
                    }
                    let init = l.init.clone()?;
                    return self.type_of(cx, &init, l.line, k);
                }
                let param = cx.func.params.iter().find(|(n, _)| n == name)?;
                self.type_id(cx.module, &param.1.clone(), cx.self_ty)
            }
            RExpr::Path(_) => None,
            RExpr::Field(base, name) => {
                let t = self.type_of(cx, base, line, upto)?;
                let it = self.rust(t.0)?.items.get(t.1 as usize)?;
                let ti = it.type_index?;
                let fld = self.ix.files[t.0 as usize].facts.types[ti as usize]
                    .fields
                    .iter()
                    .find(|f| &f.name == name)?;
                let m = self.ix.module_of(t.0, it.module)?;
                let rt = from_typeref(&fld.ty);
                self.type_id(m, &rt, Some(t))
            }
            RExpr::Call(p) => match self.call_target(cx, &RCallKind::Path(p.clone()), line, upto) {
                CallTarget::Fn(f, fi) => self.returns(f, fi),
                CallTarget::Type(t) => Some(t),
                _ => None,
            },
            RExpr::MethodCall(recv, name) => {
                let t = self.type_of(cx, recv, line, upto)?;
                match self.method(t, name) {
                    Some((f, fi)) => self.returns(f, fi),
                    None => PASS_THROUGH.contains(&name.as_str()).then_some(t),
                }
            }
            RExpr::Struct(p) => {
                if p.len() == 1 && p[0] == "Self" {
                    return cx.self_ty;
                }
                self.type_id(
                    cx.module,
                    &RType {
                        path: p.clone(),
                        args: Vec::new(),
                    },
                    cx.self_ty,
                )
            }
            RExpr::Element(coll) => {
                let (t, m, self_ty) = self.declared_type(cx, coll, line, upto)?;
                let elem = t.args.last()?.clone();
                self.type_id(m, &elem, self_ty)
            }
            RExpr::Unknown => None,
        }
    }

    /// The type of an expression as written (with its generic arguments),
    /// and the module and `Self` to read it in: for `for x in coll`.
    pub(super) fn declared_type(
        &mut self,
        cx: &FnCx,
        e: &RExpr,
        line: u32,
        upto: usize,
    ) -> Option<(RType, u32, Option<TypeId>)> {
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let r = match e {
            RExpr::Path(p) if p.len() == 1 => {
                let locals = &cx.func.locals[..upto.min(cx.func.locals.len())];
                let local = locals
                    .iter()
                    .enumerate()
                    .rev()
                    .find(|(_, l)| l.name == p[0] && l.line <= line);
                match local {
                    Some((_, l)) if l.ty.is_some() => {
                        l.ty.clone()
                            .map(|t| (strip_wrappers(&t), cx.module, cx.self_ty))
                    }
                    Some((k, l)) => match l.init.clone() {
                        Some(init) => self.declared_type(cx, &init, l.line, k),
                        None => None,
                    },
                    None => cx
                        .func
                        .params
                        .iter()
                        .find(|(n, _)| n == &p[0])
                        .map(|(_, t)| (strip_wrappers(t), cx.module, cx.self_ty)),
                }
            }
            RExpr::Field(base, name) => (|| {
                let t = self.type_of(cx, base, line, upto)?;
                let it = self.rust(t.0)?.items.get(t.1 as usize)?;
                let ti = it.type_index?;
                let fld = self.ix.files[t.0 as usize].facts.types[ti as usize]
                    .fields
                    .iter()
                    .find(|f| &f.name == name)?;
                let m = self.ix.module_of(t.0, it.module)?;
                Some((strip_wrappers(&from_typeref(&fld.ty)), m, Some(t)))
            })(),
            RExpr::MethodCall(recv, m) if COLLECTION_VIEWS.contains(&m.as_str()) => {
                self.declared_type(cx, recv, line, upto)
            }
            _ => None,
        };
        self.depth -= 1;
        r
    }

    pub(super) fn assoc_target(&mut self, t: TypeId, name: &str) -> CallTarget {
        if let Some((f, fi)) = self.method(t, name) {
            return CallTarget::Fn(f, fi);
        }
        CallTarget::Type(t)
    }

    pub(super) fn call_target(
        &mut self,
        cx: &FnCx,
        kind: &RCallKind,
        line: u32,
        upto: usize,
    ) -> CallTarget {
        match kind {
            RCallKind::Path(p) => {
                if p.first().is_some_and(|s| s == "Self") {
                    let Some(t) = cx.self_ty else {
                        return CallTarget::Unresolved;
                    };
                    return match p.get(1) {
                        Some(name) => self.assoc_target(t, name),
                        None => CallTarget::Type(t),
                    };
                }
                if p.len() == 1 && cx.func.nested_fns.contains(&p[0]) {
                    return CallTarget::Local;
                }
                if p.len() == 1
                    && (cx.func.locals.iter().any(|l| l.name == p[0])
                        || cx.func.params.iter().any(|(n, _)| n == &p[0]))
                {
                    // A closure or fn pointer held in a variable.
                    return CallTarget::External;
                }
                match self.resolve_path(cx.module, p, true) {
                    Res::Def(Def::Item(f, i)) => match self.ix.item_kind((f, i)) {
                        Some(ItemKind::Fn) => {
                            match self
                                .rust(f)
                                .and_then(|r| r.items.get(i as usize))
                                .and_then(|it| it.fn_index)
                            {
                                Some(fi) => CallTarget::Fn(f, fi),
                                None => CallTarget::Type((f, i)),
                            }
                        }
                        Some(ItemKind::Struct | ItemKind::Enum | ItemKind::Union) => {
                            CallTarget::Type((f, i))
                        }
                        Some(ItemKind::TypeAlias) => match self.alias_target((f, i)) {
                            Some(t) => CallTarget::Type(t),
                            None => CallTarget::External,
                        },
                        // A `const`/`static` holding a function pointer or
                        // closure: the call depends on its defining file.
                        Some(ItemKind::Const | ItemKind::Static) => CallTarget::Type((f, i)),
                        _ => CallTarget::Unresolved,
                    },
                    Res::Def(Def::Module(_)) => CallTarget::Unresolved,
                    Res::Assoc(t, name) => self.assoc_target(t, &name),
                    Res::External => CallTarget::External,
                    Res::Unresolved => CallTarget::Unresolved,
                }
            }
            RCallKind::Method(recv, name) => {
                match self.type_of(cx, recv, line, upto) {
                    Some(t) => match self.method(t, name) {
                        Some((f, fi)) => CallTarget::Fn(f, fi),
                        // A method of a std or derived trait (`clone`,
                        // `to_string`), or of an external trait.
                        None => CallTarget::External,
                    },
                    // No workspace type declares a method of this name, so
                    // whatever the receiver is, the callee is external.
                    None if !self.ix.method_names.contains(name) => CallTarget::External,
                    None => {
                        if self.receiver_is_external(cx, recv, line, upto) {
                            CallTarget::External
                        } else {
                            CallTarget::Unresolved
                        }
                    }
                }
            }
            RCallKind::Struct(p) => {
                // `Self { .. }` and `Self::Variant { .. }`.
                if p.first().is_some_and(|s| s == "Self") && p.len() <= 2 {
                    return cx.self_ty.map_or(CallTarget::Unresolved, CallTarget::Type);
                }
                match self.resolve_path(cx.module, p, false) {
                    Res::Def(Def::Item(f, i)) => match self.ix.item_kind((f, i)) {
                        Some(ItemKind::TypeAlias) => self
                            .alias_target((f, i))
                            .map_or(CallTarget::External, CallTarget::Type),
                        _ => CallTarget::Type((f, i)),
                    },
                    Res::Assoc(t, _) => CallTarget::Type(t),
                    Res::External => CallTarget::External,
                    _ => CallTarget::Unresolved,
                }
            }
        }
    }

    /// A receiver whose type is known to be outside the workspace: a
    /// variable, parameter or field declared with an external type, or the
    /// result of a call declared to return one.
    pub(super) fn receiver_is_external(
        &mut self,
        cx: &FnCx,
        recv: &RExpr,
        line: u32,
        upto: usize,
    ) -> bool {
        if self.depth > MAX_DEPTH {
            return false;
        }
        self.depth += 1;
        let r = match recv {
            RExpr::Path(p) if p.len() == 1 && p[0] != "self" => {
                match self.declared_type(cx, recv, line, upto) {
                    Some((t, m, s)) => self.rtype_external(m, &t, s),
                    None => {
                        // `let s = x.y()` with an external result.
                        let init = cx
                            .func
                            .locals
                            .iter()
                            .rev()
                            .find(|l| l.name == p[0] && l.line <= line)
                            .and_then(|l| l.init.clone());
                        init.is_some_and(|i| self.receiver_is_external(cx, &i, line, upto))
                    }
                }
            }
            RExpr::Field(..) => match self.declared_type(cx, recv, line, upto) {
                Some((t, m, s)) => self.rtype_external(m, &t, s),
                None => false,
            },
            RExpr::Call(p) => match self.call_target(cx, &RCallKind::Path(p.clone()), line, upto) {
                CallTarget::External => true,
                CallTarget::Fn(f, fi) => self.returns_external(f, fi),
                _ => false,
            },
            RExpr::MethodCall(inner, name) => match self.type_of(cx, inner, line, upto) {
                Some(t) => match self.method(t, name) {
                    Some((f, fi)) => self.returns_external(f, fi),
                    None => !PASS_THROUGH.contains(&name.as_str()),
                },
                None => self.receiver_is_external(cx, inner, line, upto),
            },
            _ => false,
        };
        self.depth -= 1;
        r
    }

    /// Whether a written type is outside the workspace (std, a library).
    pub(super) fn rtype_external(&mut self, m: u32, t: &RType, self_ty: Option<TypeId>) -> bool {
        let t = strip_wrappers(t);
        if t.path.is_empty() {
            return true;
        }
        if t.path == ["Self"] {
            return self_ty.is_none();
        }
        if t.path.len() == 1 && PRELUDE.contains(&t.path[0].as_str()) {
            return true;
        }
        matches!(self.resolve_path(m, &t.path, false), Res::External)
    }

    pub(super) fn returns_external(&mut self, f: u32, fi: u32) -> bool {
        let Some(func) = self.rust(f).and_then(|r| r.fns.get(fi as usize)) else {
            return false;
        };
        let Some(ret) = func.ret.clone() else {
            return true;
        };
        let Some(m) = self.ix.module_of(f, func.module) else {
            return false;
        };
        let self_ty = match (func.impl_index, func.trait_item) {
            (Some(k), _) => self.ix.impl_self.get(&(f, k)).copied(),
            (None, Some(t)) => Some((f, t)),
            _ => None,
        };
        self.rtype_external(m, &ret, self_ty)
    }
}

pub(super) fn strip_wrappers(t: &RType) -> RType {
    match t.path.last() {
        Some(l) if WRAPPERS.contains(&l.as_str()) && !t.args.is_empty() => {
            strip_wrappers(&t.args[0])
        }
        _ => t.clone(),
    }
}
