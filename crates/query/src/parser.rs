//! DQL text → [`Query`]. Hand-written recursive descent over [`crate::lexer`] tokens, with
//! Dataview's precedence (`* / %` > `+ -` > comparisons > `and`/`or`, all left-associative,
//! `and` and `or` at the same level) and errors that point at the exact byte span with what
//! was expected. Never panics: every input gives a query or a [`QueryError`].
//!
//! Why not chumsky (the team's listed parser crate): DQL's grammar is small, but it needs
//! raw-text lookahead (`date(2025-07-05)` and `dur(1 day)` are literals written without
//! quotes, `sort(` is a function while `SORT` starts a command, postfixes attach only without
//! whitespace) and one precise "expected X, found Y" message per failure; a small hand-written
//! recursive-descent parser does that with exact spans, a depth limit, and no extra compile
//! time in a pure crate.
//!
//! Dataview docs: "Structure of a Query", "Query Types", "Data Commands", "Expressions",
//! "Literals", "Sources". Source grammar: `src/query/parse.ts`, `src/expression/parse.ts`.

use attune_syntax::Span;

use crate::ast::{
    BinaryOp, Command, Expr, ExprKind, NamedExpr, Query, QueryKind, SortDirection, Source,
};
use crate::functions::Function;
use crate::lexer::{Token, next_token, skip_trivia};
use crate::time::{parse_date_prefix, parse_duration};
use crate::value::{Link, QValue};

/// A query that could not be parsed or run; `span` is a byte range into the query text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// Stable code: `query/parse`, `query/unknown-function`, `query/eval`.
    pub code: &'static str,
    pub span: Option<Span>,
    pub message: String,
    pub help: Option<String>,
}

impl QueryError {
    pub fn parse(span: Span, message: impl Into<String>) -> QueryError {
        QueryError {
            code: "query/parse",
            span: Some(span),
            message: message.into(),
            help: None,
        }
    }
    pub fn eval(message: impl Into<String>) -> QueryError {
        QueryError {
            code: "query/eval",
            span: None,
            message: message.into(),
            help: None,
        }
    }
    /// `line:col` (1-based, columns in characters) of the error in `query`.
    pub fn line_col(&self, query: &str) -> Option<(u32, u32)> {
        let span = self.span?;
        let index = attune_syntax::LineIndex::new(query);
        let lc = index.line_col(query, span.start as usize);
        Some((lc.line, lc.col))
    }
    /// As a vault diagnostic. `offset` is where the query text starts in the note.
    pub fn to_diagnostic(&self, path: &str, offset: usize) -> attune_syntax::Diagnostic {
        let mut d =
            attune_syntax::Diagnostic::error(self.code, self.message.clone()).with_path(path);
        if let Some(span) = self.span {
            d = d.with_span(Span::new(
                span.start as usize + offset,
                span.end as usize + offset,
            ));
        }
        if let Some(help) = &self.help {
            d = d.with_help(help.clone());
        }
        d
    }
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

impl std::error::Error for QueryError {}

/// Parse a whole query.
pub fn parse_query(text: &str) -> Result<Query, QueryError> {
    let mut p = Parser {
        text,
        pos: 0,
        depth: 0,
    };
    p.query()
}

/// Parse one expression (the whole text).
pub fn parse_expression(text: &str) -> Result<Expr, QueryError> {
    let mut p = Parser {
        text,
        pos: 0,
        depth: 0,
    };
    let e = p.expr()?;
    let (t, span) = p.peek();
    if t != Token::Eof {
        return Err(p.unexpected(&t, span, "end of expression"));
    }
    Ok(e)
}

/// Words that end an expression and start a data command; they cannot be field names
/// (Dataview's keyword list plus SORT; use `row.sort` / `row["sort"]` for such a field).
const COMMANDS: [&str; 6] = ["FROM", "WHERE", "SORT", "GROUP", "FLATTEN", "LIMIT"];
const MAX_DEPTH: u32 = 200;

/// Whether `word` (followed by `rest`) starts a data command. `sort(` is the function.
fn is_command(word: &str, rest: &str) -> bool {
    COMMANDS.iter().any(|c| c.eq_ignore_ascii_case(word))
        && !(word.eq_ignore_ascii_case("sort") && rest.starts_with('('))
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    depth: u32,
}

type Result<T, E = QueryError> = std::result::Result<T, E>;

fn describe(text: &str, t: &Token, span: Span) -> String {
    match t {
        Token::Eof => "end of query".to_string(),
        Token::Bad(msg) if msg == "unterminated string" => "an unterminated string".to_string(),
        _ => {
            let s = &text[span.range()];
            let short: String = s.chars().take(30).collect();
            format!("'{short}'")
        }
    }
}

impl<'a> Parser<'a> {
    fn peek(&self) -> (Token, Span) {
        next_token(self.text, self.pos)
    }
    fn bump(&mut self) -> (Token, Span) {
        let (t, span) = self.peek();
        self.pos = span.end as usize;
        (t, span)
    }
    fn at_punct(&self, p: &str) -> bool {
        matches!(self.peek().0, Token::Punct(q) if q == p)
    }
    fn eat_punct(&mut self, p: &str) -> bool {
        if self.at_punct(p) {
            self.bump();
            true
        } else {
            false
        }
    }
    fn at_word(&self, w: &str) -> bool {
        self.peek().0.is_ident(w)
    }
    fn unexpected(&self, t: &Token, span: Span, expected: &str) -> QueryError {
        QueryError::parse(
            span,
            format!(
                "expected {expected}, found {}",
                describe(self.text, t, span)
            ),
        )
    }
    fn expect_punct(&mut self, p: &str, expected: &str) -> Result<Span> {
        let (t, span) = self.peek();
        if matches!(t, Token::Punct(q) if q == p) {
            self.bump();
            Ok(span)
        } else {
            Err(self.unexpected(&t, span, expected))
        }
    }
    fn at_command_or_end(&self) -> bool {
        match self.peek() {
            (Token::Eof, _) => true,
            (Token::Ident(w), span) => is_command(&w, &self.text[span.end as usize..]),
            _ => false,
        }
    }

    fn query(&mut self) -> Result<Query> {
        let (t, span) = self.bump();
        let word = match &t {
            Token::Ident(w) => w.to_ascii_uppercase(),
            _ => String::new(),
        };
        let kind = match word.as_str() {
            "TABLE" => {
                let without_id = self.without_id()?;
                let mut columns = Vec::new();
                if !self.at_command_or_end() {
                    loop {
                        columns.push(self.named_expr(true)?);
                        if !self.eat_punct(",") {
                            break;
                        }
                    }
                }
                QueryKind::Table {
                    without_id,
                    columns,
                }
            }
            "LIST" => {
                let without_id = self.without_id()?;
                let expr = if self.at_command_or_end() {
                    None
                } else {
                    Some(self.expr()?)
                };
                QueryKind::List { without_id, expr }
            }
            "TASK" => QueryKind::Task,
            "CALENDAR" => {
                return Err(QueryError::parse(
                    span,
                    "CALENDAR queries are not supported; use TABLE, LIST or TASK",
                ));
            }
            _ => return Err(self.unexpected(&t, span, "a query type (TABLE, LIST or TASK)")),
        };
        let mut source = None;
        if self.at_word("FROM") {
            self.bump();
            source = Some(self.source()?);
        }
        let mut commands = Vec::new();
        loop {
            let (t, span) = self.peek();
            let word = match &t {
                Token::Ident(w) => w.to_ascii_uppercase(),
                Token::Eof => break,
                _ => String::new(),
            };
            match word.as_str() {
                "WHERE" => {
                    self.bump();
                    commands.push(Command::Where(self.expr()?));
                }
                "SORT" => {
                    self.bump();
                    let mut fields = Vec::new();
                    loop {
                        let e = self.expr()?;
                        let dir = if self.at_word("DESC") || self.at_word("DESCENDING") {
                            self.bump();
                            SortDirection::Descending
                        } else {
                            if self.at_word("ASC") || self.at_word("ASCENDING") {
                                self.bump();
                            }
                            SortDirection::Ascending
                        };
                        fields.push((e, dir));
                        if !self.eat_punct(",") {
                            break;
                        }
                    }
                    commands.push(Command::Sort(fields));
                }
                "GROUP" => {
                    self.bump();
                    let (t, span) = self.peek();
                    if !t.is_ident("BY") {
                        return Err(self.unexpected(&t, span, "BY after GROUP"));
                    }
                    self.bump();
                    commands.push(Command::GroupBy(self.named_expr(false)?));
                }
                "FLATTEN" => {
                    self.bump();
                    commands.push(Command::Flatten(self.named_expr(false)?));
                }
                "LIMIT" => {
                    self.bump();
                    commands.push(Command::Limit(self.expr()?));
                }
                "FROM" => {
                    let mut err = QueryError::parse(
                        span,
                        "FROM can appear only once, right after the query type",
                    );
                    err.help = Some(
                        "move the FROM line up, just below the TABLE/LIST/TASK line".to_string(),
                    );
                    return Err(err);
                }
                _ => {
                    let expected = if commands.is_empty() && source.is_none() {
                        match kind {
                            QueryKind::Table { .. } => {
                                "',', AS, FROM, a data command or end of query"
                            }
                            _ => {
                                "FROM, a data command (WHERE, SORT, GROUP BY, FLATTEN, LIMIT) or end of query"
                            }
                        }
                    } else {
                        "a data command (WHERE, SORT, GROUP BY, FLATTEN, LIMIT) or end of query"
                    };
                    return Err(self.unexpected(&t, span, expected));
                }
            }
        }
        Ok(Query {
            kind,
            source,
            commands,
        })
    }

    fn without_id(&mut self) -> Result<bool> {
        if !self.at_word("WITHOUT") {
            return Ok(false);
        }
        self.bump();
        let (t, span) = self.peek();
        if !t.is_ident("ID") {
            return Err(self.unexpected(&t, span, "ID after WITHOUT"));
        }
        self.bump();
        Ok(true)
    }

    /// `expr [AS name]`; a name without AS is the expression's text.
    fn named_expr(&mut self, header_as_text: bool) -> Result<NamedExpr> {
        let expr = self.expr()?;
        if self.at_word("AS") {
            self.bump();
            let (t, span) = self.bump();
            let name = match t {
                Token::Str(s) => s,
                Token::Ident(s) => s,
                t => {
                    let what = if header_as_text {
                        "a column name (\"Header\" or a word)"
                    } else {
                        "a name"
                    };
                    return Err(self.unexpected(&t, span, what));
                }
            };
            return Ok(NamedExpr { name, expr });
        }
        let raw = &self.text[expr.span.range()];
        let name: String = raw.split(['\r', '\n']).map(str::trim).collect();
        Ok(NamedExpr { name, expr })
    }

    // ---- sources ----

    fn source(&mut self) -> Result<Source> {
        let mut left = self.source_atom()?;
        loop {
            let (t, _) = self.peek();
            let op = match t {
                Token::Ident(w) if w.eq_ignore_ascii_case("and") => true,
                Token::Ident(w) if w.eq_ignore_ascii_case("or") => false,
                Token::Punct("&") => true,
                Token::Punct("|") => false,
                _ => return Ok(left),
            };
            self.bump();
            let right = self.source_atom()?;
            left = if op {
                Source::And(Box::new(left), Box::new(right))
            } else {
                Source::Or(Box::new(left), Box::new(right))
            };
        }
    }

    fn source_atom(&mut self) -> Result<Source> {
        self.enter()?;
        let result = self.source_atom_inner();
        self.depth -= 1;
        result
    }

    fn source_atom_inner(&mut self) -> Result<Source> {
        let (t, span) = self.bump();
        match t {
            Token::Str(folder) => Ok(Source::Folder(folder)),
            Token::Tag(tag) if !tag.is_empty() => Ok(Source::Tag(tag)),
            Token::Link(inner) => Ok(Source::LinksTo(Link::parse_inner(&inner))),
            Token::Punct("-" | "!") => Ok(Source::Not(Box::new(self.source_atom()?))),
            Token::Punct("(") => {
                let inner = self.source()?;
                self.expect_punct(")", "')' to close the source")?;
                Ok(inner)
            }
            Token::Ident(w) if w == "outgoing" && self.at_punct("(") => {
                self.bump();
                let (t, span) = self.bump();
                let Token::Link(inner) = t else {
                    return Err(self.unexpected(
                        &t,
                        span,
                        "a link like [[Note]] inside outgoing(…)",
                    ));
                };
                self.expect_punct(")", "')' after outgoing([[…]]")?;
                Ok(Source::LinksFrom(Link::parse_inner(&inner)))
            }
            t => Err(self.unexpected(
                &t,
                span,
                "a source (\"folder\", #tag, [[link]], outgoing([[link]]), '-' or '(')",
            )),
        }
    }

    // ---- expressions ----

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let span = Span::new(self.pos, self.pos);
            return Err(QueryError::parse(span, "expression nested too deeply"));
        }
        Ok(())
    }

    pub fn expr(&mut self) -> Result<Expr> {
        self.enter()?;
        let result = self.boolean();
        self.depth -= 1;
        result
    }

    fn binary_level(
        &mut self,
        next: fn(&mut Self) -> Result<Expr>,
        op_of: fn(&Token) -> Option<BinaryOp>,
    ) -> Result<Expr> {
        let mut left = next(self)?;
        loop {
            let (t, _) = self.peek();
            let Some(op) = op_of(&t) else { return Ok(left) };
            self.bump();
            let right = next(self)?;
            let span = Span {
                start: left.span.start,
                end: right.span.end,
            };
            left = Expr {
                kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
                span,
            };
        }
    }

    fn boolean(&mut self) -> Result<Expr> {
        self.binary_level(Self::comparison, |t| match t {
            Token::Ident(w) if w.eq_ignore_ascii_case("and") => Some(BinaryOp::And),
            Token::Ident(w) if w.eq_ignore_ascii_case("or") => Some(BinaryOp::Or),
            Token::Punct("&") => Some(BinaryOp::And),
            Token::Punct("|") => Some(BinaryOp::Or),
            _ => None,
        })
    }

    fn comparison(&mut self) -> Result<Expr> {
        self.binary_level(Self::additive, |t| match t {
            Token::Punct(">=") => Some(BinaryOp::Ge),
            Token::Punct("<=") => Some(BinaryOp::Le),
            Token::Punct("!=") => Some(BinaryOp::Ne),
            Token::Punct(">") => Some(BinaryOp::Gt),
            Token::Punct("<") => Some(BinaryOp::Lt),
            Token::Punct("=") => Some(BinaryOp::Eq),
            _ => None,
        })
    }

    fn additive(&mut self) -> Result<Expr> {
        self.binary_level(Self::multiplicative, |t| match t {
            Token::Punct("+") => Some(BinaryOp::Add),
            Token::Punct("-") => Some(BinaryOp::Sub),
            _ => None,
        })
    }

    fn multiplicative(&mut self) -> Result<Expr> {
        self.binary_level(Self::postfix, |t| match t {
            Token::Punct("*") => Some(BinaryOp::Mul),
            Token::Punct("/") => Some(BinaryOp::Div),
            Token::Punct("%") => Some(BinaryOp::Rem),
            _ => None,
        })
    }

    fn postfix(&mut self) -> Result<Expr> {
        self.enter()?;
        let result = self.postfix_inner();
        self.depth -= 1;
        result
    }

    fn postfix_inner(&mut self) -> Result<Expr> {
        let mut e = self.atom()?;
        loop {
            // Postfixes attach only without whitespace before them, as in Dataview.
            let (t, span) = self.peek();
            if span.start as usize != self.pos {
                return Ok(e);
            }
            match t {
                Token::Punct(".") => {
                    self.bump();
                    let (t, span) = self.bump();
                    let Token::Ident(name) = t else {
                        return Err(self.unexpected(&t, span, "a field name after '.'"));
                    };
                    let index = Expr {
                        kind: ExprKind::Literal(QValue::Text(name)),
                        span,
                    };
                    let span = Span {
                        start: e.span.start,
                        end: span.end,
                    };
                    e = Expr {
                        kind: ExprKind::Index(Box::new(e), Box::new(index)),
                        span,
                    };
                }
                Token::Punct("[") => {
                    self.bump();
                    let index = self.expr()?;
                    let close = self.expect_punct("]", "']' to close the index")?;
                    let span = Span {
                        start: e.span.start,
                        end: close.end,
                    };
                    e = Expr {
                        kind: ExprKind::Index(Box::new(e), Box::new(index)),
                        span,
                    };
                }
                Token::Punct("(") => {
                    self.bump();
                    let args = self.comma_list(")")?;
                    let close = Span::new(self.pos - 1, self.pos);
                    let span = Span {
                        start: e.span.start,
                        end: close.end,
                    };
                    e = match e.kind {
                        ExprKind::Variable(name) => {
                            let func = self.function(&name, e.span)?;
                            Expr {
                                kind: ExprKind::Call(func, args),
                                span,
                            }
                        }
                        _ => Expr {
                            kind: ExprKind::CallValue(Box::new(e), args),
                            span,
                        },
                    };
                }
                _ => return Ok(e),
            }
        }
    }

    fn function(&self, name: &str, span: Span) -> Result<Function> {
        if let Some(f) = Function::from_name(name) {
            return Ok(f);
        }
        let lower = name.to_lowercase();
        let mut near: Vec<(f64, &str)> = Function::ALL
            .iter()
            .map(|f| (strsim::jaro_winkler(&lower, f.name()), f.name()))
            .filter(|(score, _)| *score >= 0.8)
            .collect();
        near.sort_by(|a, b| b.0.total_cmp(&a.0));
        let names: Vec<&str> = near.iter().take(3).map(|(_, n)| *n).collect();
        let mut err = QueryError::parse(span, format!("unknown function '{name}'"));
        err.code = "query/unknown-function";
        if !names.is_empty() {
            err.help = Some(format!(
                "did you mean {}?",
                names
                    .iter()
                    .map(|n| format!("'{n}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Err(err)
    }

    /// Comma-separated expressions up to `close` (consumed).
    fn comma_list(&mut self, close: &str) -> Result<Vec<Expr>> {
        let mut items = Vec::new();
        if self.eat_punct(close) {
            return Ok(items);
        }
        loop {
            items.push(self.expr()?);
            if self.eat_punct(",") {
                continue;
            }
            let (t, span) = self.peek();
            if matches!(t, Token::Punct(p) if p == close) {
                self.bump();
                return Ok(items);
            }
            return Err(self.unexpected(&t, span, &format!("',' or '{close}'")));
        }
    }

    fn atom(&mut self) -> Result<Expr> {
        let (t, span) = self.bump();
        let lit = |v: QValue| {
            Ok(Expr {
                kind: ExprKind::Literal(v),
                span,
            })
        };
        match t {
            Token::Number(n) => lit(QValue::Number(n)),
            Token::Str(s) => lit(QValue::Text(s)),
            Token::Link(inner) => lit(QValue::link(Link::parse_inner(&inner))),
            Token::EmbedLink(inner) => {
                let mut link = Link::parse_inner(&inner);
                link.embed = true;
                lit(QValue::link(link))
            }
            Token::Punct("-") => {
                // A negative number literal (`-?[0-9]+` in Dataview); otherwise `0 - x`.
                let operand = self.postfix()?;
                let full = Span {
                    start: span.start,
                    end: operand.span.end,
                };
                if let ExprKind::Literal(QValue::Number(n)) = operand.kind {
                    return Ok(Expr {
                        kind: ExprKind::Literal(QValue::Number(-n)),
                        span: full,
                    });
                }
                let zero = Expr {
                    kind: ExprKind::Literal(QValue::Number(0.0)),
                    span,
                };
                Ok(Expr {
                    kind: ExprKind::Binary(BinaryOp::Sub, Box::new(zero), Box::new(operand)),
                    span: full,
                })
            }
            Token::Punct("!") => {
                let operand = self.postfix()?;
                let full = Span {
                    start: span.start,
                    end: operand.span.end,
                };
                Ok(Expr {
                    kind: ExprKind::Negate(Box::new(operand)),
                    span: full,
                })
            }
            Token::Punct("[") => {
                let items = self.comma_list("]")?;
                Ok(Expr {
                    kind: ExprKind::List(items),
                    span: Span::new(span.start as usize, self.pos),
                })
            }
            Token::Punct("{") => self.object(span),
            Token::Punct("(") => self.paren_or_lambda(span),
            Token::Ident(word) => self.word(word, span),
            t => Err(self.unexpected(&t, span, "expression")),
        }
    }

    fn object(&mut self, open: Span) -> Result<Expr> {
        let mut fields = Vec::new();
        if !self.eat_punct("}") {
            loop {
                let (t, span) = self.bump();
                let key = match t {
                    Token::Ident(s) | Token::Str(s) => s,
                    t => return Err(self.unexpected(&t, span, "a key (name or \"text\")")),
                };
                self.expect_punct(":", "':' after the key")?;
                fields.push((key, self.expr()?));
                if self.eat_punct(",") {
                    continue;
                }
                self.expect_punct("}", "',' or '}'")?;
                break;
            }
        }
        Ok(Expr {
            kind: ExprKind::Object(fields),
            span: Span::new(open.start as usize, self.pos),
        })
    }

    fn paren_or_lambda(&mut self, open: Span) -> Result<Expr> {
        // Lambda: `(a, b) => expr`.
        let save = self.pos;
        let mut params = Vec::new();
        let mut is_lambda = false;
        loop {
            let (t, _) = self.bump();
            match t {
                Token::Punct(")") if params.is_empty() => {
                    is_lambda = self.at_punct("=>");
                    break;
                }
                Token::Ident(name) => {
                    params.push(name);
                    let (t, _) = self.bump();
                    match t {
                        Token::Punct(",") => continue,
                        Token::Punct(")") => {
                            is_lambda = self.at_punct("=>");
                            break;
                        }
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        if is_lambda {
            self.bump();
            let body = self.expr()?;
            let span = Span {
                start: open.start,
                end: body.span.end,
            };
            return Ok(Expr {
                kind: ExprKind::Lambda(params, Box::new(body)),
                span,
            });
        }
        self.pos = save;
        let inner = self.expr()?;
        let close = self.expect_punct(")", "')'")?;
        Ok(Expr {
            kind: inner.kind,
            span: Span {
                start: open.start,
                end: close.end,
            },
        })
    }

    fn word(&mut self, word: String, span: Span) -> Result<Expr> {
        let lit = |v: QValue| {
            Ok(Expr {
                kind: ExprKind::Literal(v),
                span,
            })
        };
        match word.as_str() {
            "true" | "True" => return lit(QValue::Bool(true)),
            "false" | "False" => return lit(QValue::Bool(false)),
            "null" => return lit(QValue::Null),
            _ => {}
        }
        if is_command(&word, &self.text[span.end as usize..]) {
            return Err(self.unexpected(&Token::Ident(word), span, "expression"));
        }
        if (word == "date" || word == "dur")
            && self.text[self.pos..].starts_with('(')
            && let Some(e) = self.raw_time_literal(&word, span)
        {
            return Ok(e);
        }
        Ok(Expr {
            kind: ExprKind::Variable(word),
            span,
        })
    }

    /// `date(2025-07-05)`, `date(today)`, `dur(1 day)`: literals written without quotes.
    fn raw_time_literal(&mut self, word: &str, span: Span) -> Option<Expr> {
        let inner_start = skip_trivia(self.text, self.pos + 1);
        let close = inner_start + self.text[inner_start..].find(')')?;
        let inner = self.text[inner_start..close].trim_end();
        let full = Span::new(span.start as usize, close + 1);
        let kind = if word == "date" {
            const SHORTHANDS: [&str; 18] = [
                "start-of-month",
                "start-of-week",
                "start-of-year",
                "end-of-month",
                "end-of-week",
                "end-of-year",
                "yesterday",
                "tomorrow",
                "today",
                "now",
                "sow",
                "eow",
                "soy",
                "eoy",
                "som",
                "eom",
                "sod",
                "eod",
            ];
            if SHORTHANDS.contains(&inner) && !matches!(inner, "sod" | "eod") {
                ExprKind::DateShorthand(inner.to_string())
            } else {
                let (d, used) = parse_date_prefix(inner)?;
                if used != inner.len() {
                    return None;
                }
                ExprKind::Literal(QValue::Date(d))
            }
        } else {
            ExprKind::Literal(QValue::Duration(parse_duration(inner)?))
        };
        self.pos = close + 1;
        Some(Expr { kind, span: full })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_points_at_the_keyword() {
        let q = "TABLE a\nWHERE\nSORT b";
        let err = parse_query(q).expect_err("must fail");
        assert_eq!(err.message, "expected expression, found 'SORT'");
        assert_eq!(err.line_col(q), Some((3, 1)));
    }

    #[test]
    fn unknown_function_suggests() {
        let err = parse_query("LIST WHERE contians(a, b)").expect_err("must fail");
        assert_eq!(err.code, "query/unknown-function");
        assert_eq!(
            err.help.as_deref(),
            Some("did you mean 'contains', 'icontains', 'econtains'?")
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let q = format!("LIST WHERE {}1{}", "(".repeat(5000), ")".repeat(5000));
        assert!(parse_query(&q).is_err());
    }
}
