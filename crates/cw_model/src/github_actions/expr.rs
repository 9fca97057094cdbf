//! GitHub Actions expressions: `${{ ... }}` found in text, and the expression language itself
//! (literals, contexts such as `github.event.issue.title`, function calls, operators).

use std::ops::Range;

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    /// A context read: `github.event.issue.title`, `secrets.TOKEN`, `matrix['os']`.
    Context(Context),
    Call(Call),
    /// `!x`
    Not(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// A property or an index taken from something that is not a context: `fromJSON(x).y`,
    /// `(a || b)[0]`.
    Access(Box<Expr>, Vec<Part>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    And,
    Or,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A function call. The name is lower case (function names are case-insensitive).
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Vec<Expr>,
}

/// A context path. Keys are lower case (contexts are case-insensitive); `span` is where the path is
/// written in the expression's text.
#[derive(Clone, Debug, PartialEq)]
pub struct Context {
    pub parts: Vec<Part>,
    pub span: Range<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// `.name` or `['name']`.
    Key(String),
    /// `.*` or `[*]`.
    Star,
    /// `[0]`, or an index computed at run time (`[matrix.key]`).
    Index(Box<Expr>),
}

impl Context {
    /// The head of the path (`github`, `secrets`, `env`...).
    pub fn root(&self) -> &str {
        match self.parts.first() {
            Some(Part::Key(k)) => k,
            _ => "",
        }
    }

    /// The key at `i`, when that part is a key.
    pub fn key(&self, i: usize) -> Option<&str> {
        match self.parts.get(i) {
            Some(Part::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// Whether every part is a plain key (no `*`, no index).
    pub fn is_plain(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Key(_)))
    }

    /// The path with `.` between parts and `*` for stars and indexes: `github.event.commits.*.message`.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            match part {
                Part::Key(k) => out.push_str(k),
                Part::Star | Part::Index(_) => out.push('*'),
            }
        }
        out
    }

    /// Whether the path is `pattern` (dot-separated, `*` matches any one part; keys compared
    /// without regard to case).
    pub fn matches(&self, pattern: &str) -> bool {
        self.compare(pattern) == Some(Relation::Equal)
    }

    /// Whether the path starts with `pattern` (or is it).
    pub fn starts_with(&self, pattern: &str) -> bool {
        matches!(
            self.compare(pattern),
            Some(Relation::Equal | Relation::Descendant)
        )
    }

    /// How this path relates to `pattern`, when one is a prefix of the other.
    fn compare(&self, pattern: &str) -> Option<Relation> {
        let mut parts = self.parts.iter();
        let mut pattern_parts = pattern.split('.');
        loop {
            match (parts.next(), pattern_parts.next()) {
                (None, None) => return Some(Relation::Equal),
                (Some(_), None) => return Some(Relation::Descendant),
                (None, Some(_)) => return Some(Relation::Ancestor),
                (Some(part), Some(want)) => {
                    let ok = match part {
                        Part::Key(k) => want == "*" || k.eq_ignore_ascii_case(want),
                        // A star reads every key, a literal index is one item of a list.
                        Part::Star => true,
                        Part::Index(index) => want == "*" && is_literal(index),
                    };
                    if !ok {
                        return None;
                    }
                }
            }
        }
    }

    /// Whether the path is `pattern` or an object that contains it (`github.event.issue` contains
    /// `github.event.issue.title`).
    fn contains(&self, pattern: &str) -> bool {
        matches!(
            self.compare(pattern),
            Some(Relation::Equal | Relation::Ancestor)
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Relation {
    Equal,
    /// The path is longer than the pattern.
    Descendant,
    /// The path is a prefix of the pattern.
    Ancestor,
}

fn is_literal(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Null | Expr::Bool(_) | Expr::Number(_) | Expr::String(_)
    )
}

/// Values that whoever opens an issue, a pull request, a discussion or a comment, or pushes a
/// commit, writes freely: the contexts that GitHub's and zizmor's guidance on untrusted input name.
/// Fields with restricted characters (logins, repository names, SHAs, numbers) are not listed.
const ATTACKER_CONTROLLED: &[&str] = &[
    "github.head_ref",
    "github.event.issue.title",
    "github.event.issue.body",
    "github.event.pull_request.title",
    "github.event.pull_request.body",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.label",
    "github.event.pull_request.head.repo.default_branch",
    "github.event.pull_request.head.repo.description",
    "github.event.comment.body",
    "github.event.review.body",
    "github.event.review_comment.body",
    "github.event.discussion.title",
    "github.event.discussion.body",
    "github.event.pages.*.page_name",
    "github.event.commits.*.message",
    "github.event.commits.*.author.name",
    "github.event.commits.*.author.email",
    "github.event.commits.*.committer.name",
    "github.event.commits.*.committer.email",
    "github.event.head_commit.message",
    "github.event.head_commit.author.name",
    "github.event.head_commit.author.email",
    "github.event.head_commit.committer.name",
    "github.event.head_commit.committer.email",
    "github.event.merge_group.head_commit.message",
    "github.event.merge_group.head_commit.author.name",
    "github.event.merge_group.head_commit.author.email",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.display_title",
    "github.event.workflow_run.head_commit.message",
    "github.event.workflow_run.head_commit.author.name",
    "github.event.workflow_run.head_commit.author.email",
    "github.event.workflow_run.head_commit.committer.name",
    "github.event.workflow_run.head_commit.committer.email",
    "github.event.workflow_run.pull_requests.*.head.ref",
    "github.event.check_suite.head_branch",
    "github.event.check_run.check_suite.head_branch",
];

impl Context {
    /// Whether an outsider can choose this value: one of the fields above, or an object that holds
    /// one (`github.event.pull_request`, `toJSON(github.event)`).
    pub fn is_attacker_controlled(&self) -> bool {
        self.root() == "github" && ATTACKER_CONTROLLED.iter().any(|p| self.contains(p))
    }

    /// `secrets.NAME` (or `secrets['NAME']`): one secret.
    pub fn is_secret(&self) -> bool {
        self.root() == "secrets" && self.parts.len() >= 2
    }

    /// `secrets` itself: every secret at once.
    pub fn is_all_secrets(&self) -> bool {
        self.root() == "secrets" && self.parts.len() == 1
    }
}

/// Functions whose result is a boolean or a hash: their arguments do not reach the result.
const OPAQUE_FUNCTIONS: &[&str] = &[
    "contains",
    "startswith",
    "endswith",
    "success",
    "always",
    "cancelled",
    "failure",
    "hashfiles",
];

impl Expr {
    /// Every context the expression reads, in source order.
    pub fn contexts(&self) -> Vec<&Context> {
        let mut out = Vec::new();
        self.collect_contexts(&mut out);
        out
    }

    fn collect_contexts<'a>(&'a self, out: &mut Vec<&'a Context>) {
        match self {
            Expr::Context(c) => {
                out.push(c);
                parts_contexts(&c.parts, out);
            }
            Expr::Call(call) => call.args.iter().for_each(|a| a.collect_contexts(out)),
            Expr::Not(e) => e.collect_contexts(out),
            Expr::Binary(_, l, r) => {
                l.collect_contexts(out);
                r.collect_contexts(out);
            }
            Expr::Access(base, parts) => {
                base.collect_contexts(out);
                parts_contexts(parts, out);
            }
            Expr::Null | Expr::Bool(_) | Expr::Number(_) | Expr::String(_) => {}
        }
    }

    /// The contexts whose value can end up in the expression's result (and so in the text the
    /// expression expands to): `format('{0}', github.head_ref)` and `a || b` pass their values on,
    /// `contains(...)`, comparisons and `!` give booleans, and `a && b` gives `b` (or a falsy `a`).
    pub fn flowing_contexts(&self) -> Vec<&Context> {
        let mut out = Vec::new();
        self.collect_flowing(&mut out);
        out
    }

    fn collect_flowing<'a>(&'a self, out: &mut Vec<&'a Context>) {
        match self {
            Expr::Context(c) => out.push(c),
            Expr::Call(call) => {
                if OPAQUE_FUNCTIONS.contains(&call.name.as_str()) {
                    return;
                }
                if call.name == "case" {
                    // case(pred1, value1, pred2, value2, ..., default)
                    let last = call.args.len().saturating_sub(1);
                    for (i, a) in call.args.iter().enumerate() {
                        if i % 2 == 1 || i == last {
                            a.collect_flowing(out);
                        }
                    }
                    return;
                }
                call.args.iter().for_each(|a| a.collect_flowing(out));
            }
            Expr::Binary(BinOp::Or, l, r) => {
                l.collect_flowing(out);
                r.collect_flowing(out);
            }
            Expr::Binary(BinOp::And, _, r) => r.collect_flowing(out),
            Expr::Access(base, _) => base.collect_flowing(out),
            Expr::Not(_)
            | Expr::Binary(..)
            | Expr::Null
            | Expr::Bool(_)
            | Expr::Number(_)
            | Expr::String(_) => {}
        }
    }

    /// Every function call, outermost first.
    pub fn calls(&self) -> Vec<&Call> {
        let mut out = Vec::new();
        self.collect_calls(&mut out);
        out
    }

    fn collect_calls<'a>(&'a self, out: &mut Vec<&'a Call>) {
        match self {
            Expr::Call(call) => {
                out.push(call);
                call.args.iter().for_each(|a| a.collect_calls(out));
            }
            Expr::Context(c) => parts_calls(&c.parts, out),
            Expr::Not(e) => e.collect_calls(out),
            Expr::Binary(_, l, r) => {
                l.collect_calls(out);
                r.collect_calls(out);
            }
            Expr::Access(base, parts) => {
                base.collect_calls(out);
                parts_calls(parts, out);
            }
            Expr::Null | Expr::Bool(_) | Expr::Number(_) | Expr::String(_) => {}
        }
    }

    /// The context when the whole expression is one.
    pub fn as_context(&self) -> Option<&Context> {
        match self {
            Expr::Context(c) => Some(c),
            _ => None,
        }
    }
}

fn parts_contexts<'a>(parts: &'a [Part], out: &mut Vec<&'a Context>) {
    for p in parts {
        if let Part::Index(e) = p {
            e.collect_contexts(out);
        }
    }
}

fn parts_calls<'a>(parts: &'a [Part], out: &mut Vec<&'a Call>) {
    for p in parts {
        if let Part::Index(e) = p {
            e.collect_calls(out);
        }
    }
}

/// Finds every `${{ ... }}` in `text`: the byte range of the whole `${{ ... }}` and of what is
/// between the braces. A `}}` inside a string literal (`'}}'`) does not close the expression; an
/// expression left open ends the search.
pub fn find_expressions(text: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(found) = text.get(pos..).and_then(|t| t.find("${{")) {
        let start = pos + found;
        let inner_start = start + 3;
        let mut i = inner_start;
        let mut in_string = false;
        let mut end = None;
        while i < bytes.len() {
            match bytes[i] {
                b'\'' => in_string = !in_string,
                b'}' if !in_string && bytes.get(i + 1) == Some(&b'}') => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        let Some(inner_end) = end else {
            break;
        };
        out.push((start..inner_end + 2, inner_start..inner_end));
        pos = inner_end + 2;
    }
    out
}

/// Parses the text of an `if:` condition: a bare expression, or one wrapped in `${{ }}`.
pub fn parse_condition(text: &str) -> Option<Expr> {
    let t = text.trim();
    if let Some(inner) = t.strip_prefix("${{").and_then(|r| r.strip_suffix("}}"))
        && !inner.contains("${{")
    {
        return parse(inner);
    }
    parse(t)
}

/// Parses an expression (the text between `${{` and `}}`). `None` when it is not valid.
pub fn parse(text: &str) -> Option<Expr> {
    let mut p = Parser {
        src: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    let e = p.or()?;
    p.skip_ws();
    (p.pos == p.src.len()).then_some(e)
}

/// Nesting past this depth is not parsed (a guard for the recursive descent).
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    src: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.src.len() && self.src[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.src.get(self.pos).copied()
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_ws();
        if self.src[self.pos..].starts_with(token.as_bytes()) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn or(&mut self) -> Option<Expr> {
        self.enter()?;
        let mut lhs = self.and()?;
        while self.eat("||") {
            let rhs = self.and()?;
            lhs = Expr::Binary(BinOp::Or, Box::new(lhs), Box::new(rhs));
        }
        self.depth -= 1;
        Some(lhs)
    }

    fn and(&mut self) -> Option<Expr> {
        let mut lhs = self.equality()?;
        while self.eat("&&") {
            let rhs = self.equality()?;
            lhs = Expr::Binary(BinOp::And, Box::new(lhs), Box::new(rhs));
        }
        Some(lhs)
    }

    fn equality(&mut self) -> Option<Expr> {
        let mut lhs = self.comparison()?;
        loop {
            let op = if self.eat("==") {
                BinOp::Eq
            } else if self.eat("!=") {
                BinOp::Ne
            } else {
                return Some(lhs);
            };
            let rhs = self.comparison()?;
            lhs = Expr::Binary(op, Box::new(lhs), Box::new(rhs));
        }
    }

    fn comparison(&mut self) -> Option<Expr> {
        let mut lhs = self.unary()?;
        loop {
            let op = if self.eat("<=") {
                BinOp::Le
            } else if self.eat(">=") {
                BinOp::Ge
            } else if self.eat("<") {
                BinOp::Lt
            } else if self.eat(">") {
                BinOp::Gt
            } else {
                return Some(lhs);
            };
            let rhs = self.unary()?;
            lhs = Expr::Binary(op, Box::new(lhs), Box::new(rhs));
        }
    }

    fn unary(&mut self) -> Option<Expr> {
        self.skip_ws();
        if self.src.get(self.pos) == Some(&b'!') && self.src.get(self.pos + 1) != Some(&b'=') {
            self.pos += 1;
            self.enter()?;
            let e = self.unary()?;
            self.depth -= 1;
            return Some(Expr::Not(Box::new(e)));
        }
        self.postfix()
    }

    fn postfix(&mut self) -> Option<Expr> {
        let start = {
            self.skip_ws();
            self.pos
        };
        let primary = self.primary()?;
        let mut parts = Vec::new();
        loop {
            match self.src.get(self.pos) {
                Some(b'.') => {
                    self.pos += 1;
                    if self.src.get(self.pos) == Some(&b'*') {
                        self.pos += 1;
                        parts.push(Part::Star);
                    } else {
                        let name = self.ident_chars()?;
                        parts.push(Part::Key(name.to_ascii_lowercase()));
                    }
                }
                Some(b'[') => {
                    self.pos += 1;
                    if self.eat("*") {
                        parts.push(Part::Star);
                    } else {
                        let index = self.or()?;
                        parts.push(match index {
                            Expr::String(s) => Part::Key(s.to_ascii_lowercase()),
                            other => Part::Index(Box::new(other)),
                        });
                    }
                    if !self.eat("]") {
                        return None;
                    }
                }
                _ => break,
            }
        }
        let end = self.pos as u32;
        Some(match primary {
            Primary::Ident(name) => {
                let mut all = vec![Part::Key(name.to_ascii_lowercase())];
                all.extend(parts);
                Expr::Context(Context {
                    parts: all,
                    span: start as u32..end,
                })
            }
            Primary::Expr(e) if parts.is_empty() => e,
            Primary::Expr(e) => Expr::Access(Box::new(e), parts),
        })
    }

    fn ident_chars(&mut self) -> Option<String> {
        let start = self.pos;
        while self
            .src
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        {
            self.pos += 1;
        }
        (self.pos > start).then(|| String::from_utf8_lossy(&self.src[start..self.pos]).into_owned())
    }

    fn primary(&mut self) -> Option<Primary> {
        let c = self.peek()?;
        match c {
            b'(' => {
                self.pos += 1;
                let e = self.or()?;
                self.eat(")").then_some(Primary::Expr(e))
            }
            b'\'' => self.string().map(|s| Primary::Expr(Expr::String(s))),
            b'0'..=b'9' | b'-' | b'+' | b'.' => {
                self.number().map(|n| Primary::Expr(Expr::Number(n)))
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let name = self.ident_chars()?;
                match name.as_str() {
                    "true" => return Some(Primary::Expr(Expr::Bool(true))),
                    "false" => return Some(Primary::Expr(Expr::Bool(false))),
                    "null" => return Some(Primary::Expr(Expr::Null)),
                    "NaN" => return Some(Primary::Expr(Expr::Number(f64::NAN))),
                    "Infinity" => return Some(Primary::Expr(Expr::Number(f64::INFINITY))),
                    _ => {}
                }
                if self.src.get(self.pos) == Some(&b'(') {
                    self.pos += 1;
                    let mut args = Vec::new();
                    if !self.eat(")") {
                        loop {
                            args.push(self.or()?);
                            if self.eat(")") {
                                break;
                            }
                            if !self.eat(",") {
                                return None;
                            }
                        }
                    }
                    return Some(Primary::Expr(Expr::Call(Call {
                        name: name.to_ascii_lowercase(),
                        args,
                    })));
                }
                Some(Primary::Ident(name))
            }
            _ => None,
        }
    }

    fn string(&mut self) -> Option<String> {
        // At the opening quote; `''` is a quote inside the string.
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let b = *self.src.get(self.pos)?;
            self.pos += 1;
            if b == b'\'' {
                if self.src.get(self.pos) == Some(&b'\'') {
                    self.pos += 1;
                    out.push(b'\'');
                } else {
                    return Some(String::from_utf8_lossy(&out).into_owned());
                }
            } else {
                out.push(b);
            }
        }
    }

    fn number(&mut self) -> Option<f64> {
        let start = self.pos;
        if matches!(self.src.get(self.pos), Some(b'-' | b'+')) {
            self.pos += 1;
        }
        if self.src[self.pos..].starts_with(b"0x") {
            self.pos += 2;
            let digits = self.pos;
            while self.src.get(self.pos).is_some_and(u8::is_ascii_hexdigit) {
                self.pos += 1;
            }
            let text = std::str::from_utf8(&self.src[digits..self.pos]).ok()?;
            let value = f64::from(i32::from_str_radix(text, 16).ok()?);
            return Some(if self.src[start] == b'-' {
                -value
            } else {
                value
            });
        }
        while self
            .src
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E'))
        {
            let was_exponent = matches!(self.src[self.pos], b'e' | b'E');
            self.pos += 1;
            if was_exponent && matches!(self.src.get(self.pos), Some(b'-' | b'+')) {
                self.pos += 1;
            }
        }
        std::str::from_utf8(&self.src[start..self.pos])
            .ok()?
            .parse()
            .ok()
    }
}

enum Primary {
    Ident(String),
    Expr(Expr),
}
