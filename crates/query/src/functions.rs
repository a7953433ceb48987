//! Dataview's function library: argument-type dispatch, vectorisation over lists where
//! Dataview vectorises, lambdas for `filter`/`map`/`any`/…, null handling per function.
//!
//! Dataview docs: "Functions" (Constructors, Numeric Operations, Objects/Arrays/Strings,
//! String Operations, Utility Functions). Source: `expression/functions.ts`.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::ast::{BinaryOp, Expr, ExprKind};
use crate::eval::{Context, Env, EvalResult, RefResult};
use crate::time::{
    date_shorthand, format_date, number_prefix, parse_date, parse_date_with_format, parse_duration,
};
use crate::value::{Link, QValue, format_number};

macro_rules! functions {
    ($($variant:ident => $name:literal),* $(,)?) => {
        /// A built-in function, resolved when the query is parsed.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Function { $($variant),* }

        impl Function {
            pub const ALL: &'static [Function] = &[$(Function::$variant),*];

            pub fn name(self) -> &'static str {
                match self { $(Function::$variant => $name),* }
            }

            /// Look a function up by name (any case).
            pub fn from_name(name: &str) -> Option<Function> {
                let lower = name.to_lowercase();
                match lower.as_str() { $($name => Some(Function::$variant),)* _ => None }
            }
        }
    };
}

functions! {
    Object => "object", List => "list", Array => "array", Date => "date", Dur => "dur",
    Number => "number", String => "string", Link => "link", Embed => "embed", Elink => "elink",
    Typeof => "typeof", Round => "round", Trunc => "trunc", Floor => "floor", Ceil => "ceil",
    Min => "min", Max => "max", Sum => "sum", Product => "product", Average => "average",
    Minby => "minby", Maxby => "maxby", Contains => "contains", Icontains => "icontains",
    Econtains => "econtains", Containsword => "containsword", Extract => "extract", Sort => "sort",
    Reverse => "reverse", Length => "length", Nonnull => "nonnull", Firstvalue => "firstvalue",
    All => "all", Any => "any", None => "none", Join => "join", Filter => "filter", Map => "map",
    Flat => "flat", Slice => "slice", Unique => "unique", Reduce => "reduce",
    Regextest => "regextest", Regexmatch => "regexmatch", Regexreplace => "regexreplace",
    Replace => "replace", Lower => "lower", Upper => "upper", Split => "split",
    Startswith => "startswith", Endswith => "endswith", Padleft => "padleft", Padright => "padright",
    Substring => "substring", Truncate => "truncate", Default => "default", Ldefault => "ldefault",
    Display => "display", Choice => "choice", Striptime => "striptime", Dateformat => "dateformat",
    Durationformat => "durationformat", Localtime => "localtime", Meta => "meta",
}

/// A function argument: a value, or a lambda (only functions taking one accept it).
enum Arg<'e> {
    /// Borrowed when the argument is a field read or a literal.
    Value(Cow<'e, QValue>),
    Lambda(&'e [String], &'e Expr),
}

type Fx<'c> = dyn Fn(&[QValue]) -> EvalResult + 'c;

/// Dataview's vectorisation: when an argument at one of `positions` is a list, call the
/// function per element (up to the shortest such list) and return the list of results.
fn vectorize(args: &[QValue], positions: &[usize], f: &Fx<'_>) -> EvalResult {
    let lists: Vec<usize> = positions
        .iter()
        .copied()
        .filter(|p| matches!(args.get(*p), Some(QValue::List(_))))
        .collect();
    if lists.is_empty() {
        return f(args);
    }
    let len = lists
        .iter()
        .map(|p| match &args[*p] {
            QValue::List(items) => items.len(),
            _ => 0,
        })
        .min()
        .unwrap_or(0);
    let mut out = Vec::with_capacity(len);
    for i in 0..len {
        let sub: Vec<QValue> = args
            .iter()
            .enumerate()
            .map(|(j, a)| match a {
                QValue::List(items) if lists.contains(&j) => items[i].clone(),
                other => other.clone(),
            })
            .collect();
        out.push(vectorize(&sub, positions, f)?);
    }
    Ok(QValue::List(out))
}

fn no_impl(name: &str, args: &[QValue]) -> String {
    let types: Vec<&str> = args.iter().map(QValue::type_name).collect();
    format!(
        "No implementation of '{name}' found for arguments: {}",
        types.join(", ")
    )
}

pub(crate) fn call<'x>(
    ctx: &'x Context<'_>,
    env: Env<'x>,
    func: Function,
    exprs: &'x [Expr],
) -> RefResult<'x> {
    call_args(ctx, env, func, exprs).map(Cow::Owned)
}

/// `contains`, `icontains` or `econtains` of two plain arguments, as a yes/no answer
/// without an argument list (a needle that is a list yields its value: the function
/// answers per item). `None`: another function or shape, for the general path.
pub(crate) fn contains_call(
    ctx: &Context<'_>,
    env: Env<'_>,
    func: Function,
    exprs: &[Expr],
) -> Option<EvalResult> {
    let is_lambda = |e: &Expr| matches!(e.kind, ExprKind::Lambda(..));
    let (Function::Contains | Function::Icontains | Function::Econtains, [h, n]) = (func, exprs)
    else {
        return None;
    };
    if is_lambda(h) || is_lambda(n) {
        return None;
    }
    Some(contains_of(ctx, env, func, h, n))
}

/// The value of a `contains`-family call on `hay` and `needle` (see [`contains_call`]).
fn contains_of(
    ctx: &Context<'_>,
    env: Env<'_>,
    func: Function,
    hay: &Expr,
    needle: &Expr,
) -> EvalResult {
    let hay = ctx.eval_ref(hay, env)?;
    let needle = ctx.eval_ref(needle, env)?;
    if !matches!(*needle, QValue::List(_)) {
        return contains(ctx, func, &hay, &needle).map(QValue::Bool);
    }
    call_values(ctx, func, &[hay.into_owned(), needle.into_owned()])
}

fn call_args<'x>(
    ctx: &'x Context<'_>,
    env: Env<'x>,
    func: Function,
    exprs: &'x [Expr],
) -> EvalResult {
    // The calls a WHERE makes on every row, without an argument list: the same answers as
    // the general path below.
    let is_lambda = |e: &Expr| matches!(e.kind, ExprKind::Lambda(..));
    if let Some(found) = contains_call(ctx, env, func, exprs) {
        return found;
    }
    match (func, exprs) {
        (Function::Length, [e]) if !is_lambda(e) => {
            let value = ctx.eval_ref(e, env)?;
            return match &*value {
                QValue::List(items) => Ok(QValue::Number(items.len() as f64)),
                QValue::Object(fields) => Ok(QValue::Number(fields.len() as f64)),
                _ => call_values(ctx, func, &[value.into_owned()]),
            };
        }
        _ => {}
    }
    let mut args = Vec::with_capacity(exprs.len());
    for e in exprs {
        match &e.kind {
            ExprKind::Lambda(params, body) => args.push(Arg::Lambda(params, body)),
            _ => args.push(Arg::Value(ctx.eval_ref(e, env)?)),
        }
    }
    // Higher-order functions take a lambda as their second argument.
    if let [Arg::Value(first), Arg::Lambda(params, body), ..] = args.as_slice() {
        let apply = |v: &QValue| ctx.apply_lambda(params, body, env, std::slice::from_ref(v));
        return higher_order(ctx, func, first, &apply);
    }
    let mut values = Vec::with_capacity(args.len());
    for a in args {
        match a {
            Arg::Value(v) => values.push(v.into_owned()),
            Arg::Lambda(..) => {
                return Err(format!("'{}' does not take a function here", func.name()));
            }
        }
    }
    call_values(ctx, func, &values)
}

fn higher_order(
    ctx: &Context<'_>,
    func: Function,
    first: &QValue,
    apply: &dyn Fn(&QValue) -> EvalResult,
) -> EvalResult {
    let name = func.name();
    let items = match first {
        QValue::List(items) => items,
        QValue::Null
            if matches!(
                func,
                Function::Filter
                    | Function::Map
                    | Function::Minby
                    | Function::Maxby
                    | Function::Reduce
            ) =>
        {
            return Ok(QValue::Null);
        }
        other => {
            return Err(format!(
                "No implementation of '{name}' found for arguments: {}, function",
                other.type_name()
            ));
        }
    };
    match func {
        Function::Filter => {
            let mut out = Vec::new();
            for v in items {
                if apply(v)?.is_truthy() {
                    out.push(v.clone());
                }
            }
            Ok(QValue::List(out))
        }
        Function::Map => items
            .iter()
            .map(apply)
            .collect::<Result<Vec<_>, _>>()
            .map(QValue::List),
        Function::Any => {
            for v in items {
                if apply(v)?.is_truthy() {
                    return Ok(QValue::Bool(true));
                }
            }
            Ok(QValue::Bool(false))
        }
        Function::All => {
            for v in items {
                if !apply(v)?.is_truthy() {
                    return Ok(QValue::Bool(false));
                }
            }
            Ok(QValue::Bool(true))
        }
        Function::None => {
            for v in items {
                if apply(v)?.is_truthy() {
                    return Ok(QValue::Bool(false));
                }
            }
            Ok(QValue::Bool(true))
        }
        Function::Sort => {
            let keys = items.iter().map(apply).collect::<Result<Vec<_>, _>>()?;
            let mut order: Vec<usize> = (0..items.len()).collect();
            order.sort_by(|a, b| ctx.compare(&keys[*a], &keys[*b]));
            Ok(QValue::List(
                order.into_iter().map(|i| items[i].clone()).collect(),
            ))
        }
        Function::Minby | Function::Maxby => {
            if items.is_empty() {
                return Ok(QValue::Null);
            }
            let mut best: Option<(QValue, &QValue)> = None;
            for v in items {
                let key = apply(v)?;
                if key.is_null() {
                    continue;
                }
                best = match best {
                    None => Some((key, v)),
                    Some((bk, bv)) => {
                        let c = ctx.compare(&bk, &key);
                        let keep = if func == Function::Minby {
                            c != Ordering::Greater
                        } else {
                            c == Ordering::Greater
                        };
                        if keep { Some((bk, bv)) } else { Some((key, v)) }
                    }
                };
            }
            Ok(best.map_or_else(|| items[0].clone(), |(_, v)| v.clone()))
        }
        Function::Reduce => Err(
            "reduce(list, (a, b) => …) needs a two-parameter function; use reduce(list, \"+\")"
                .to_string(),
        ),
        _ => Err(format!("'{name}' does not take a function")),
    }
}

fn call_values(ctx: &Context<'_>, func: Function, a: &[QValue]) -> EvalResult {
    use QValue::{Bool, List, Null, Number, Text};
    let name = func.name();
    let fail = || Err(no_impl(name, a));
    match func {
        Function::Object => {
            if !a.len().is_multiple_of(2) {
                return Err("object() requires an even number of arguments".to_string());
            }
            let mut out: Vec<(String, QValue)> = Vec::new();
            for pair in a.chunks(2) {
                let Text(key) = &pair[0] else {
                    return Err(
                        "keys should be of type string for object(key1, value1, ...)".to_string(),
                    );
                };
                match out.iter_mut().find(|(k, _)| **k == **key) {
                    Some(slot) => slot.1 = pair[1].clone(),
                    None => out.push((key.to_string(), pair[1].clone())),
                }
            }
            Ok(QValue::Object(out))
        }
        Function::List | Function::Array => Ok(List(a.to_vec())),
        Function::Date => vectorize(a, if a.len() == 1 { &[0] } else { &[] }, &|a| match a {
            [Text(s)] => Ok(date_shorthand(s, ctx.now)
                .or_else(|| parse_date(s))
                .map_or(Null, QValue::Date)),
            [d @ QValue::Date(_)] => Ok(d.clone()),
            [QValue::Link(link)] => Ok(date_of_link(ctx, link)),
            [Null] | [Null, Text(_)] => Ok(Null),
            [Text(s), Text(f)] => {
                if &**f == "x" || &**f == "X" {
                    match number_prefix(s.trim_start()) {
                        Some((n, _)) => {
                            let ms = if &**f == "X" { n * 1000.0 } else { n };
                            Ok(epoch_millis(ms).map_or(Null, QValue::Date))
                        }
                        None => Err(format!("Not a number for format ({f}): {s}")),
                    }
                } else {
                    parse_date_with_format(s, f)
                        .map(QValue::Date)
                        .ok_or_else(|| format!("Can't handle format ({f}) on date string ({s})"))
                }
            }
            _ => Err(no_impl("date", a)),
        }),
        Function::Dur => vectorize(a, &[0], &|a| match a {
            [Text(s)] => Ok(parse_duration(s.trim()).map_or(Null, QValue::Duration)),
            [d @ QValue::Duration(_)] => Ok(d.clone()),
            [Null] => Ok(Null),
            _ => Err(no_impl("dur", a)),
        }),
        Function::Number => vectorize(a, &[0], &|a| match a {
            [n @ Number(_)] => Ok(n.clone()),
            [Text(s)] => Ok(first_number(s).map_or(Null, Number)),
            [Null] => Ok(Null),
            _ => Err(no_impl("number", a)),
        }),
        Function::String => match a {
            [v] => Ok(Text(ctx.to_text(v).into())),
            _ => fail(),
        },
        Function::Link => {
            let positions: &[usize] = if a.len() <= 2 { &[0, 1] } else { &[] };
            vectorize(a, positions, &|a| make_link(ctx, a))
        }
        Function::Embed => vectorize(a, &[0, 1], &|a| match a {
            [QValue::Link(l)] => Ok(QValue::link(Link {
                embed: true,
                ..(**l).clone()
            })),
            [QValue::Link(l), Bool(e)] => Ok(QValue::link(Link {
                embed: *e,
                ..(**l).clone()
            })),
            [Null] | [Null, _] | [_, Null] => Ok(Null),
            _ => Err(no_impl("embed", a)),
        }),
        Function::Elink => vectorize(a, &[0], &|a| match a {
            [Text(url)] | [Text(url), Null] => Ok(Text(format!("[{url}]({url})").into())),
            [Text(url), Text(d)] => Ok(Text(format!("[{d}]({url})").into())),
            [Null] | [Null, _] => Ok(Null),
            _ => Err(no_impl("elink", a)),
        }),
        Function::Typeof => match a {
            [v] => Ok(Text(v.type_name().to_string().into())),
            _ => fail(),
        },
        Function::Round => vectorize(a, &[0], &|a| match a {
            [Number(n)] | [Number(n), Null] => Ok(Number(js_round(*n))),
            [Number(n), Number(p)] => {
                if *p <= 0.0 {
                    Ok(Number(js_round(*n)))
                } else {
                    let k = 10f64.powi((*p as i32).min(100));
                    Ok(Number(js_round(n * k) / k))
                }
            }
            [Null] | [Null, _] => Ok(Null),
            _ => Err(no_impl("round", a)),
        }),
        Function::Trunc | Function::Floor | Function::Ceil => vectorize(a, &[0], &|a| match a {
            [Number(n)] => Ok(Number(match func {
                Function::Trunc => n.trunc(),
                Function::Floor => n.floor(),
                _ => n.ceil(),
            })),
            [Null] => Ok(Null),
            _ => Err(no_impl(name, a)),
        }),
        Function::Min | Function::Max => Ok(min_max(ctx, func == Function::Min, a)),
        Function::Sum | Function::Product => match a {
            [List(items)] => reduce(
                ctx,
                items,
                if func == Function::Sum {
                    BinaryOp::Add
                } else {
                    BinaryOp::Mul
                },
            ),
            [v] => Ok(v.clone()),
            _ => fail(),
        },
        Function::Average => match a {
            [List(items)] => {
                if items.is_empty() {
                    return Ok(Null);
                }
                let total = reduce(ctx, items, BinaryOp::Add)?;
                if total.is_null() {
                    return Ok(Null);
                }
                ctx.binary(BinaryOp::Div, &total, &Number(items.len() as f64))
            }
            [v] => Ok(v.clone()),
            _ => fail(),
        },
        Function::Reduce => vectorize(a, &[1], &|a| match a {
            [List(items), Text(op)] => {
                let op = match op.as_ref() {
                    "+" => BinaryOp::Add,
                    "-" => BinaryOp::Sub,
                    "*" => BinaryOp::Mul,
                    "/" => BinaryOp::Div,
                    "&" => BinaryOp::And,
                    "|" => BinaryOp::Or,
                    _ => {
                        return Err(
                            "reduce(array, op) supports '+', '-', '/', '*', '&', and '|'"
                                .to_string(),
                        );
                    }
                };
                reduce(ctx, items, op)
            }
            [Null, _] | [_, Null] => Ok(Null),
            _ => Err(no_impl("reduce", a)),
        }),
        Function::Contains | Function::Icontains | Function::Econtains => {
            vectorize(a, &[1], &|a| match a {
                [hay, needle] => contains(ctx, func, hay, needle).map(Bool),
                _ => Err(no_impl(name, a)),
            })
        }
        Function::Containsword => vectorize(a, &[0, 1], &|a| match a {
            [Text(hay), Text(word)] => {
                let re = ctx.regex(&format!(r"\b{}\b", regex::escape(word)), true)?;
                Ok(Bool(re.is_match(hay)))
            }
            [Null, _] | [_, Null] => Ok(Null),
            _ => Err(no_impl("containsword", a)),
        }),
        Function::Extract => {
            let Some((object, keys)) = a.split_first() else {
                return Err("extract(object, key1, ...) requires at least 1 argument".to_string());
            };
            extract(ctx, object, keys)
        }
        Function::Sort => match a {
            [List(items)] => {
                let mut out = items.clone();
                out.sort_by(|x, y| ctx.compare(x, y));
                Ok(List(out))
            }
            [v] => Ok(v.clone()),
            _ => fail(),
        },
        Function::Reverse => match a {
            [List(items)] => Ok(List(items.iter().rev().cloned().collect())),
            [Text(s)] => Ok(Text(s.chars().rev().collect::<String>().into())),
            [v] => Ok(v.clone()),
            _ => fail(),
        },
        Function::Length => match a {
            [List(items)] => Ok(Number(items.len() as f64)),
            [QValue::Object(fields)] => Ok(Number(fields.len() as f64)),
            [Text(s)] => Ok(Number(s.encode_utf16().count() as f64)),
            [Null] => Ok(Number(0.0)),
            _ => fail(),
        },
        Function::Nonnull => match a {
            [List(items)] => Ok(List(
                items.iter().filter(|v| !v.is_null()).cloned().collect(),
            )),
            _ => Ok(List(a.iter().filter(|v| !v.is_null()).cloned().collect())),
        },
        Function::Firstvalue => match a {
            [List(items)] => Ok(items.iter().find(|v| !v.is_null()).cloned().unwrap_or(Null)),
            [Null] => Ok(Null),
            _ => fail(),
        },
        Function::All | Function::Any | Function::None => {
            let items: &[QValue] = match a {
                [List(items)] => items,
                _ => a,
            };
            let truthy = items.iter().filter(|v| v.is_truthy()).count();
            Ok(Bool(match func {
                Function::All => truthy == items.len(),
                Function::Any => truthy > 0,
                _ => truthy == 0,
            }))
        }
        Function::Join => vectorize(a, if a.len() == 2 { &[1] } else { &[] }, &|a| match a {
            [List(items), Text(sep)] => Ok(Text(
                items
                    .iter()
                    .map(|v| ctx.to_text(v))
                    .collect::<Vec<_>>()
                    .join(sep)
                    .into(),
            )),
            [List(items)] | [List(items), Null] => Ok(Text(
                items
                    .iter()
                    .map(|v| ctx.to_text(v))
                    .collect::<Vec<_>>()
                    .join(", ")
                    .into(),
            )),
            [v] | [v, Text(_)] => Ok(Text(ctx.to_text(v).into())),
            _ => Err(no_impl("join", a)),
        }),
        Function::Filter | Function::Map | Function::Minby | Function::Maxby => match a {
            [Null, _] => Ok(Null),
            _ => fail(),
        },
        Function::Flat => match a {
            [List(items)] => Ok(List(flatten(items, 1))),
            [List(items), Number(depth)] => Ok(List(flatten(items, depth.clamp(0.0, 64.0) as u32))),
            [Null] => Ok(Null),
            _ => fail(),
        },
        Function::Slice => match a {
            [List(items)] => Ok(List(items.clone())),
            [List(items), Number(start)] => Ok(List(js_slice(items, *start, None))),
            [List(items), Number(start), Number(end)] => {
                Ok(List(js_slice(items, *start, Some(*end))))
            }
            [Null] => Ok(Null),
            _ => fail(),
        },
        Function::Unique => match a {
            [List(items)] => {
                let mut out: Vec<QValue> = Vec::new();
                for v in items {
                    if !out.iter().any(|u| ctx.compare(u, v) == Ordering::Equal) {
                        out.push(v.clone());
                    }
                }
                Ok(List(out))
            }
            [Null] => Ok(Null),
            _ => fail(),
        },
        Function::Regextest | Function::Regexmatch => vectorize(a, &[0, 1], &|a| match a {
            [Text(pattern), Text(text)] => {
                let pattern = if func == Function::Regexmatch
                    && !pattern.starts_with('^')
                    && !pattern.ends_with('$')
                {
                    format!("^{pattern}$")
                } else {
                    pattern.to_string()
                };
                Ok(Bool(ctx.regex(&pattern, false)?.is_match(text)))
            }
            [Null, _] | [_, Null] => Ok(Bool(false)),
            _ => Err(no_impl(name, a)),
        }),
        Function::Regexreplace => vectorize(a, &[0, 1, 2], &|a| match a {
            [Text(text), Text(pattern), Text(replacement)] => {
                let re = ctx.regex(pattern, false)?;
                Ok(Text(
                    re.replace_all(text, js_replacement(replacement).as_str())
                        .into_owned()
                        .into(),
                ))
            }
            [Null, _, _] | [_, Null, _] | [_, _, Null] => Ok(Null),
            _ => Err(no_impl("regexreplace", a)),
        }),
        Function::Replace => vectorize(a, &[0, 1, 2], &|a| match a {
            [Text(text), Text(pattern), Text(replacement)] => {
                if pattern.is_empty() {
                    let parts: Vec<String> = text.chars().map(String::from).collect();
                    Ok(Text(parts.join(replacement).into()))
                } else {
                    Ok(Text(text.replace(pattern.as_ref(), replacement).into()))
                }
            }
            [Null, _, _] | [_, Null, _] | [_, _, Null] => Ok(Null),
            _ => Err(no_impl("replace", a)),
        }),
        Function::Lower | Function::Upper => vectorize(a, &[0], &|a| match a {
            [Text(s)] => Ok(Text(if func == Function::Lower {
                s.to_lowercase().into()
            } else {
                s.to_uppercase().into()
            })),
            [Null] => Ok(Null),
            _ => Err(no_impl(name, a)),
        }),
        Function::Split => match a {
            [Text(s), Text(delim)] => Ok(List(js_split(ctx, s, delim, None)?)),
            [Text(s), Text(delim), Number(limit)] => {
                Ok(List(js_split(ctx, s, delim, Some(*limit))?))
            }
            [Null, _] | [_, Null] | [Null, _, _] | [_, Null, _] | [_, _, Null] => Ok(Null),
            _ => fail(),
        },
        Function::Startswith | Function::Endswith => vectorize(a, &[0, 1], &|a| match a {
            [Text(s), Text(part)] => Ok(Bool(if func == Function::Startswith {
                s.starts_with(part.as_ref())
            } else {
                s.ends_with(part.as_ref())
            })),
            [Null, _] | [_, Null] => Ok(Null),
            _ => Err(no_impl(name, a)),
        }),
        Function::Padleft | Function::Padright => vectorize(a, &[0, 1, 2], &|a| {
            let (s, len, pad) = match a {
                [Text(s), Number(len)] => (s, *len, " "),
                [Text(s), Number(len), Text(pad)] => (s, *len, pad.as_ref()),
                [Null, ..] | [_, Null, ..] | [_, _, Null] => return Ok(Null),
                _ => return Err(no_impl(name, a)),
            };
            let have = s.chars().count();
            let want = len.clamp(0.0, 1e6) as usize;
            if have >= want || pad.is_empty() {
                return Ok(Text(s.clone()));
            }
            let fill: String = pad.chars().cycle().take(want - have).collect();
            Ok(Text(if func == Function::Padleft {
                format!("{fill}{s}").into()
            } else {
                format!("{s}{fill}").into()
            }))
        }),
        Function::Substring => vectorize(a, &[0, 1, 2], &|a| {
            let chars: Vec<char> = match a {
                [Text(s), ..] => s.chars().collect(),
                [Null, ..] | [_, Null, ..] | [_, _, Null] => return Ok(Null),
                _ => return Err(no_impl("substring", a)),
            };
            let clamp = |n: f64| n.max(0.0).min(chars.len() as f64) as usize;
            let (start, end) = match a {
                [_, Number(s)] => (clamp(*s), chars.len()),
                [_, Number(s), Number(e)] => (clamp(*s), clamp(*e)),
                [_, _, Null] | [_, Null, ..] => return Ok(Null),
                _ => return Err(no_impl("substring", a)),
            };
            let (start, end) = if start > end {
                (end, start)
            } else {
                (start, end)
            };
            Ok(Text(chars[start..end].iter().collect::<String>().into()))
        }),
        Function::Truncate => vectorize(a, &[0, 1, 2], &|a| {
            let (s, len, suffix) = match a {
                [Text(s), Number(len)] => (s, *len, "..."),
                [Text(s), Number(len), Text(suffix)] => (s, *len, suffix.as_ref()),
                [Null, ..] | [_, Null, ..] | [_, _, Null] => return Ok(Null),
                _ => return Err(no_impl("truncate", a)),
            };
            let chars: Vec<char> = s.chars().collect();
            let keep = (len - suffix.chars().count() as f64).max(0.0) as usize;
            if chars.len() as f64 > len - suffix.chars().count() as f64 {
                Ok(Text(
                    (chars[..keep.min(chars.len())].iter().collect::<String>() + suffix).into(),
                ))
            } else {
                Ok(Text(s.clone()))
            }
        }),
        Function::Default => vectorize(a, &[0, 1], &|a| match a {
            [v, fallback] => Ok(if v.is_null() {
                fallback.clone()
            } else {
                v.clone()
            }),
            _ => Err(no_impl("default", a)),
        }),
        Function::Ldefault => match a {
            [v, fallback] => Ok(if v.is_null() {
                fallback.clone()
            } else {
                v.clone()
            }),
            _ => fail(),
        },
        Function::Display => match a {
            [v] => Ok(Text(display(ctx, v).into())),
            _ => fail(),
        },
        Function::Choice => vectorize(a, &[0], &|a| match a {
            [cond, yes, no] => Ok(if cond.is_truthy() {
                yes.clone()
            } else {
                no.clone()
            }),
            _ => Err(no_impl("choice", a)),
        }),
        Function::Striptime => vectorize(a, &[0], &|a| match a {
            [QValue::Date(d)] => Ok(QValue::Date(d.date().at(0, 0, 0, 0))),
            [Null] => Ok(Null),
            _ => Err(no_impl("striptime", a)),
        }),
        Function::Localtime => vectorize(a, &[0], &|a| match a {
            [d @ QValue::Date(_)] => Ok(d.clone()),
            [Null] => Ok(Null),
            _ => Err(no_impl("localtime", a)),
        }),
        Function::Dateformat => vectorize(a, &[0], &|a| match a {
            [QValue::Date(d), Text(f)] => Ok(Text(format_date(*d, f).into())),
            [Null, Text(_)] => Ok(Null),
            _ => Err(no_impl("dateformat", a)),
        }),
        Function::Durationformat => vectorize(a, &[0], &|a| match a {
            [QValue::Duration(d), Text(f)] => Ok(Text(format_duration_with(*d, f).into())),
            [Null, Text(_)] => Ok(Null),
            _ => Err(no_impl("durationformat", a)),
        }),
        Function::Meta => match a {
            [QValue::Link(l)] => Ok(QValue::Object(vec![
                (
                    "display".to_string(),
                    l.display.clone().map_or(Null, |d| Text(d.into())),
                ),
                ("embed".to_string(), Bool(l.embed)),
                ("path".to_string(), Text(l.path.clone())),
                (
                    "subpath".to_string(),
                    l.subpath.clone().map_or(Null, |d| Text(d.into())),
                ),
                ("type".to_string(), Text(l.kind.as_str().to_string().into())),
            ])),
            _ => fail(),
        },
    }
}

/// `contains` (recursive into lists, substring on text, key on objects, else equality),
/// `icontains` (the same, ignoring case), `econtains` (one level, exact elements).
fn contains(
    ctx: &Context<'_>,
    func: Function,
    hay: &QValue,
    needle: &QValue,
) -> Result<bool, String> {
    match (hay, needle) {
        (QValue::List(items), _) => {
            for item in items {
                let found = if func == Function::Econtains {
                    ctx.compare(needle, item) == Ordering::Equal
                } else {
                    contains(ctx, func, item, needle)?
                };
                if found {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        (QValue::Text(h), QValue::Text(n)) => {
            if func == Function::Icontains {
                Ok(icontains_text(h, n))
            } else {
                // memchr's one-shot search: cheaper than `str::contains` on the short texts
                // a WHERE tests on every row.
                Ok(memchr::memmem::find(h.as_bytes(), n.as_bytes()).is_some())
            }
        }
        (QValue::Object(fields), QValue::Text(key)) => Ok(fields.iter().any(|(k, _)| **k == **key)),
        (QValue::Page(pv), QValue::Text(key)) => Ok(ctx.page_value_field(pv, key).is_some()),
        _ => Ok(ctx.compare(hay, needle) == Ordering::Equal),
    }
}

/// `h.to_lowercase().contains(&n.to_lowercase())`, without allocating when it can: an
/// empty needle is in every text, and ASCII texts lower-case byte by byte.
fn icontains_text(h: &str, n: &str) -> bool {
    if n.is_empty() {
        return true;
    }
    if h.is_ascii() && n.is_ascii() {
        let (h, n) = (h.as_bytes(), n.as_bytes());
        return h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    h.to_lowercase().contains(&n.to_lowercase())
}

fn min_max(ctx: &Context<'_>, min: bool, a: &[QValue]) -> QValue {
    let pick = |x: &QValue, y: &QValue| -> QValue {
        if x.is_null() {
            return y.clone();
        }
        if y.is_null() {
            return x.clone();
        }
        let c = ctx.compare(x, y);
        let first = if min {
            c != Ordering::Greater
        } else {
            c == Ordering::Greater
        };
        if first { x.clone() } else { y.clone() }
    };
    match a {
        [QValue::List(items)] => min_max(ctx, min, items),
        [] => QValue::Null,
        [first, rest @ ..] => rest.iter().fold(first.clone(), |acc, v| pick(&acc, v)),
    }
}

fn reduce(ctx: &Context<'_>, items: &[QValue], op: BinaryOp) -> EvalResult {
    let Some((first, rest)) = items.split_first() else {
        return Ok(QValue::Null);
    };
    let mut acc = first.clone();
    for v in rest {
        acc = ctx.binary(op, &acc, v)?;
    }
    Ok(acc)
}

fn extract(ctx: &Context<'_>, object: &QValue, keys: &[QValue]) -> EvalResult {
    if let QValue::List(items) = object {
        return items
            .iter()
            .map(|v| extract(ctx, v, keys))
            .collect::<Result<Vec<_>, _>>()
            .map(QValue::List);
    }
    let mut out = Vec::new();
    for key in keys {
        let QValue::Text(k) = key else {
            return Err("extract(object, key1, ...) must be called with string keys".to_string());
        };
        out.push((k.to_string(), ctx.index(object, key)?));
    }
    Ok(QValue::Object(out))
}

fn make_link(ctx: &Context<'_>, a: &[QValue]) -> EvalResult {
    use QValue::{Bool, Null, Text};
    let file = |t: &str| Link::file(ctx.normalize_link(t));
    Ok(match a {
        [Text(t)] => QValue::link(file(t)),
        [l @ QValue::Link(_)] => l.clone(),
        [Null] | [Null, _] => Null,
        [Text(t), Text(d)] => QValue::link(Link {
            display: Some(d.to_string()),
            ..file(t)
        }),
        [Text(t), Text(d), Bool(e)] => QValue::link(Link {
            display: Some(d.to_string()),
            embed: *e,
            ..file(t)
        }),
        [QValue::Link(l), Text(d)] => QValue::link(Link {
            display: Some(d.to_string()),
            ..(**l).clone()
        }),
        [t, Null] => return make_link(ctx, std::slice::from_ref(t)),
        _ => return Err(no_impl("link", a)),
    })
}

fn date_of_link(ctx: &Context<'_>, link: &Link) -> QValue {
    if let Some(d) = link.display.as_deref().and_then(parse_date) {
        return QValue::Date(d);
    }
    if let Some(d) = parse_date(&link.path) {
        return QValue::Date(d);
    }
    if let Some(page) = ctx.source.resolve_link(ctx.this, &link.path)
        && let QValue::Date(d) = ctx.file_field(page, "day")
    {
        return QValue::Date(d);
    }
    QValue::Null
}

fn epoch_millis(ms: f64) -> Option<jiff::civil::DateTime> {
    let ts = jiff::Timestamp::from_millisecond(ms as i64).ok()?;
    Some(jiff::tz::Offset::UTC.to_datetime(ts))
}

/// `number("abc 12.5 x")` takes the first number in the text.
fn first_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    for i in 0..b.len() {
        if b[i].is_ascii_digit() || (b[i] == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            return number_prefix(&s[i..]).map(|(n, _)| n);
        }
    }
    None
}

/// JavaScript's `Math.round`: halves round up.
fn js_round(n: f64) -> f64 {
    if !n.is_finite() { n } else { (n + 0.5).floor() }
}

fn flatten(items: &[QValue], depth: u32) -> Vec<QValue> {
    let mut out = Vec::new();
    for v in items {
        match v {
            QValue::List(inner) if depth > 0 => out.extend(flatten(inner, depth - 1)),
            other => out.push(other.clone()),
        }
    }
    out
}

fn js_slice(items: &[QValue], start: f64, end: Option<f64>) -> Vec<QValue> {
    let len = items.len() as f64;
    let norm = |i: f64| -> usize {
        let i = if i < 0.0 {
            (len + i).max(0.0)
        } else {
            i.min(len)
        };
        i as usize
    };
    let (s, e) = (norm(start), norm(end.unwrap_or(len)));
    if s >= e {
        Vec::new()
    } else {
        items[s..e].to_vec()
    }
}

/// JavaScript `str.split(new RegExp(delim), limit)`, captures included, empty matches
/// splitting between characters.
fn js_split(
    ctx: &Context<'_>,
    s: &str,
    delim: &str,
    limit: Option<f64>,
) -> Result<Vec<QValue>, String> {
    let re = ctx.regex(delim, false)?;
    let mut out: Vec<QValue> = Vec::new();
    if s.is_empty() {
        if !re.is_match("") {
            out.push(QValue::text(""));
        }
    } else {
        let (mut p, mut q) = (0usize, 0usize);
        let next = |i: usize| s[i..].chars().next().map_or(s.len(), |c| i + c.len_utf8());
        while q < s.len() {
            let Some(caps) = re.captures_at(s, q) else {
                break;
            };
            let Some(m) = caps.get(0) else { break };
            if m.end() == p || (m.start() == m.end() && m.start() >= s.len()) {
                q = next(m.start().max(q));
                continue;
            }
            out.push(QValue::text(&s[p..m.start()]));
            for g in caps.iter().skip(1) {
                out.push(QValue::text(g.map_or("", |g| g.as_str())));
            }
            p = m.end();
            q = if m.start() == m.end() { next(p) } else { p };
        }
        out.push(QValue::text(&s[p..]));
    }
    if let Some(limit) = limit {
        out.truncate(limit.max(0.0) as usize);
    }
    Ok(out)
}

/// JavaScript replacement syntax (`$1`, `$&`, `$$`, `$<name>`) in Rust regex syntax.
fn js_replacement(rep: &str) -> String {
    let chars: Vec<char> = rep.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        match chars.get(i + 1) {
            Some('$') => {
                out.push_str("$$");
                i += 2;
            }
            Some('&') => {
                out.push_str("${0}");
                i += 2;
            }
            Some(d) if d.is_ascii_digit() => {
                let mut j = i + 1;
                while j < chars.len() && j < i + 3 && chars[j].is_ascii_digit() {
                    j += 1;
                }
                let n: String = chars[i + 1..j].iter().collect();
                out.push_str(&format!("${{{n}}}"));
                i = j;
            }
            Some('<') => match chars[i..].iter().position(|c| *c == '>') {
                Some(end) => {
                    let name: String = chars[i + 2..i + end].iter().collect();
                    out.push_str(&format!("${{{name}}}"));
                    i += end + 1;
                }
                None => {
                    out.push_str("$$");
                    i += 1;
                }
            },
            _ => {
                out.push_str("$$");
                i += 1;
            }
        }
    }
    out
}

/// `display()`: the text a reader sees (links by their display text, markup removed).
fn display(ctx: &Context<'_>, v: &QValue) -> String {
    match v {
        QValue::Null => String::new(),
        QValue::List(items) => items
            .iter()
            .map(|i| display(ctx, i))
            .collect::<Vec<_>>()
            .join(", "),
        QValue::Text(s) => strip_markdown(s),
        QValue::Link(l) => match &l.display {
            Some(d) => strip_markdown(d),
            None => l.display_text(),
        },
        other => ctx.to_text(other),
    }
}

fn strip_markdown(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("[[") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("]]") {
            Some(end) => {
                let inner = &after[..end];
                out.push_str(inner.rsplit_once('|').map_or(inner, |(_, d)| d));
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace("**", "")
        .replace("__", "")
        .replace('`', "")
        .replace("~~", "")
        .replace("==", "")
}

/// Luxon's `Duration.toFormat` for the tokens `y M w d h m s S` (doubled for zero padding)
/// and `'literal'`; larger units absorb the smaller ones that the format leaves out.
fn format_duration_with(d: crate::value::Duration, format: &str) -> String {
    const UNITS: [(char, f64); 8] = [
        ('y', 365.0 * 86_400_000.0),
        ('M', 30.0 * 86_400_000.0),
        ('w', 7.0 * 86_400_000.0),
        ('d', 86_400_000.0),
        ('h', 3_600_000.0),
        ('m', 60_000.0),
        ('s', 1000.0),
        ('S', 1.0),
    ];
    let mut remaining = d.approx_millis();
    let mut values = [0f64; 8];
    for (i, (unit, size)) in UNITS.iter().enumerate() {
        if format.contains(*unit) {
            let n = (remaining / size).trunc();
            values[i] = n;
            remaining -= n * size;
        }
    }
    crate::time::format_tokens(format, |c, n| {
        let idx = UNITS.iter().position(|(u, _)| *u == c)?;
        let v = format_number(values[idx]);
        Some(format!("{v:0>n$}"))
    })
}
