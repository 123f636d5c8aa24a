//! Pass 3's expression typing: the type of a call's receiver (locals,
//! parameters, fields, `this`/`super`, static types, declared return types)
//! and the declaring type of the method a call lands on.

use super::*;

pub(super) enum CallTarget {
    Internal { ty: u32, method: String },
    External,
    Unresolved,
}

/// The element type of an iterable or array.
pub(super) fn element_type(t: RType) -> RType {
    match t {
        RType::Array(inner) => *inner,
        RType::External(_, args) | RType::Internal(_, args) if args.len() == 1 => {
            args.into_iter().next().unwrap_or(RType::Unknown)
        }
        _ => RType::Unknown,
    }
}

impl Index<'_> {
    pub(super) fn resolve_call(
        &self,
        cx: Ctx,
        func: &Function,
        call: &crate::lang::Call,
    ) -> CallTarget {
        let construct = |t: RType| match t {
            RType::Internal(g, _) => CallTarget::Internal {
                ty: g,
                method: "<init>".into(),
            },
            RType::Unknown | RType::TypeParam => CallTarget::Unresolved,
            _ => CallTarget::External,
        };
        match call.kind {
            CallKind::New => match &call.ty {
                Some(t) => construct(self.resolve_typeref(cx, t)),
                None => CallTarget::Unresolved,
            },
            CallKind::SuperConstructor => {
                match cx.ty.and_then(|g| self.types[g as usize].superclass) {
                    Some(s) => CallTarget::Internal {
                        ty: s,
                        method: "<init>".into(),
                    },
                    None => CallTarget::External,
                }
            }
            CallKind::MethodRef if call.name == "<init>" => match &call.ty {
                Some(t) => construct(self.resolve_typeref(cx, t)),
                None => CallTarget::Unresolved,
            },
            CallKind::Method | CallKind::MethodRef => {
                let receiver = match &call.receiver {
                    None => return self.unqualified_call(cx, &call.name, call.args),
                    Some(e) => self.expr_type(cx, func, e, call.line, 0),
                };
                self.method_on(receiver, &call.name, call.args)
            }
        }
    }

    pub(super) fn method_on(&self, receiver: RType, name: &str, args: u32) -> CallTarget {
        match receiver {
            RType::Internal(g, _) => match self.find_method(g, name, args) {
                Some((decl, _)) => CallTarget::Internal {
                    ty: decl,
                    method: name.to_string(),
                },
                // Declared by an external supertype (or implicit, like an
                // enum's `values()`): the caller still uses this type.
                None => CallTarget::Internal {
                    ty: g,
                    method: name.to_string(),
                },
            },
            RType::External(..) | RType::Array(_) | RType::Primitive => CallTarget::External,
            RType::TypeParam | RType::Unknown => CallTarget::Unresolved,
        }
    }

    /// `m(..)` with no receiver: a method of this type or an enclosing one,
    /// or a statically imported one.
    pub(super) fn unqualified_call(&self, cx: Ctx, name: &str, args: u32) -> CallTarget {
        let mut t = cx.ty;
        while let Some(g) = t {
            if let Some((decl, _)) = self.find_method(g, name, args) {
                return CallTarget::Internal {
                    ty: decl,
                    method: name.to_string(),
                };
            }
            t = self.types[g as usize].parent;
        }
        if let Some(scope) = self.scopes.get(&cx.file) {
            for o in scope.static_single.get(name).into_iter().flatten() {
                if let Some(&g) = self.by_fqn.get(o) {
                    return CallTarget::Internal {
                        ty: self.find_method(g, name, args).map_or(g, |(d, _)| d),
                        method: name.to_string(),
                    };
                }
            }
            for o in &scope.static_wildcards {
                if let Some((d, _)) = self
                    .by_fqn
                    .get(o)
                    .and_then(|&g| self.find_method(g, name, args))
                {
                    return CallTarget::Internal {
                        ty: d,
                        method: name.to_string(),
                    };
                }
            }
        }
        // Found nowhere in the repo: inherited from an external supertype
        // (every class has at least `Object`) or statically imported from
        // outside.
        CallTarget::External
    }

    /// Whether some supertype of `gid`, as written, is not in the repo.
    pub(super) fn has_external_super(&self, gid: u32) -> bool {
        self.hierarchy(gid).into_iter().any(|g| {
            let decl = self.decl(g);
            decl.supertypes.len() > self.types[g as usize].supers.len()
        })
    }

    /// The static type of an expression, as far as it can be known.
    pub(super) fn expr_type(
        &self,
        cx: Ctx,
        func: &Function,
        e: &Expr,
        line: u32,
        depth: usize,
    ) -> RType {
        if depth > MAX_DEPTH {
            return RType::Unknown;
        }
        match e {
            Expr::This => cx
                .ty
                .map_or(RType::Unknown, |g| RType::Internal(g, Vec::new())),
            Expr::Super => match cx.ty {
                Some(g) => match self.types[g as usize].superclass {
                    Some(s) => RType::Internal(s, Vec::new()),
                    None if self.has_external_super(g) => RType::External("super".into(), vec![]),
                    // `super.m()` of a class with no in-repo superclass (or an
                    // interface's default method): Object's or an external one.
                    None => RType::External("java.lang.Object".into(), Vec::new()),
                },
                None => RType::Unknown,
            },
            Expr::StringLit => RType::External("java.lang.String".into(), Vec::new()),
            Expr::New(t) | Expr::Cast(t) => self.resolve_typeref(cx, t),
            Expr::Name(n) => self.name_type(cx, func, n, line, depth),
            Expr::Field(inner, f) => {
                match self.expr_type(cx, func, inner, line, depth + 1) {
                    RType::Internal(g, _) => {
                        if let Some(t) = self.find_field(g, f) {
                            return t;
                        }
                        if let Some(n) = self.member_type(g, f) {
                            return RType::Internal(n, Vec::new());
                        }
                        RType::Unknown
                    }
                    // A field of an external type is external too.
                    RType::External(..) => RType::External("?".into(), Vec::new()),
                    _ => {
                        // A package-qualified type name: `com.shop.Money`.
                        match dotted(e) {
                            Some(name) => match self.lookup_name(cx, &name) {
                                RType::Unknown => RType::Unknown,
                                t => t,
                            },
                            None => RType::Unknown,
                        }
                    }
                }
            }
            Expr::Call(recv, m, args) => {
                let recv_type = match recv {
                    None => {
                        // Return type of an unqualified call.
                        let mut t = cx.ty;
                        while let Some(g) = t {
                            if let Some((_, mi)) = self.find_method(g, m, *args) {
                                return mi.returns.clone();
                            }
                            t = self.types[g as usize].parent;
                        }
                        if let Some(scope) = self.scopes.get(&cx.file) {
                            if let Some(owners) = scope.static_single.get(m.as_str()) {
                                for o in owners {
                                    if let Some(&g) = self.by_fqn.get(o) {
                                        if let Some((_, mi)) = self.find_method(g, m, *args) {
                                            return mi.returns.clone();
                                        }
                                    }
                                }
                            }
                        }
                        return RType::Unknown;
                    }
                    Some(r) => self.expr_type(cx, func, r, line, depth + 1),
                };
                match recv_type {
                    RType::Internal(g, _) => match self.find_method(g, m, *args) {
                        Some((_, mi)) => mi.returns.clone(),
                        None => RType::Unknown,
                    },
                    // The result of an external method is external, unless
                    // a known generic method hands back a type argument.
                    // (An unknown generic could smuggle a repo type through;
                    // such calls are counted as external, a known limit.)
                    RType::External(name, targs) => {
                        let simple = last_segment(&name);
                        GENERIC_RETURNS
                            .iter()
                            .find(|(t, meth, _)| *t == simple && meth == m)
                            .and_then(|(_, _, i)| targs.get(*i).cloned())
                            .unwrap_or_else(|| RType::External("?".into(), Vec::new()))
                    }
                    RType::Array(_) | RType::Primitive => RType::External("?".into(), Vec::new()),
                    _ => RType::Unknown,
                }
            }
            Expr::Unknown => RType::Unknown,
        }
    }

    pub(super) fn name_type(
        &self,
        cx: Ctx,
        func: &Function,
        n: &str,
        line: u32,
        depth: usize,
    ) -> RType {
        // The nearest declaration of a local at or before the use.
        if let Some(local) = func
            .locals
            .iter()
            .rev()
            .find(|l| l.name == n && l.line <= line)
        {
            if let Some(t) = &local.ty {
                return self.resolve_typeref(cx, t);
            }
            return match &local.init {
                Some(init) if local.element_of_init => {
                    element_type(self.expr_type(cx, func, init, local.line, depth + 1))
                }
                Some(init) => self.expr_type(cx, func, init, local.line, depth + 1),
                None => RType::Unknown,
            };
        }
        if let Some((_, t)) = func.params.iter().find(|(p, _)| p == n) {
            return self.resolve_typeref(cx, t);
        }
        let mut t = cx.ty;
        while let Some(g) = t {
            if let Some(ft) = self.find_field(g, n) {
                return ft;
            }
            t = self.types[g as usize].parent;
        }
        match self.lookup_name(cx, n) {
            RType::Unknown if n.chars().next().is_some_and(|c| c.is_lowercase()) => {
                // A lowercase name that is no variable we know: an inherited
                // field of an external superclass, or a package prefix.
                RType::Unknown
            }
            other => other,
        }
    }
}
