//! The parsed form of a DQL query: query type, source, data commands and expressions.
//! Every node keeps the byte span of its text in the query.
//!
//! Dataview docs: "Structure of a Query", "Query Types", "Data Commands", "Sources",
//! "Expressions".

use attune_syntax::Span;

use crate::functions::Function;
use crate::value::{Link, QValue};

/// A whole query.
#[derive(Clone, Debug)]
pub struct Query {
    pub kind: QueryKind,
    /// `None`: the whole vault.
    pub source: Option<Source>,
    pub commands: Vec<Command>,
}

#[derive(Clone, Debug)]
pub enum QueryKind {
    Table {
        without_id: bool,
        columns: Vec<NamedExpr>,
    },
    List {
        without_id: bool,
        expr: Option<Expr>,
    },
    Task,
}

/// An expression with the name it shows under (`expr AS "Header"`, else its own text).
#[derive(Clone, Debug)]
pub struct NamedExpr {
    pub name: String,
    pub expr: Expr,
}

/// A FROM source.
#[derive(Clone, Debug)]
pub enum Source {
    /// `"folder"` (with subfolders) or `"folder/File"` (a single file).
    Folder(String),
    /// `#tag` (also matches nested tags `#tag/sub`), without the `#`.
    Tag(String),
    /// `[[note]]`: pages linking to the note. `[[]]` / `[[#]]` mean the note holding the query.
    LinksTo(Link),
    /// `outgoing([[note]])`: pages the note links to.
    LinksFrom(Link),
    And(Box<Source>, Box<Source>),
    Or(Box<Source>, Box<Source>),
    Not(Box<Source>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortDirection {
    Ascending,
    Descending,
}

#[derive(Clone, Debug)]
pub enum Command {
    Where(Expr),
    Sort(Vec<(Expr, SortDirection)>),
    GroupBy(NamedExpr),
    Flatten(NamedExpr),
    Limit(Expr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Rem => "%",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Literal(QValue),
    /// `date(today)`, `date(now)`, …: evaluated against the run's clock.
    DateShorthand(String),
    Variable(String),
    List(Vec<Expr>),
    Object(Vec<(String, Expr)>),
    Negate(Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `a.b` (index is a text literal), `a[expr]`.
    Index(Box<Expr>, Box<Expr>),
    Call(Function, Vec<Expr>),
    /// Calling something that is not a function name (`(x) => x` applied, `a.b(1)`).
    CallValue(Box<Expr>, Vec<Expr>),
    Lambda(Vec<String>, Box<Expr>),
}
