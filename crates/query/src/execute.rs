//! Running a parsed query: FROM → rows, the data commands in order, then the TABLE columns /
//! LIST value / TASK items. Results are plain data ([`QueryResult`]).
//!
//! Row errors follow Dataview (`query/engine.ts`): a row whose expression fails is dropped and
//! reported as a warning; when every row of a step fails, the query fails.
//!
//! Dataview docs: "Data Commands" (FROM, WHERE, SORT, GROUP BY, FLATTEN, LIMIT; executed in
//! the order written), "Query Types" (TABLE, LIST, TASK, the File column, WITHOUT ID),
//! "Sources".

use std::borrow::Cow;
use std::sync::Arc;

use jiff::civil::DateTime;

use crate::ast::{Command, Expr, ExprKind, NamedExpr, Query, QueryKind, SortDirection, Source};
use crate::collation::{KeyArena, TextKey};
use crate::eval::{Context, Env, GroupRow, RowData};
use crate::parser::{QueryError, parse_query};
use crate::source::{NameRanks, QuerySource};
use crate::value::{Link, PageId, PageValue, QValue};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// How to run a query.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// The note holding the query (`this`, `[[]]`).
    pub this: Option<PageId>,
    /// The clock for `date(now)`, `date(today)`…; `None`: the system clock (UTC).
    pub now: Option<DateTime>,
}

/// One entry of a LIST result: the page (or group key) and the listed value.
#[derive(Clone, Debug, PartialEq)]
pub struct ListItem {
    /// `None` with `LIST WITHOUT ID`.
    pub id: Option<QValue>,
    /// `None` when the LIST has no expression.
    pub value: Option<QValue>,
}

/// One task of a TASK result.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskEntry {
    pub path: String,
    pub line: u32,
    pub status: char,
    pub text: String,
}

/// A TASK result group (`key` is `None` when the query has no GROUP BY).
#[derive(Clone, Debug, PartialEq)]
pub struct TaskGroup {
    pub key: Option<QValue>,
    pub tasks: Vec<TaskEntry>,
}

/// What a query returns, as plain values.
#[derive(Clone, Debug, PartialEq)]
pub enum QueryResult {
    Table {
        headers: Vec<String>,
        rows: Vec<Vec<QValue>>,
    },
    List {
        items: Vec<ListItem>,
    },
    Task {
        groups: Vec<TaskGroup>,
    },
}

impl QueryResult {
    /// Rows (table), items (list) or tasks (task).
    pub fn len(&self) -> usize {
        match self {
            QueryResult::Table { rows, .. } => rows.len(),
            QueryResult::List { items } => items.len(),
            QueryResult::Task { groups } => groups.iter().map(|g| g.tasks.len()).sum(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A result and the per-row problems met on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryOutput {
    pub result: QueryResult,
    /// `"WHERE: No implementation found for 'number + null'"`: rows dropped by errors.
    pub warnings: Vec<String>,
}

/// Parse and run a query.
pub fn query(
    text: &str,
    source: &dyn QuerySource,
    options: &RunOptions,
) -> Result<QueryOutput, QueryError> {
    let query = parse_query(text)?;
    run_query(&query, source, options)
}

/// A row's id: its page (shown as a link to it) or a group key.
#[derive(Clone)]
enum RowId {
    Page(PageId),
    Key(QValue),
    /// The key of the row's own [`RowData::Group`] (not copied).
    Group,
}

struct Row {
    id: RowId,
    data: RowData,
}

impl Row {
    /// The value of the id column.
    fn id_value(&self, ctx: &Context<'_>) -> QValue {
        match (&self.id, &self.data) {
            (RowId::Page(id), _) => ctx.source.page_link(*id).cloned().unwrap_or(QValue::Null),
            (RowId::Key(v), _) => ctx.materialize(v.clone(), 0),
            (RowId::Group, RowData::Group(group)) => ctx.materialize(group.key.clone(), 0),
            (RowId::Group, _) => QValue::Null,
        }
    }
}

/// Run a parsed query.
///
/// The run happens on a rayon worker (the calling thread waits): long steps go parallel
/// (see `in_parallel`), and between them the pool's idle workers keep looking for work
/// for a while; were the serial steps on the caller's own thread, those workers would take
/// cores from it on a small machine.
pub fn run_query(
    query: &Query,
    source: &dyn QuerySource,
    options: &RunOptions,
) -> Result<QueryOutput, QueryError> {
    rayon::scope(|_| run_on_this_thread(query, source, options))
}

fn run_on_this_thread(
    query: &Query,
    source: &dyn QuerySource,
    options: &RunOptions,
) -> Result<QueryOutput, QueryError> {
    let now = options
        .now
        .unwrap_or_else(|| jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now()));
    let ctx = Context::new(source, options.this, now);
    let folded = fold_query(&ctx, query);
    let query = &folded;
    let pages = match &query.source {
        Some(s) => resolve_source(&ctx, s)?,
        None => source.all_pages(),
    };
    let empty: Arc<[(Arc<str>, QValue)]> = Arc::new([]);
    let mut rows: Vec<Row> = Vec::with_capacity(pages.len());
    let is_task = matches!(query.kind, QueryKind::Task);
    for id in pages {
        let Some(page) = source.page(id) else {
            continue;
        };
        if is_task {
            for i in 0..page.tasks.len() {
                let data = RowData::Page(PageValue {
                    page: id,
                    task: Some(i as u32),
                    overrides: empty.clone(),
                });
                rows.push(Row {
                    id: RowId::Page(id),
                    data,
                });
            }
        } else {
            let data = RowData::Page(PageValue {
                page: id,
                task: None,
                overrides: empty.clone(),
            });
            rows.push(Row {
                id: RowId::Page(id),
                data,
            });
        }
    }

    let mut warnings = Vec::new();
    // The name of the id column: "File", or the GROUP BY names (innermost last).
    let mut id_names: Vec<String> = Vec::new();
    for command in &query.commands {
        rows = run_command(&ctx, command, rows, &mut warnings, &mut id_names)?;
    }

    let result = match &query.kind {
        QueryKind::Table {
            without_id,
            columns,
        } => {
            let mut headers = Vec::new();
            if !without_id {
                headers.push(
                    id_names
                        .last()
                        .cloned()
                        .unwrap_or_else(|| "File".to_string()),
                );
            }
            headers.extend(columns.iter().map(|c| c.name.clone()));
            let table = in_parallel(&ctx, &rows, |ctx, row| {
                let mut cells = Vec::with_capacity(columns.len() + 1);
                if !without_id {
                    cells.push(row.id_value(ctx));
                }
                for column in columns {
                    let v = ctx.eval(&column.expr, Env::row(&row.data))?;
                    cells.push(ctx.materialize(v, 0));
                }
                Ok(cells)
            });
            let mut out = Vec::with_capacity(rows.len());
            let mut errors = Vec::new();
            for cells in table {
                match cells {
                    Ok(cells) => out.push(cells),
                    Err(e) => errors.push(e),
                }
            }
            check_errors("TABLE", rows.len(), errors, &mut warnings)?;
            QueryResult::Table { headers, rows: out }
        }
        QueryKind::List { without_id, expr } => {
            let mut items = Vec::with_capacity(rows.len());
            let mut errors = Vec::new();
            for row in &rows {
                let value = match expr {
                    Some(e) => match ctx.eval(e, Env::row(&row.data)) {
                        Ok(v) => Some(ctx.materialize(v, 0)),
                        Err(err) => {
                            errors.push(err);
                            continue;
                        }
                    },
                    None => None,
                };
                let id = if *without_id && value.is_some() {
                    None
                } else {
                    Some(row.id_value(&ctx))
                };
                items.push(ListItem { id, value });
            }
            check_errors("LIST", rows.len(), errors, &mut warnings)?;
            QueryResult::List { items }
        }
        QueryKind::Task => {
            let mut groups = Vec::new();
            if id_names.is_empty() {
                let mut tasks = Vec::new();
                for row in &rows {
                    collect_tasks(&ctx, &row.data.clone().into_value(), &mut tasks);
                }
                groups.push(TaskGroup { key: None, tasks });
            } else {
                for row in &rows {
                    let mut tasks = Vec::new();
                    collect_tasks(&ctx, &row.data.clone().into_value(), &mut tasks);
                    groups.push(TaskGroup {
                        key: Some(row.id_value(&ctx)),
                        tasks,
                    });
                }
            }
            QueryResult::Task { groups }
        }
    };
    Ok(QueryOutput { result, warnings })
}

/// Rows a step hands to other threads only from this many on: below it, starting them
/// costs more than it saves.
const PARALLEL_ROWS: usize = 4096;

/// `step` over every row, in row order (see [`in_runs`]).
fn in_parallel<T: Send>(
    ctx: &Context<'_>,
    rows: &[Row],
    step: impl Fn(&Context<'_>, &Row) -> Result<T, String> + Sync,
) -> Vec<Result<T, String>> {
    let mut runs = in_runs(ctx, rows, |ctx, rows| {
        rows.iter().map(|row| step(ctx, row)).collect::<Vec<_>>()
    });
    if runs.len() == 1 {
        return runs.pop().unwrap_or_default();
    }
    runs.into_iter().flatten().collect()
}

/// [`in_parallel`] for a yes/no step: one flag per row (a failed row is `false`) and the
/// errors in row order.
fn keep_flags(
    ctx: &Context<'_>,
    rows: &[Row],
    step: impl Fn(&Context<'_>, &Row) -> Result<bool, String> + Sync,
) -> (Vec<bool>, Vec<String>) {
    let mut runs = in_runs(ctx, rows, |ctx, rows| {
        let mut flags = Vec::with_capacity(rows.len());
        let mut errors = Vec::new();
        for row in rows {
            match step(ctx, row) {
                Ok(keep) => flags.push(keep),
                Err(e) => {
                    flags.push(false);
                    errors.push(e);
                }
            }
        }
        (flags, errors)
    });
    if runs.len() == 1 {
        return runs.pop().unwrap_or_default();
    }
    let mut flags = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for (f, e) in runs {
        flags.extend(f);
        errors.extend(e);
    }
    (flags, errors)
}

/// `run` over consecutive runs of `rows`, in order: the whole list at once, or, for a long
/// list of page rows, one run per thread, each with its own [`Context::fork`]; a page row's
/// work is mostly waiting for its page to come from memory, which several cores do side by
/// side.
fn in_runs<R: Send>(
    ctx: &Context<'_>,
    rows: &[Row],
    run: impl Fn(&Context<'_>, &[Row]) -> R + Sync,
) -> Vec<R> {
    let threads = rayon::current_num_threads();
    // Only page rows: a group row holds the rows it groups, which every thread would share.
    let pages = rows.iter().all(|r| matches!(r.data, RowData::Page(_)));
    if rows.len() < PARALLEL_ROWS || threads < 2 || !pages {
        return vec![run(ctx, rows)];
    }
    let chunk = rows.len().div_ceil(threads);
    let forks: Vec<Context<'_>> = rows.chunks(chunk).map(|_| ctx.fork()).collect();
    rows.par_chunks(chunk)
        .zip(forks)
        .map(|(rows, ctx)| run(&ctx, rows))
        .collect()
}

fn collect_tasks(ctx: &Context<'_>, value: &QValue, out: &mut Vec<TaskEntry>) {
    match value {
        QValue::Page(pv) => {
            if let (Some(page), Some(i)) = (ctx.source.page(pv.page), pv.task)
                && let Some(task) = page.tasks.get(i as usize)
            {
                out.push(TaskEntry {
                    path: page.path.clone(),
                    line: task.line,
                    status: task.status,
                    text: task.text.clone(),
                });
            }
        }
        QValue::Object(fields) => {
            if let Some((_, rows)) = fields.iter().find(|(k, _)| k == "rows") {
                collect_tasks(ctx, rows, out);
            }
        }
        QValue::List(items) => items.iter().for_each(|v| collect_tasks(ctx, v, out)),
        _ => {}
    }
}

fn check_errors(
    step: &str,
    incoming: usize,
    errors: Vec<String>,
    warnings: &mut Vec<String>,
) -> Result<(), QueryError> {
    if errors.is_empty() {
        return Ok(());
    }
    if errors.len() >= incoming && incoming > 0 {
        let first: Vec<String> = errors.iter().take(3).map(|e| format!("- {e}")).collect();
        return Err(QueryError::eval(format!(
            "every row failed during {step} with an error; first {}:\n{}",
            first.len(),
            first.join("\n")
        )));
    }
    let mut seen: Vec<&String> = Vec::new();
    for e in &errors {
        if !seen.contains(&e) {
            seen.push(e);
        }
    }
    for e in seen.into_iter().take(3) {
        warnings.push(format!(
            "{step}: {e} ({} row(s) dropped)",
            errors.iter().filter(|x| *x == e).count()
        ));
    }
    Ok(())
}

fn run_command(
    ctx: &Context<'_>,
    command: &Command,
    rows: Vec<Row>,
    warnings: &mut Vec<String>,
    id_names: &mut Vec<String>,
) -> Result<Vec<Row>, QueryError> {
    let incoming = rows.len();
    let mut errors = Vec::new();
    let (name, out) = match command {
        Command::Where(expr) => {
            // Borrowed: a WHERE only asks whether the value is truthy. One flag per row (not
            // a `Result` each), then the rows are filtered where they lie: at tens of
            // thousands of rows, fresh vectors cost page faults as well as copies.
            let (keep, failed) =
                keep_flags(ctx, &rows, |ctx, row| ctx.truthy(expr, Env::row(&row.data)));
            errors = failed;
            let mut rows = rows;
            let mut flags = keep.iter();
            rows.retain(|_| flags.next().copied().unwrap_or(false));
            ("WHERE", rows)
        }
        Command::Sort(fields) => {
            match sort_by_name_rank(ctx, fields, &rows) {
                Some(None) => return Ok(rows),
                Some(Some(order)) => {
                    let mut slots: Vec<Option<Row>> = rows.into_iter().map(Some).collect();
                    return Ok(order.into_iter().filter_map(|k| slots[k].take()).collect());
                }
                None => {}
            }
            // Keys are computed once per row, borrowed from the rows and pages where they can
            // be (`n` per row, flat); the sort orders row positions, then moves the rows.
            let n = fields.len();
            let mut keys: Vec<SortKey<'_>> = Vec::with_capacity(rows.len() * n);
            let mut arena = KeyArena::new();
            let mut kept: Vec<usize> = Vec::with_capacity(rows.len());
            // `SORT file.name` of page rows: the source's name ranks, when it has them.
            let ranks = ctx.source.name_ranks();
            let by_name: Vec<bool> = fields.iter().map(|(e, _)| is_file_name(e)).collect();
            'rows: for (position, row) in rows.iter().enumerate() {
                let start = keys.len();
                for (i, (expr, _)) in fields.iter().enumerate() {
                    if by_name[i]
                        && let Some(key) = ranks.and_then(|r| SortKey::page_name(r, &row.data))
                    {
                        keys.push(key);
                        continue;
                    }
                    match ctx.eval_ref(expr, Env::row(&row.data)) {
                        // `SORT file`: compare the file objects, built once per row.
                        Ok(v) => match *v {
                            QValue::File(id) => {
                                let key = Cow::Owned(ctx.file_sort_key(id));
                                keys.push(SortKey::new(ctx, key, &mut arena))
                            }
                            _ => keys.push(SortKey::new(ctx, v, &mut arena)),
                        },
                        Err(e) => {
                            errors.push(e);
                            keys.truncate(start);
                            continue 'rows;
                        }
                    }
                }
                kept.push(position);
            }
            // (A lone `SORT file.name` of page rows never gets here: `sort_by_name_rank`.)
            let mut order: Vec<usize> = (0..kept.len()).collect();
            order.sort_by(|&a, &b| {
                let (a, b) = (&keys[a * n..a * n + n], &keys[b * n..b * n + n]);
                for (i, (_, dir)) in fields.iter().enumerate() {
                    let c = a[i].compare(ctx, &b[i], &arena);
                    let c = if *dir == SortDirection::Descending {
                        c.reverse()
                    } else {
                        c
                    };
                    if c != std::cmp::Ordering::Equal {
                        return c;
                    }
                }
                std::cmp::Ordering::Equal
            });
            drop(keys);
            let mut slots: Vec<Option<Row>> = rows.into_iter().map(Some).collect();
            let sorted = order
                .into_iter()
                .filter_map(|k| slots[kept[k]].take())
                .collect();
            ("SORT", sorted)
        }
        Command::Limit(expr) => {
            let amount = ctx.eval(expr, Env::empty()).map_err(|e| {
                QueryError::eval(format!("Failed to execute 'limit' statement: {e}"))
            })?;
            let QValue::Number(n) = amount else {
                return Err(QueryError::eval(format!(
                    "Failed to execute 'limit' statement: limit should be a number, but got '{}'",
                    amount.type_name()
                )));
            };
            let mut rows = rows;
            rows.truncate(n.max(0.0) as usize);
            ("LIMIT", rows)
        }
        Command::GroupBy(NamedExpr { name, expr }) => {
            let groups = group_rows(ctx, expr, rows, &mut errors);
            let name: Arc<str> = Arc::from(name.as_str());
            let out = groups
                .into_iter()
                .map(|(key, members)| Row {
                    id: RowId::Group,
                    data: RowData::Group(Box::new(GroupRow {
                        key,
                        rows: QValue::List(members),
                        name: name.clone(),
                    })),
                })
                .collect();
            id_names.push(name.to_string());
            ("GROUP BY", out)
        }
        Command::Flatten(NamedExpr { name, expr }) => {
            let shared: Arc<str> = Arc::from(name.as_str());
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let value = match ctx.eval_ref(expr, Env::row(&row.data)) {
                    Ok(v) => v,
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                };
                // Each item becomes a row's own value (a borrowed list is cloned item by item).
                match value {
                    Cow::Owned(QValue::List(items)) => {
                        out.extend(items.into_iter().map(|v| flatten_row(&row, &shared, v)))
                    }
                    Cow::Borrowed(QValue::List(items)) => {
                        out.extend(items.iter().map(|v| flatten_row(&row, &shared, v.clone())))
                    }
                    other => out.push(flatten_row(&row, &shared, other.into_owned())),
                }
            }
            if id_names.last() == Some(name) {
                id_names.pop();
            }
            ("FLATTEN", out)
        }
    };
    check_errors(name, incoming, errors, warnings)?;
    Ok(out)
}

/// `SORT file.name [ASC|DESC]` over page rows whose `file` is their own page: the order of
/// the rows from the source's name ranks alone (`Some(None)`: already in order), without a
/// sort key per row. `None`: not that shape, so the general sort runs. Equal ranks keep
/// their order, as the general (stable) sort does.
fn sort_by_name_rank(
    ctx: &Context<'_>,
    fields: &[(Expr, SortDirection)],
    rows: &[Row],
) -> Option<Option<Vec<usize>>> {
    let [(expr, dir)] = fields else {
        return None;
    };
    let ranks = ctx.source.name_ranks()?;
    if !is_file_name(expr) {
        return None;
    }
    let mut packed: Vec<u64> = Vec::with_capacity(rows.len());
    for (k, row) in rows.iter().enumerate() {
        let RowData::Page(pv) = &row.data else {
            return None;
        };
        if pv.overrides.iter().any(|(k, _)| &**k == "file") {
            return None;
        }
        let rank = ranks.get(pv.page)?;
        let rank = match dir {
            SortDirection::Ascending => rank,
            SortDirection::Descending => u32::MAX - rank,
        };
        packed.push((u64::from(rank) << 32) | k as u64);
    }
    if packed.is_sorted() {
        return Some(None);
    }
    packed.sort_unstable();
    Some(Some(
        packed
            .iter()
            .map(|p| (p & u64::from(u32::MAX)) as usize)
            .collect(),
    ))
}

/// One row of a FLATTEN: `row` with `name` set to `value`.
fn flatten_row(row: &Row, name: &Arc<str>, value: QValue) -> Row {
    let (id, data) = match &row.data {
        RowData::Page(pv) => {
            let overrides: Arc<[(Arc<str>, QValue)]> = if pv.overrides.is_empty() {
                Arc::new([(name.clone(), value)])
            } else {
                pv.overrides
                    .iter()
                    .filter(|(k, _)| k != name)
                    .cloned()
                    .chain(std::iter::once((name.clone(), value)))
                    .collect()
            };
            let data = RowData::Page(PageValue {
                page: pv.page,
                task: pv.task,
                overrides,
            });
            (row.id.clone(), data)
        }
        RowData::Object(fields) => (
            row.id.clone(),
            RowData::Object(with_field(fields.clone(), name, value)),
        ),
        RowData::Group(group) => {
            let id = match &row.id {
                RowId::Group => RowId::Key(group.key.clone()),
                other => other.clone(),
            };
            let fields = GroupRow::clone(group).into_fields();
            (id, RowData::Object(with_field(fields, name, value)))
        }
    };
    Row { id, data }
}

/// `fields` with `name` set to `value` (in its place, or added last).
fn with_field(
    mut fields: Vec<(String, QValue)>,
    name: &str,
    value: QValue,
) -> Vec<(String, QValue)> {
    match fields.iter_mut().find(|(k, _)| k == name) {
        Some(slot) => slot.1 = value,
        None => fields.push((name.to_string(), value)),
    }
    fields
}

/// A value to sort by, with the primary collation weights of its text (or of a link's
/// resolved path) computed once instead of on every comparison.
/// The weights live in the sort's [`KeyArena`]; `kind` says whether the value is a text or
/// a link, so comparing two keys does not read the values unless their weights tie.
struct SortKey<'x> {
    value: Cow<'x, QValue>,
    text: Option<(TextKind, TextKey)>,
    /// `file.name` of a page row, as its rank in the source's [`NameRanks`] and the page
    /// (`value` is then null and unused: the name is read only to compare with a key that
    /// has no rank).
    name: Option<(u32, PageId)>,
}

/// Whether `expr` is `file.name` (or `file["name"]`).
pub(crate) fn is_file_name(expr: &Expr) -> bool {
    matches!(&expr.kind, ExprKind::Index(object, index)
        if matches!(&object.kind, ExprKind::Variable(v) if v == "file")
            && matches!(&index.kind, ExprKind::Literal(QValue::Text(k)) if &**k == "name"))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TextKind {
    Text,
    Link,
}

impl<'x> SortKey<'x> {
    fn new(ctx: &Context<'_>, value: Cow<'x, QValue>, arena: &mut KeyArena) -> SortKey<'x> {
        let text = match &*value {
            QValue::Text(t) => Some((TextKind::Text, arena.push(t))),
            QValue::Link(l) => Some((TextKind::Link, arena.push(&ctx.normalize_link(&l.path)))),
            _ => None,
        };
        SortKey {
            value,
            text,
            name: None,
        }
    }

    /// The key of `file.name` for a page row whose `file` is its page's (no FLATTEN or
    /// GROUP BY name `file` over it): the name's rank. `None` for other rows.
    fn page_name(ranks: &NameRanks, row: &RowData) -> Option<SortKey<'x>> {
        let RowData::Page(pv) = row else {
            return None;
        };
        if pv.overrides.iter().any(|(k, _)| &**k == "file") {
            return None;
        }
        Some(SortKey {
            value: Cow::Owned(QValue::Null),
            text: None,
            name: Some((ranks.get(pv.page)?, pv.page)),
        })
    }

    /// The value sorted by (a ranked name is read from its page).
    fn value<'v>(&'v self, ctx: &'v Context<'_>) -> Cow<'v, QValue> {
        match self.name {
            Some((_, page)) => ctx
                .source
                .page_name(page)
                .map_or(Cow::Owned(QValue::Null), Cow::Borrowed),
            None => Cow::Borrowed(&*self.value),
        }
    }

    /// The same order as [`Context::compare`] of the values.
    fn compare(
        &self,
        ctx: &Context<'_>,
        other: &SortKey<'_>,
        arena: &KeyArena,
    ) -> std::cmp::Ordering {
        match (self.name, other.name) {
            // Ranks order names exactly as comparing them would.
            (Some((a, _)), Some((b, _))) => return a.cmp(&b),
            (None, None) => {}
            _ => return ctx.compare(&self.value(ctx), &other.value(ctx)),
        }
        if let (Some((ka, a)), Some((kb, b))) = (self.text, other.text)
            && ka == kb
        {
            let c = arena.compare(a, b);
            if c != std::cmp::Ordering::Equal {
                return c;
            }
        }
        ctx.compare(&self.value, &other.value)
    }
}

/// A group key that can be hashed: the common, simple keys, borrowed from the rows where
/// they can be. Other keys (lists, objects, durations) are grouped by sorting.
#[derive(PartialEq, Eq, Hash)]
enum HashKey<'x> {
    Null,
    Bool(bool),
    Number(u64),
    Text(Cow<'x, str>),
    Date(jiff::civil::DateTime),
    Link(Cow<'x, str>, &'static str, Option<Cow<'x, str>>),
}

/// Keys are hashed as written: two keys that differ here but compare equal (a link written
/// `Joy` and one resolved to `ME/Joy.md`, texts differing by an ignorable character) land in
/// different buckets, which the sort then puts side by side and merges.
fn hash_key(key: &QValue) -> Option<HashKey<'_>> {
    Some(match key {
        QValue::Null => HashKey::Null,
        QValue::Bool(b) => HashKey::Bool(*b),
        QValue::Number(n) if !n.is_nan() => {
            HashKey::Number(if *n == 0.0 { 0 } else { n.to_bits() })
        }
        QValue::Text(t) => HashKey::Text(Cow::Borrowed(t)),
        QValue::Date(d) => HashKey::Date(*d),
        QValue::Link(l) => HashKey::Link(
            Cow::Borrowed(&l.path),
            l.kind.as_str(),
            l.subpath.as_deref().map(Cow::Borrowed),
        ),
        _ => return None,
    })
}

impl HashKey<'_> {
    fn into_owned(self) -> HashKey<'static> {
        let own = |c: Cow<'_, str>| Cow::Owned(c.into_owned());
        match self {
            HashKey::Null => HashKey::Null,
            HashKey::Bool(b) => HashKey::Bool(b),
            HashKey::Number(n) => HashKey::Number(n),
            HashKey::Text(t) => HashKey::Text(own(t)),
            HashKey::Date(d) => HashKey::Date(d),
            HashKey::Link(p, k, s) => HashKey::Link(own(p), k, s.map(own)),
        }
    }
}

/// GROUP BY: groups in key order, members in their incoming order (Dataview sorts rows by
/// key, stably, then merges equal neighbours). Keys are read borrowed; simple keys are
/// bucketed by hash, so only the distinct keys are cloned and sorted. A row whose key fails
/// is dropped with its error.
fn group_rows(
    ctx: &Context<'_>,
    expr: &crate::ast::Expr,
    rows: Vec<Row>,
    errors: &mut Vec<String>,
) -> Vec<(QValue, Vec<QValue>)> {
    // Each bucket: its key and the position of its first row.
    let mut buckets: Vec<(SortKey<'static>, usize)> = Vec::new();
    let mut bucket_of: Vec<Option<usize>> = Vec::with_capacity(rows.len());
    let mut arena = KeyArena::new();
    {
        let mut index: FxHashMap<HashKey<'_>, usize> = FxHashMap::default();
        for (position, row) in rows.iter().enumerate() {
            let key = match ctx.eval_ref(expr, Env::row(&row.data)) {
                Ok(key) => key,
                Err(e) => {
                    errors.push(e);
                    bucket_of.push(None);
                    continue;
                }
            };
            let hashed = match &key {
                Cow::Borrowed(k) => hash_key(k),
                Cow::Owned(k) => hash_key(k).map(HashKey::into_owned),
            };
            let bucket = match hashed {
                Some(h) => match index.get(&h) {
                    Some(&b) => b,
                    None => {
                        index.insert(h, buckets.len());
                        buckets.len()
                    }
                },
                None => buckets.len(),
            };
            if bucket == buckets.len() {
                let owned = Cow::Owned(key.into_owned());
                buckets.push((SortKey::new(ctx, owned, &mut arena), position));
            }
            bucket_of.push(Some(bucket));
        }
    }
    let mut order: Vec<usize> = (0..buckets.len()).collect();
    order.sort_by(|&a, &b| {
        let ((ka, pa), (kb, pb)) = (&buckets[a], &buckets[b]);
        ka.compare(ctx, kb, &arena).then(pa.cmp(pb))
    });
    // Merge equal neighbours into groups.
    let mut group_of_bucket: Vec<usize> = vec![0; buckets.len()];
    let mut leaders: Vec<usize> = Vec::new();
    for &b in &order {
        match leaders.last() {
            Some(&leader)
                if buckets[leader].0.compare(ctx, &buckets[b].0, &arena)
                    == std::cmp::Ordering::Equal => {}
            _ => leaders.push(b),
        }
        group_of_bucket[b] = leaders.len() - 1;
    }
    let mut sizes: Vec<usize> = vec![0; leaders.len()];
    for b in bucket_of.iter().flatten() {
        sizes[group_of_bucket[*b]] += 1;
    }
    let mut members: Vec<Vec<QValue>> = sizes.into_iter().map(Vec::with_capacity).collect();
    for (row, bucket) in rows.into_iter().zip(bucket_of) {
        if let Some(b) = bucket {
            members[group_of_bucket[b]].push(row.data.into_value());
        }
    }
    let mut keys: Vec<Option<SortKey<'static>>> =
        buckets.into_iter().map(|(k, _)| Some(k)).collect();
    leaders
        .into_iter()
        .zip(members)
        .map(|(leader, members)| {
            let key = keys[leader]
                .take()
                .map_or(QValue::Null, |k| k.value.into_owned());
            (key, members)
        })
        .collect()
}

/// The query with its row-independent parts computed once: `this.field` (and anything built
/// only from it, literals and the clock) becomes a literal where every row would read the
/// same value, that is when no row can have a field named `this`: the source's key table
/// knows no page has one, and no FLATTEN or GROUP BY before the command introduces one.
/// A part that fails to evaluate is left as written, so its error still drops each row.
fn fold_query(ctx: &Context<'_>, query: &Query) -> Query {
    let mut query = query.clone();
    let mut this_plain = ctx.no_page_has("this");
    for command in &mut query.commands {
        match command {
            Command::Where(expr) | Command::Limit(expr) => fold(ctx, expr, this_plain),
            Command::Sort(fields) => fields
                .iter_mut()
                .for_each(|(expr, _)| fold(ctx, expr, this_plain)),
            Command::GroupBy(NamedExpr { name, expr })
            | Command::Flatten(NamedExpr { name, expr }) => {
                fold(ctx, expr, this_plain);
                this_plain &= name != "this";
            }
        }
    }
    match &mut query.kind {
        QueryKind::Table { columns, .. } => columns
            .iter_mut()
            .for_each(|c| fold(ctx, &mut c.expr, this_plain)),
        QueryKind::List {
            expr: Some(expr), ..
        } => fold(ctx, expr, this_plain),
        QueryKind::List { expr: None, .. } | QueryKind::Task => {}
    }
    query
}

/// Whether `expr` has the same value on every row (see [`fold_query`]).
fn row_independent(expr: &Expr, this_plain: bool) -> bool {
    match &expr.kind {
        ExprKind::Literal(_) | ExprKind::DateShorthand(_) => true,
        ExprKind::Variable(name) => this_plain && name == "this",
        ExprKind::List(items) => items.iter().all(|e| row_independent(e, this_plain)),
        ExprKind::Object(fields) => fields.iter().all(|(_, e)| row_independent(e, this_plain)),
        ExprKind::Negate(e) => row_independent(e, this_plain),
        ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => {
            row_independent(a, this_plain) && row_independent(b, this_plain)
        }
        ExprKind::Call(_, args) => args.iter().all(|e| row_independent(e, this_plain)),
        // Lambdas bind names that may shadow `this`.
        ExprKind::CallValue(..) | ExprKind::Lambda(..) => false,
    }
}

fn fold(ctx: &Context<'_>, expr: &mut Expr, this_plain: bool) {
    if matches!(expr.kind, ExprKind::Literal(_)) {
        return;
    }
    if row_independent(expr, this_plain)
        && let Ok(value) = ctx.eval(expr, Env::empty())
        // Lazy page views stay expressions (cheap to build, and never literals elsewhere).
        && !matches!(value, QValue::Page(_) | QValue::File(_))
    {
        expr.kind = ExprKind::Literal(value);
        return;
    }
    match &mut expr.kind {
        ExprKind::List(items) | ExprKind::Call(_, items) => {
            items.iter_mut().for_each(|e| fold(ctx, e, this_plain))
        }
        ExprKind::Object(fields) => fields
            .iter_mut()
            .for_each(|(_, e)| fold(ctx, e, this_plain)),
        ExprKind::Negate(e) => fold(ctx, e, this_plain),
        ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => {
            fold(ctx, a, this_plain);
            fold(ctx, b, this_plain);
        }
        ExprKind::Literal(_)
        | ExprKind::DateShorthand(_)
        | ExprKind::Variable(_)
        | ExprKind::CallValue(..)
        | ExprKind::Lambda(..) => {}
    }
}

/// Pages matching a FROM source, in id order without duplicates.
fn resolve_source(ctx: &Context<'_>, source: &Source) -> Result<Vec<PageId>, QueryError> {
    let src = ctx.source;
    let mut ids = match source {
        Source::Folder(folder) => {
            let folder = folder.trim_end_matches('/');
            let under = src.pages_in_folder(folder);
            if !under.is_empty() || folder.is_empty() {
                under
            } else if let Some(id) = src
                .page_by_path(folder)
                .or_else(|| src.page_by_path(&format!("{folder}.md")))
            {
                vec![id]
            } else {
                Vec::new()
            }
        }
        Source::Tag(tag) => src.pages_with_tag(tag),
        Source::LinksTo(link) => match link_target(ctx, link) {
            Some(target) => src.inlinks(target),
            None => {
                // A dangling link: pages whose links name it as written.
                let wanted = link.path.to_lowercase();
                src.all_pages()
                    .into_iter()
                    .filter(|id| {
                        src.page(*id).is_some_and(|p| {
                            p.outlinks.iter().any(|l| l.path.to_lowercase() == wanted)
                        })
                    })
                    .collect()
            }
        },
        Source::LinksFrom(link) => {
            let Some(target) = link_target(ctx, link) else {
                return Err(QueryError::eval(format!(
                    "Could not find file \"{}\" during link lookup - does it exist?",
                    link.path
                )));
            };
            let page = src
                .page(target)
                .map(|p| p.outlinks.clone())
                .unwrap_or_default();
            page.iter()
                .filter_map(|l| src.resolve_link(Some(target), &l.path))
                .collect()
        }
        Source::And(a, b) => {
            let left = resolve_source(ctx, a)?;
            let right = resolve_source(ctx, b)?;
            left.into_iter()
                .filter(|id| right.binary_search(id).is_ok())
                .collect()
        }
        Source::Or(a, b) => {
            let mut all = resolve_source(ctx, a)?;
            all.extend(resolve_source(ctx, b)?);
            all
        }
        Source::Not(inner) => {
            let excluded = resolve_source(ctx, inner)?;
            src.all_pages()
                .into_iter()
                .filter(|id| excluded.binary_search(id).is_err())
                .collect()
        }
    };
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// The page a source link means: `[[]]` and `[[#…]]` are the query's own note.
fn link_target(ctx: &Context<'_>, link: &Link) -> Option<PageId> {
    if link.path.is_empty() {
        return ctx.this;
    }
    ctx.source.resolve_link(ctx.this, &link.path)
}
