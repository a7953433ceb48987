//! Expression evaluation: variables (row fields, `this`, `row`, lambda parameters), implicit
//! `file.*` fields, indexing and link dereference, and the binary operators.
//!
//! Dataview docs: "Expressions" (field access, `row["field name"]`, link indexing
//! `[[Note]].field`, arithmetic and comparison across types), "Metadata on Pages" (implicit
//! fields), "Metadata on Tasks". Source: `expression/context.ts`, `expression/binaryop.ts`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::DateTime;
use regex::Regex;

use crate::ast::{BinaryOp, Expr, ExprKind};
use crate::collation::text_equal;
use crate::functions;
use crate::source::{FieldKeys, KeyId, Page, QuerySource, TaskItem};
use crate::time::{add_duration, date_shorthand, diff_dates};
use crate::value::{Duration, Link, PageId, PageValue, QValue, compare_values, value_to_string};
use rustc_hash::FxHashMap;

pub(crate) type EvalResult = Result<QValue, String>;

/// A value borrowed from the query, the row or the pages where it can be (no clone for a
/// field read or a literal), owned where evaluation computed it.
pub(crate) type RefResult<'x> = Result<Cow<'x, QValue>, String>;

/// The data of one row while a query runs.
#[derive(Clone, Debug)]
pub(crate) enum RowData {
    Page(PageValue),
    Object(Vec<(String, QValue)>),
    Group(Box<GroupRow>),
}

impl RowData {
    pub(crate) fn into_value(self) -> QValue {
        match self {
            RowData::Page(p) => QValue::Page(p),
            RowData::Object(o) => QValue::Object(o),
            RowData::Group(g) => QValue::Object(g.into_fields()),
        }
    }
}

/// A GROUP BY row: its key, its members (a list) and the name the key is bound to. It reads
/// exactly as the object `{key, rows, <name>: key}` Dataview builds, without building it.
#[derive(Clone, Debug)]
pub(crate) struct GroupRow {
    pub key: QValue,
    pub rows: QValue,
    pub name: Arc<str>,
}

impl GroupRow {
    /// The field `name` of the object this row stands for.
    pub(crate) fn field(&self, name: &str) -> Option<&QValue> {
        if name == &*self.name || name == "key" {
            Some(&self.key)
        } else if name == "rows" {
            Some(&self.rows)
        } else {
            None
        }
    }

    /// The object itself: `key`, `rows`, then the group's name (which replaces `key` or
    /// `rows` when it is one of them).
    pub(crate) fn into_fields(self) -> Vec<(String, QValue)> {
        let GroupRow { key, rows, name } = self;
        let mut fields = vec![("key".to_string(), key.clone()), ("rows".to_string(), rows)];
        match fields.iter_mut().find(|(k, _)| *k == *name) {
            Some(slot) => slot.1 = key,
            None => fields.push((name.to_string(), key)),
        }
        fields
    }
}

/// What an expression can see: the row, and lambda parameters.
#[derive(Clone, Copy)]
pub(crate) struct Env<'a> {
    pub row: Option<&'a RowData>,
    pub locals: &'a [(String, QValue)],
}

impl<'a> Env<'a> {
    pub(crate) fn row(row: &'a RowData) -> Env<'a> {
        Env {
            row: Some(row),
            locals: &[],
        }
    }
    pub(crate) fn empty() -> Env<'static> {
        Env {
            row: None,
            locals: &[],
        }
    }
}

/// Everything evaluation needs besides the row.
pub(crate) struct Context<'s> {
    pub source: &'s dyn QuerySource,
    pub this: Option<PageId>,
    pub now: DateTime,
    regexes: RefCell<HashMap<String, Result<Regex, String>>>,
    /// [`Context::normalize_link`]'s answers for the run: `None` when a path stays as
    /// written. Sorting and grouping by links ask for the same few paths many times.
    links: RefCell<FxHashMap<String, Option<String>>>,
    /// The empty override list every plain page view shares (one allocation per run).
    no_overrides: Arc<[(Arc<str>, QValue)]>,
    /// The source's numbering of field keys, if it keeps one.
    keys: Option<&'s FieldKeys>,
    /// The ids of the names this run has read (a query reads a handful, on every row).
    key_ids: RefCell<Vec<(Box<str>, KeyId)>>,
    /// The name ranks of the texts this run compared `file.name` with (`None`: no page has
    /// that name).
    name_ranks: RefCell<Vec<(Box<str>, Option<u32>)>>,
}

impl<'s> Context<'s> {
    pub(crate) fn new(
        source: &'s dyn QuerySource,
        this: Option<PageId>,
        now: DateTime,
    ) -> Context<'s> {
        Context {
            source,
            this,
            now,
            regexes: RefCell::new(HashMap::new()),
            links: RefCell::new(FxHashMap::default()),
            no_overrides: Arc::new([]),
            keys: source.field_keys(),
            key_ids: RefCell::new(Vec::new()),
            name_ranks: RefCell::new(Vec::new()),
        }
    }

    /// A context for another thread of the same run: the same source, `this` and clock,
    /// with copies of the caches learnt so far.
    pub(crate) fn fork(&self) -> Context<'s> {
        Context {
            source: self.source,
            this: self.this,
            now: self.now,
            regexes: RefCell::new(self.regexes.borrow().clone()),
            links: RefCell::new(self.links.borrow().clone()),
            no_overrides: self.no_overrides.clone(),
            keys: self.keys,
            key_ids: RefCell::new(self.key_ids.borrow().clone()),
            name_ranks: RefCell::new(self.name_ranks.borrow().clone()),
        }
    }

    /// Whether the source knows that none of its pages has a field `name`.
    pub(crate) fn no_page_has(&self, name: &str) -> bool {
        self.key_id(name) == Some(KeyId::Absent)
    }

    /// A field name's id in the source's [`FieldKeys`] (`None`: the source has no table).
    fn key_id(&self, name: &str) -> Option<KeyId> {
        let keys = self.keys?;
        let mut known = self.key_ids.borrow_mut();
        if let Some((_, id)) = known.iter().find(|(k, _)| **k == *name) {
            return Some(*id);
        }
        let id = keys.id(name);
        // Names computed per row (`row[x]`) could be many: remember the first few only.
        if known.len() < 32 {
            known.push((name.into(), id));
        }
        Some(id)
    }

    /// A plain view of a page (no FLATTEN/GROUP BY names, not a task).
    pub(crate) fn page_view(&self, page: PageId) -> PageValue {
        PageValue {
            page,
            task: None,
            overrides: self.no_overrides.clone(),
        }
    }

    /// A compiled regex, cached for the run (patterns are compiled once, not per row).
    pub(crate) fn regex(&self, pattern: &str, case_insensitive: bool) -> Result<Regex, String> {
        let key = if case_insensitive {
            format!("(?i){pattern}")
        } else {
            pattern.to_string()
        };
        if let Some(r) = self.regexes.borrow().get(&key) {
            return r.clone();
        }
        let compiled = regex::RegexBuilder::new(pattern)
            .case_insensitive(case_insensitive)
            .size_limit(1 << 20)
            .build()
            .map_err(|e| {
                format!(
                    "invalid regular expression '{pattern}': {}",
                    first_line(&e.to_string())
                )
            });
        self.regexes.borrow_mut().insert(key, compiled.clone());
        compiled
    }

    /// The vault path a link path means from the query's note (unchanged when dangling).
    pub(crate) fn normalize_link<'p>(&self, path: &'p str) -> Cow<'p, str> {
        if let Some(known) = self.links.borrow().get(path) {
            return match known {
                Some(p) => Cow::Owned(p.clone()),
                None => Cow::Borrowed(path),
            };
        }
        let resolved = if self.source.page_by_path(path).is_some() {
            None
        } else {
            self.source
                .resolve_link(self.this, path)
                .and_then(|id| self.source.page(id))
                .map(|page| page.path.clone())
        };
        self.links
            .borrow_mut()
            .insert(path.to_string(), resolved.clone());
        match resolved {
            Some(p) => Cow::Owned(p),
            None => Cow::Borrowed(path),
        }
    }

    pub(crate) fn compare(&self, a: &QValue, b: &QValue) -> Ordering {
        if let (QValue::File(x), QValue::File(y)) = (a, b) {
            return self.compare_files(*x, *y);
        }
        let normalize: &dyn for<'p> Fn(&'p str) -> Cow<'p, str> = &|p| self.normalize_link(p);
        compare_values(a, b, normalize)
    }

    /// `SORT file` compares the `file` objects as Dataview compares objects: by their sorted
    /// keys (`day` exists only on dated pages, so dated pages come first), then value by value
    /// in key order: by aliases, then creation day and time, and so on. This is that order as
    /// a list, to build once per row.
    pub(crate) fn file_sort_key(&self, id: PageId) -> QValue {
        const SORTED_KEYS: [&str; 20] = [
            "aliases",
            "cday",
            "ctime",
            "day",
            "etags",
            "ext",
            "folder",
            "frontmatter",
            "inlinks",
            "link",
            "lists",
            "mday",
            "mtime",
            "name",
            "outlinks",
            "path",
            "size",
            "starred",
            "tags",
            "tasks",
        ];
        let dated = !self.file_field(id, "day").is_null();
        let mut key = Vec::with_capacity(SORTED_KEYS.len() + 1);
        key.push(QValue::Number(if dated { 0.0 } else { 1.0 }));
        key.extend(SORTED_KEYS.iter().map(|k| self.file_field(id, k)));
        QValue::List(key)
    }

    fn compare_files(&self, a: PageId, b: PageId) -> Ordering {
        if a == b {
            return Ordering::Equal;
        }
        let normalize: &dyn for<'p> Fn(&'p str) -> Cow<'p, str> = &|p| self.normalize_link(p);
        compare_values(&self.file_sort_key(a), &self.file_sort_key(b), normalize)
    }

    fn this_value(&self) -> QValue {
        match self.this {
            Some(page) => QValue::Page(self.page_view(page)),
            None => QValue::Object(Vec::new()),
        }
    }

    pub(crate) fn eval(&self, expr: &Expr, env: Env<'_>) -> EvalResult {
        self.eval_ref(expr, env).map(Cow::into_owned)
    }

    /// [`Context::eval`] without cloning what it reads: literals, row fields, page fields and
    /// parts of them come back borrowed.
    pub(crate) fn eval_ref<'x>(&'x self, expr: &'x Expr, env: Env<'x>) -> RefResult<'x> {
        let owned = match &expr.kind {
            ExprKind::Literal(v) => return Ok(Cow::Borrowed(v)),
            ExprKind::DateShorthand(name) => {
                date_shorthand(name, self.now).map_or(QValue::Null, QValue::Date)
            }
            ExprKind::Variable(name) => return Ok(self.variable_ref(name, env)),
            ExprKind::List(items) => items
                .iter()
                .map(|e| self.eval(e, env))
                .collect::<Result<Vec<_>, _>>()
                .map(QValue::List)?,
            ExprKind::Object(fields) => fields
                .iter()
                .map(|(k, e)| self.eval(e, env).map(|v| (k.clone(), v)))
                .collect::<Result<Vec<_>, _>>()
                .map(QValue::Object)?,
            ExprKind::Negate(inner) => QValue::Bool(!self.eval_ref(inner, env)?.is_truthy()),
            ExprKind::Binary(op @ (BinaryOp::Eq | BinaryOp::Ne), left, right)
                if let Some(equal) = self.page_name_is(left, right, env) =>
            {
                QValue::Bool(equal == (*op == BinaryOp::Eq))
            }
            ExprKind::Binary(op, left, right) => {
                let a = self.eval_ref(left, env)?;
                // Dataview evaluates both sides of `and`/`or`; when the left side decides the
                // answer, only an error on the right could change the outcome, so a right
                // side that cannot fail is skipped.
                match op {
                    BinaryOp::And if !a.is_truthy() && self.cannot_fail(right, env) => {
                        return Ok(Cow::Owned(QValue::Bool(false)));
                    }
                    BinaryOp::Or if a.is_truthy() && self.cannot_fail(right, env) => {
                        return Ok(Cow::Owned(QValue::Bool(true)));
                    }
                    _ => {}
                }
                let b = self.eval_ref(right, env)?;
                self.binary(*op, &a, &b)?
            }
            ExprKind::Index(object, index) => {
                let index = self.eval_ref(index, env)?;
                if let ExprKind::Variable(name) = &object.kind
                    && name == "row"
                    && !env.locals.iter().any(|(k, _)| k == "row")
                {
                    return match &*index {
                        QValue::Null => Ok(Cow::Owned(QValue::Null)),
                        QValue::Text(key) => Ok(self
                            .variable_in_row_ref(key, env)
                            .unwrap_or(Cow::Owned(QValue::Null))),
                        _ => Err("Can only index with a string or number".to_string()),
                    };
                }
                let object = self.eval_ref(object, env)?;
                return self.index_ref(object, &index);
            }
            ExprKind::Call(func, args) => return functions::call(self, env, *func, args),
            ExprKind::CallValue(callee, args) => match &callee.kind {
                ExprKind::Lambda(params, body) => {
                    let values = args
                        .iter()
                        .map(|a| self.eval(a, env))
                        .collect::<Result<Vec<_>, _>>()?;
                    self.apply_lambda(params, body, env, &values)?
                }
                _ => {
                    let v = self.eval_ref(callee, env)?;
                    return Err(format!(
                        "Cannot call type '{}' as a function",
                        v.type_name()
                    ));
                }
            },
            ExprKind::Lambda(..) => {
                return Err("a lambda `(x) => …` can only be passed to a function".to_string());
            }
        };
        Ok(Cow::Owned(owned))
    }

    /// Whether `expr` is truthy: `eval_ref(expr)?.is_truthy()`, with the same answers and
    /// errors, but `and`, `or`, `!`, comparisons and `contains` (what WHERE clauses are
    /// made of) answer yes or no without building a value for each part.
    pub(crate) fn truthy(&self, expr: &Expr, env: Env<'_>) -> Result<bool, String> {
        match &expr.kind {
            ExprKind::Binary(op @ (BinaryOp::And | BinaryOp::Or), left, right) => {
                let a = self.truthy(left, env)?;
                // As in `eval_ref`: both sides are evaluated unless the right cannot fail.
                let decided = (*op == BinaryOp::And) != a;
                if decided && self.cannot_fail(right, env) {
                    return Ok(a);
                }
                let b = self.truthy(right, env)?;
                Ok(if *op == BinaryOp::And { a && b } else { a || b })
            }
            ExprKind::Negate(inner) => Ok(!self.truthy(inner, env)?),
            ExprKind::Binary(op @ (BinaryOp::Eq | BinaryOp::Ne), left, right)
                if let Some(equal) = self.page_name_is(left, right, env) =>
            {
                Ok(equal == (*op == BinaryOp::Eq))
            }
            ExprKind::Binary(op, left, right) => {
                let a = self.eval_ref(left, env)?;
                let b = self.eval_ref(right, env)?;
                Ok(self.binary(*op, &a, &b)?.is_truthy())
            }
            ExprKind::Call(func, args) => match functions::contains_call(self, env, *func, args) {
                Some(found) => Ok(found?.is_truthy()),
                None => Ok(self.eval_ref(expr, env)?.is_truthy()),
            },
            _ => Ok(self.eval_ref(expr, env)?.is_truthy()),
        }
    }

    /// `file.name = "text"` on a page row whose `file` is its own, answered from the source's
    /// name ranks without reading the name (`None`: not that shape, or no ranks): the same
    /// answer as comparing the texts, since equal ranks are exactly equal names.
    fn page_name_is(&self, left: &Expr, right: &Expr, env: Env<'_>) -> Option<bool> {
        let ExprKind::Literal(QValue::Text(text)) = &right.kind else {
            return None;
        };
        if !crate::execute::is_file_name(left) || !self.file_is_page_file(env) {
            return None;
        }
        let Some(RowData::Page(pv)) = env.row else {
            return None;
        };
        let ranks = self.source.name_ranks()?;
        let rank = ranks.get(pv.page)?;
        let mut known = self.name_ranks.borrow_mut();
        let wanted = match known.iter().find(|(t, _)| **t == **text) {
            Some((_, r)) => *r,
            None => {
                let r = ranks.rank_of(text, |id| self.source.page(id).map(Page::name));
                if known.len() < 32 {
                    known.push((text.as_ref().into(), r));
                }
                r
            }
        };
        Some(wanted == Some(rank))
    }

    /// Whether `file` on this row is the row's own page file object: a page row without a
    /// FLATTEN or GROUP BY name `file`, outside any lambda parameter `file`.
    fn file_is_page_file(&self, env: Env<'_>) -> bool {
        !env.locals.iter().any(|(k, _)| k == "file")
            && matches!(env.row, Some(RowData::Page(pv))
                if !pv.overrides.iter().any(|(k, _)| &**k == "file"))
    }

    /// Whether evaluating `expr` in `env` surely succeeds (`false`: it might fail): literals,
    /// names, comparisons and `and`/`or`/`!` of such, `file.x` on a page row whose `file` is
    /// its own, and `contains`-family calls on them with a literal needle that is not a list.
    fn cannot_fail(&self, expr: &Expr, env: Env<'_>) -> bool {
        use BinaryOp::*;
        match &expr.kind {
            ExprKind::Literal(_) | ExprKind::DateShorthand(_) | ExprKind::Variable(_) => true,
            ExprKind::Negate(inner) => self.cannot_fail(inner, env),
            ExprKind::Binary(Eq | Ne | Lt | Le | Gt | Ge | And | Or, a, b) => {
                self.cannot_fail(a, env) && self.cannot_fail(b, env)
            }
            ExprKind::Index(object, index) => {
                matches!(&index.kind, ExprKind::Literal(QValue::Text(_)))
                    && matches!(&object.kind, ExprKind::Variable(v) if v == "file")
                    && self.file_is_page_file(env)
            }
            ExprKind::Call(
                functions::Function::Contains
                | functions::Function::Icontains
                | functions::Function::Econtains,
                args,
            ) => match args.as_slice() {
                [hay, needle] => {
                    matches!(&needle.kind, ExprKind::Literal(v) if !matches!(v, QValue::List(_)))
                        && !matches!(hay.kind, ExprKind::Lambda(..))
                        && self.cannot_fail(hay, env)
                }
                _ => false,
            },
            _ => false,
        }
    }

    pub(crate) fn apply_lambda(
        &self,
        params: &[String],
        body: &Expr,
        env: Env<'_>,
        args: &[QValue],
    ) -> EvalResult {
        let mut locals: Vec<(String, QValue)> = env.locals.to_vec();
        for (name, value) in params.iter().zip(args) {
            locals.push((name.clone(), value.clone()));
        }
        self.eval(
            body,
            Env {
                row: env.row,
                locals: &locals,
            },
        )
    }

    /// A variable: lambda parameters, then the row's names, then `this`; else null.
    fn variable_ref<'x>(&'x self, name: &str, env: Env<'x>) -> Cow<'x, QValue> {
        if let Some((_, v)) = env.locals.iter().rev().find(|(k, _)| k == name) {
            return Cow::Borrowed(v);
        }
        self.variable_in_row_ref(name, env)
            .unwrap_or(Cow::Owned(QValue::Null))
    }

    /// A name in the row data, then the globals (`this`); `None` when absent.
    fn variable_in_row_ref<'x>(&'x self, name: &str, env: Env<'x>) -> Option<Cow<'x, QValue>> {
        match env.row {
            Some(RowData::Page(pv)) => {
                if let Some(v) = self.page_value_field_ref(pv, name) {
                    return Some(v);
                }
            }
            Some(RowData::Object(fields)) => {
                if let Some((_, v)) = fields.iter().find(|(k, _)| k == name) {
                    return Some(Cow::Borrowed(v));
                }
            }
            Some(RowData::Group(group)) => {
                if let Some(v) = group.field(name) {
                    return Some(Cow::Borrowed(v));
                }
            }
            None => {}
        }
        if name == "this" {
            return Some(Cow::Owned(self.this_value()));
        }
        None
    }

    /// A field of a page row: FLATTEN/GROUP names, then task fields, then `file`, then the
    /// page's own fields.
    pub(crate) fn page_value_field(&self, pv: &PageValue, name: &str) -> Option<QValue> {
        self.page_value_field_ref(pv, name).map(Cow::into_owned)
    }

    /// [`Context::page_value_field`], borrowed from the row or the page where it can be.
    fn page_value_field_ref<'x>(
        &'x self,
        pv: &'x PageValue,
        name: &str,
    ) -> Option<Cow<'x, QValue>> {
        if let Some((_, v)) = pv.overrides.iter().find(|(k, _)| **k == *name) {
            return Some(Cow::Borrowed(v));
        }
        self.page_own_field(pv.page, pv.task, name)
    }

    /// A field of a page (or of one of its tasks) itself, without FLATTEN/GROUP names.
    fn page_own_field<'x>(
        &'x self,
        id: PageId,
        task: Option<u32>,
        name: &str,
    ) -> Option<Cow<'x, QValue>> {
        let page: &'x Page = self.source.page(id)?;
        if let Some(task) = task.and_then(|i| page.tasks.get(i as usize))
            && let Some(v) = task_field(page, task, name)
        {
            return Some(Cow::Owned(v));
        }
        if name == "file" {
            return Some(Cow::Owned(QValue::File(id)));
        }
        match self.key_id(name) {
            // No page has it (`this` read on every row, a misspelt field): skip the page.
            Some(KeyId::Absent) => None,
            Some(KeyId::Id(key)) => match self.source.field_column(key, name) {
                Some(column) => column
                    .get(id.0 as usize)
                    .and_then(Option::as_ref)
                    .map(Cow::Borrowed),
                None => page.field_by_id(key, name).map(Cow::Borrowed),
            },
            None => page.field(name).map(Cow::Borrowed),
        }
    }

    /// [`Context::index`] of a value that may be borrowed: a field or an element read from a
    /// borrowed object, page, link target or list stays borrowed.
    pub(crate) fn index_ref<'x>(
        &'x self,
        object: Cow<'x, QValue>,
        index: &QValue,
    ) -> RefResult<'x> {
        let null = || Cow::Owned(QValue::Null);
        match (object, index) {
            (Cow::Borrowed(QValue::Object(fields)), QValue::Text(key)) => Ok(fields
                .iter()
                .find(|(k, _)| **k == **key)
                .map_or_else(null, |(_, v)| Cow::Borrowed(v))),
            (Cow::Owned(QValue::Object(fields)), QValue::Text(key)) => Ok(fields
                .into_iter()
                .find(|(k, _)| **k == **key)
                .map_or_else(null, |(_, v)| Cow::Owned(v))),
            (Cow::Borrowed(QValue::Page(pv)), QValue::Text(key)) => {
                Ok(self.page_value_field_ref(pv, key).unwrap_or_else(null))
            }
            (Cow::Owned(QValue::Page(pv)), QValue::Text(key)) => {
                match pv.overrides.iter().find(|(k, _)| **k == **key) {
                    Some((_, v)) => Ok(Cow::Owned(v.clone())),
                    None => Ok(self
                        .page_own_field(pv.page, pv.task, key)
                        .unwrap_or_else(null)),
                }
            }
            (object, QValue::Text(key))
                if &**key == "name" && matches!(&*object, QValue::File(_)) =>
            {
                let QValue::File(id) = *object else {
                    return Ok(null());
                };
                Ok(self.source.page_name(id).map_or_else(null, Cow::Borrowed))
            }
            (object, QValue::Text(key)) if matches!(&*object, QValue::Link(_)) => {
                let QValue::Link(link) = &*object else {
                    return Ok(null());
                };
                match self.source.resolve_link(self.this, &link.path) {
                    Some(page) => Ok(self.page_own_field(page, None, key).unwrap_or_else(null)),
                    None => Ok(null()),
                }
            }
            (Cow::Borrowed(QValue::List(items)), QValue::Number(n)) => {
                if *n >= 0.0 && n.fract() == 0.0 && (*n as usize) < items.len() {
                    Ok(Cow::Borrowed(&items[*n as usize]))
                } else {
                    Ok(null())
                }
            }
            (object, index) => self.index(&object, index).map(Cow::Owned),
        }
    }

    pub(crate) fn index(&self, object: &QValue, index: &QValue) -> EvalResult {
        match index {
            QValue::Null => return Ok(QValue::Null),
            QValue::Text(_) | QValue::Number(_) => {}
            _ => return Err("Can only index with a string or number".to_string()),
        }
        match (object, index) {
            (QValue::Object(fields), QValue::Text(key)) => Ok(fields
                .iter()
                .find(|(k, _)| **k == **key)
                .map_or(QValue::Null, |(_, v)| v.clone())),
            (QValue::Page(pv), QValue::Text(key)) => {
                Ok(self.page_value_field(pv, key).unwrap_or(QValue::Null))
            }
            (QValue::File(id), QValue::Text(key)) => Ok(self.file_field(*id, key)),
            (QValue::Object(_) | QValue::Page(_) | QValue::File(_), _) => {
                Err("can only index into objects with strings (a.b or a[\"b\"])".to_string())
            }
            (QValue::Link(link), QValue::Text(key)) => {
                match self.source.resolve_link(self.this, &link.path) {
                    Some(page) => Ok(self
                        .page_own_field(page, None, key)
                        .map_or(QValue::Null, Cow::into_owned)),
                    None => Ok(QValue::Null),
                }
            }
            (QValue::Link(_), _) => {
                Err("can only index into links with strings (a.b or a[\"b\"])".to_string())
            }
            (QValue::List(items), QValue::Number(n)) => {
                if *n >= 0.0 && n.fract() == 0.0 && (*n as usize) < items.len() {
                    Ok(items[*n as usize].clone())
                } else {
                    Ok(QValue::Null)
                }
            }
            (QValue::List(items), QValue::Text(_)) => Ok(QValue::List(
                items
                    .iter()
                    .filter_map(|item| self.index(item, index).ok())
                    .collect(),
            )),
            (QValue::Text(s), QValue::Number(n)) => {
                let units: Vec<u16> = s.encode_utf16().collect();
                if *n >= 0.0 && n.fract() == 0.0 && (*n as usize) < units.len() {
                    Ok(QValue::Text(
                        String::from_utf16_lossy(&units[*n as usize..*n as usize + 1]).into(),
                    ))
                } else {
                    Ok(QValue::Null)
                }
            }
            (QValue::Text(_), _) => {
                Err("string indexing requires a numeric index (string[index])".to_string())
            }
            (QValue::Date(d), QValue::Text(unit)) => Ok(date_part(*d, unit)),
            (QValue::Date(_), _) => {
                Err("date indexing requires a string representing the unit".to_string())
            }
            (QValue::Duration(d), QValue::Text(unit)) => Ok(duration_part(*d, unit)),
            (QValue::Duration(_), _) => {
                Err("duration indexing requires a string representing the unit".to_string())
            }
            _ => Ok(QValue::Null),
        }
    }

    /// An implicit `file.*` field.
    pub(crate) fn file_field(&self, id: PageId, key: &str) -> QValue {
        let Some(page) = self.source.page(id) else {
            return QValue::Null;
        };
        let texts = |items: &[String]| {
            QValue::List(
                items
                    .iter()
                    .map(|s| QValue::Text(s.clone().into()))
                    .collect(),
            )
        };
        match key {
            "path" => QValue::Text(page.path.clone().into()),
            "folder" => QValue::Text(page.folder().to_string().into()),
            "name" => QValue::Text(page.name().to_string().into()),
            "link" => page.link_value().clone(),
            "outlinks" => QValue::List(page.outlinks.iter().cloned().map(QValue::link).collect()),
            "inlinks" => QValue::List(
                self.source
                    .inlinks(id)
                    .into_iter()
                    .filter_map(|p| self.source.page(p))
                    .map(|p| QValue::link(Link::file(p.path.clone())))
                    .collect(),
            ),
            "etags" => texts(&page.tags),
            "tags" => {
                let mut all: Vec<String> = Vec::new();
                for tag in &page.tags {
                    let mut t = tag.clone();
                    loop {
                        if !all.contains(&t) {
                            all.push(t.clone());
                        }
                        match t.rfind('/') {
                            Some(cut) => t.truncate(cut),
                            None => break,
                        }
                    }
                }
                texts(&all)
            }
            "aliases" => texts(&page.aliases),
            "tasks" | "lists" => QValue::List(
                page.tasks
                    .iter()
                    .map(|t| QValue::Object(task_object(page, t)))
                    .collect(),
            ),
            "ctime" => page.stats.ctime.map_or(QValue::Null, QValue::Date),
            "mtime" => page.stats.mtime.map_or(QValue::Null, QValue::Date),
            "cday" => page
                .stats
                .ctime
                .map_or(QValue::Null, |d| QValue::Date(d.date().at(0, 0, 0, 0))),
            "mday" => page
                .stats
                .mtime
                .map_or(QValue::Null, |d| QValue::Date(d.date().at(0, 0, 0, 0))),
            "size" => QValue::Number(page.stats.size as f64),
            "starred" => QValue::Bool(false),
            "frontmatter" => QValue::Object(page.frontmatter().to_vec()),
            "ext" => QValue::Text(
                page.path
                    .rsplit_once('.')
                    .map_or("", |(_, e)| e)
                    .to_string()
                    .into(),
            ),
            "day" => page.day.map_or(QValue::Null, QValue::Date),
            _ => QValue::Null,
        }
    }

    /// Replace lazy page views by plain objects (for results and `string()`).
    pub(crate) fn materialize(&self, value: QValue, depth: u32) -> QValue {
        match value {
            QValue::Page(pv) if depth < 4 => {
                let mut fields: Vec<(String, QValue)> = pv
                    .overrides
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect();
                if let Some(page) = self.source.page(pv.page) {
                    if let Some(task) = pv.task.and_then(|i| page.tasks.get(i as usize)) {
                        for (k, v) in task_object(page, task) {
                            if !fields.iter().any(|(f, _)| *f == k) {
                                fields.push((k, v));
                            }
                        }
                    }
                    if !fields.iter().any(|(f, _)| f == "file") {
                        fields.push(("file".to_string(), QValue::File(pv.page)));
                    }
                    for (k, v) in &page.fields {
                        if !fields.iter().any(|(f, _)| f == k) {
                            fields.push((k.clone(), v.clone()));
                        }
                    }
                }
                QValue::Object(
                    fields
                        .into_iter()
                        .map(|(k, v)| (k, self.materialize(v, depth + 1)))
                        .collect(),
                )
            }
            QValue::File(id) if depth < 4 => {
                const KEYS: [&str; 20] = [
                    "path",
                    "folder",
                    "name",
                    "link",
                    "outlinks",
                    "inlinks",
                    "etags",
                    "tags",
                    "aliases",
                    "lists",
                    "tasks",
                    "ctime",
                    "cday",
                    "mtime",
                    "mday",
                    "size",
                    "starred",
                    "frontmatter",
                    "ext",
                    "day",
                ];
                // `day` exists only on dated pages, as in Dataview.
                QValue::Object(
                    KEYS.iter()
                        .map(|k| (k.to_string(), self.file_field(id, k)))
                        .filter(|(k, v)| k != "day" || !v.is_null())
                        .collect(),
                )
            }
            QValue::Page(_) | QValue::File(_) => QValue::Object(Vec::new()),
            QValue::List(items) => QValue::List(
                items
                    .into_iter()
                    .map(|v| self.materialize(v, depth))
                    .collect(),
            ),
            QValue::Object(fields) => QValue::Object(
                fields
                    .into_iter()
                    .map(|(k, v)| (k, self.materialize(v, depth)))
                    .collect(),
            ),
            other => other,
        }
    }

    /// Dataview's `Values.toString`, with page views materialised.
    pub(crate) fn to_text(&self, value: &QValue) -> String {
        match value {
            QValue::Page(_) | QValue::File(_) | QValue::List(_) | QValue::Object(_) => {
                value_to_string(&self.materialize(value.clone(), 0))
            }
            _ => value_to_string(value),
        }
    }

    /// A binary operator (Dataview's dispatch table in `binaryop.ts`).
    pub(crate) fn binary(&self, op: BinaryOp, a: &QValue, b: &QValue) -> EvalResult {
        use QValue::*;
        // The same answer as `compare(a, b) == Equal`, without collation weights.
        if let (BinaryOp::Eq | BinaryOp::Ne, Text(x), Text(y)) = (op, a, b) {
            return Ok(Bool(text_equal(x, y) == (op == BinaryOp::Eq)));
        }
        let cmp = || self.compare(a, b);
        Ok(match op {
            BinaryOp::Eq => Bool(cmp() == Ordering::Equal),
            BinaryOp::Ne => Bool(cmp() != Ordering::Equal),
            BinaryOp::Lt => Bool(cmp() == Ordering::Less),
            BinaryOp::Le => Bool(cmp() != Ordering::Greater),
            BinaryOp::Gt => Bool(cmp() == Ordering::Greater),
            BinaryOp::Ge => Bool(cmp() != Ordering::Less),
            BinaryOp::And => Bool(a.is_truthy() && b.is_truthy()),
            BinaryOp::Or => Bool(a.is_truthy() || b.is_truthy()),
            _ => return self.arithmetic(op, a, b),
        })
    }

    fn arithmetic(&self, op: BinaryOp, a: &QValue, b: &QValue) -> EvalResult {
        use BinaryOp::*;
        use QValue::*;
        let result = match (op, a, b) {
            (Add, Number(x), Number(y)) => Number(x + y),
            (Sub, Number(x), Number(y)) => Number(x - y),
            (Mul, Number(x), Number(y)) => Number(x * y),
            (Div, Number(x), Number(y)) => Number(x / y),
            (Rem, Number(x), Number(y)) => Number(x % y),
            (Add, Text(x), _) => Text(format!("{x}{}", self.to_text(b)).into()),
            (Add, _, Text(y)) => Text(format!("{}{y}", self.to_text(a)).into()),
            (Mul, Text(s), Number(n)) | (Mul, Number(n), Text(s)) => {
                if *n < 0.0 || !n.is_finite() {
                    Text(String::new().into())
                } else if (s.len() as f64) * n.floor() > 16_000_000.0 {
                    return Err("text repetition would be longer than 16 MB".to_string());
                } else {
                    Text(s.repeat(*n as usize).into())
                }
            }
            (Sub, Date(x), Date(y)) => Duration(diff_dates(*x, *y)),
            (Sub, Date(x), Duration(d)) => add_duration(*x, *d, -1.0).map_or(Null, Date),
            (Add, Date(x), Duration(d)) | (Add, Duration(d), Date(x)) => {
                add_duration(*x, *d, 1.0).map_or(Null, Date)
            }
            (Add, Duration(x), Duration(y)) => Duration(crate::value::Duration {
                months: x.months + y.months,
                millis: x.millis + y.millis,
            }),
            (Sub, Duration(x), Duration(y)) => Duration(crate::value::Duration {
                months: x.months - y.months,
                millis: x.millis - y.millis,
            }),
            (Div, Duration(x), Number(n)) => Duration(scale(*x, 1.0 / n)),
            (Mul, Duration(x), Number(n)) | (Mul, Number(n), Duration(x)) => {
                Duration(scale(*x, *n))
            }
            (Add, List(x), List(y)) => List(x.iter().chain(y).cloned().collect()),
            (Add, Object(x), Object(y)) => {
                let mut out = x.clone();
                for (k, v) in y {
                    match out.iter_mut().find(|(key, _)| key == k) {
                        Some(slot) => slot.1 = v.clone(),
                        None => out.push((k.clone(), v.clone())),
                    }
                }
                Object(out)
            }
            (Add | Sub | Mul | Div | Rem, Null, Null) => Null,
            (Add | Sub, Date(_), Null) | (Add | Sub, Null, Date(_)) => Null,
            _ => {
                return Err(format!(
                    "No implementation found for '{} {} {}'",
                    a.type_name(),
                    op.symbol(),
                    b.type_name()
                ));
            }
        };
        Ok(result)
    }
}

fn scale(d: Duration, k: f64) -> Duration {
    Duration {
        months: d.months * k,
        millis: d.millis * k,
    }
}

fn first_line(s: &str) -> &str {
    s.lines()
        .find(|l| l.trim_start().starts_with("error:"))
        .unwrap_or_else(|| s.lines().next().unwrap_or(s))
        .trim()
}

fn date_part(d: DateTime, unit: &str) -> QValue {
    let n = match unit {
        "year" => f64::from(d.year()),
        "month" => f64::from(d.month()),
        "weekyear" => f64::from(d.date().iso_week_date().week()),
        "week" => (f64::from(d.day()) / 7.0).floor() + 1.0,
        "weekday" => f64::from(d.weekday().to_monday_one_offset()),
        "day" => f64::from(d.day()),
        "hour" => f64::from(d.hour()),
        "minute" => f64::from(d.minute()),
        "second" => f64::from(d.second()),
        "millisecond" => f64::from(d.subsec_nanosecond() / 1_000_000),
        _ => return QValue::Null,
    };
    QValue::Number(n)
}

fn duration_part(d: Duration, unit: &str) -> QValue {
    let ms = d.approx_millis();
    let day = crate::value::MS_DAY;
    let n = match unit {
        "year" | "years" => d.months / 12.0 + d.millis / (365.0 * day),
        "month" | "months" => d.months + d.millis / (30.0 * day),
        "weeks" => ms / (7.0 * day),
        "day" | "days" => ms / day,
        "hour" | "hours" => ms / 3_600_000.0,
        "minute" | "minutes" => ms / 60_000.0,
        "second" | "seconds" => ms / 1000.0,
        "millisecond" | "milliseconds" => ms,
        _ => return QValue::Null,
    };
    QValue::Number(n)
}

/// A task as Dataview shows it (`file.tasks` items, TASK rows).
pub(crate) fn task_object(page: &Page, task: &TaskItem) -> Vec<(String, QValue)> {
    let completed = matches!(task.status, 'x' | 'X');
    vec![
        ("symbol".to_string(), QValue::text("-")),
        ("text".to_string(), QValue::Text(task.text.clone().into())),
        (
            "status".to_string(),
            QValue::Text(task.status.to_string().into()),
        ),
        ("checked".to_string(), QValue::Bool(task.status != ' ')),
        ("completed".to_string(), QValue::Bool(completed)),
        ("fullyCompleted".to_string(), QValue::Bool(completed)),
        ("line".to_string(), QValue::Number(f64::from(task.line))),
        ("path".to_string(), QValue::Text(page.path.clone().into())),
        (
            "link".to_string(),
            QValue::link(Link::file(page.path.clone())),
        ),
        (
            "section".to_string(),
            QValue::link(Link::file(page.path.clone())),
        ),
        ("task".to_string(), QValue::Bool(true)),
        ("annotated".to_string(), QValue::Bool(false)),
        ("real".to_string(), QValue::Bool(true)),
        ("tags".to_string(), QValue::List(Vec::new())),
        ("children".to_string(), QValue::List(Vec::new())),
    ]
}

fn task_field(page: &Page, task: &TaskItem, name: &str) -> Option<QValue> {
    task_object(page, task)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}
