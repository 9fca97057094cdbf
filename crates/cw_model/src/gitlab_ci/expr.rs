//! CI/CD variable expressions (`rules: if:`, `only: variables:`), parsed and evaluated with
//! three-valued logic.
//!
//! Syntax: `$VAR` (or `${VAR}`), `"string"`/`'string'`, `/regex/flags`, `null`, the operators
//! `==`, `!=`, `=~`, `!~`, `&&` (binds tighter), `||`, and parentheses.

/// A parsed expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    /// `$VAR` alone: true when the variable is set and not empty.
    Present(Operand),
    Compare {
        left: Operand,
        op: CompareOp,
        right: Operand,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Match,
    NoMatch,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operand {
    Var(String),
    Str(String),
    Regex { pattern: String, flags: String },
    Null,
}

/// The value of a variable for an evaluation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    Known(String),
    /// Not defined.
    Null,
    /// Any value, or none: comparisons with it are unknown.
    Unknown,
    /// A non-empty value that differs from every string literal of the expression and matches no
    /// regex literal; two `Opaque` values are equal when their ids are (a branch name nobody
    /// wrote down, the same for `$CI_COMMIT_BRANCH` and `$CI_COMMIT_REF_NAME`).
    Opaque(u32),
}

/// Three-valued truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    fn from_bool(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }

    #[must_use]
    pub fn negate(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Operand(Operand),
    Op(CompareOp),
    And,
    Or,
    Open,
    Close,
}

fn tokens(text: &str) -> Option<Vec<Token>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let two = text.get(i..i + 2).unwrap_or("");
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'(' => {
                out.push(Token::Open);
                i += 1;
            }
            b')' => {
                out.push(Token::Close);
                i += 1;
            }
            b'$' => {
                let braced = bytes.get(i + 1) == Some(&b'{');
                let start = i + 1 + usize::from(braced);
                let mut end = start;
                while end < bytes.len()
                    && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_')
                {
                    end += 1;
                }
                if end == start || (braced && bytes.get(end) != Some(&b'}')) {
                    return None;
                }
                out.push(Token::Operand(Operand::Var(text[start..end].to_string())));
                i = end + usize::from(braced);
            }
            b'"' | b'\'' => {
                let mut value = String::new();
                let mut j = i + 1;
                loop {
                    let c = *bytes.get(j)?;
                    if c == b {
                        break;
                    }
                    if c == b'\\' && bytes.get(j + 1) == Some(&b) {
                        j += 1;
                    }
                    let ch = text[j..].chars().next()?;
                    value.push(ch);
                    j += ch.len_utf8();
                }
                out.push(Token::Operand(Operand::Str(value)));
                i = j + 1;
            }
            b'/' => {
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'/' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                if j >= bytes.len() {
                    return None;
                }
                let pattern = text[i + 1..j].to_string();
                let mut k = j + 1;
                while k < bytes.len() && bytes[k].is_ascii_alphabetic() {
                    k += 1;
                }
                out.push(Token::Operand(Operand::Regex {
                    pattern,
                    flags: text[j + 1..k].to_string(),
                }));
                i = k;
            }
            _ if two == "==" => {
                out.push(Token::Op(CompareOp::Eq));
                i += 2;
            }
            _ if two == "!=" => {
                out.push(Token::Op(CompareOp::Ne));
                i += 2;
            }
            _ if two == "=~" => {
                out.push(Token::Op(CompareOp::Match));
                i += 2;
            }
            _ if two == "!~" => {
                out.push(Token::Op(CompareOp::NoMatch));
                i += 2;
            }
            _ if two == "&&" => {
                out.push(Token::And);
                i += 2;
            }
            _ if two == "||" => {
                out.push(Token::Or);
                i += 2;
            }
            _ if text[i..].starts_with("null")
                && !bytes
                    .get(i + 4)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') =>
            {
                out.push(Token::Operand(Operand::Null));
                i += 4;
            }
            _ => return None,
        }
    }
    Some(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn or(&mut self) -> Option<Expr> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            items.push(self.and()?);
        }
        Some(if items.len() == 1 {
            items.pop()?
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self) -> Option<Expr> {
        let mut items = vec![self.primary()?];
        while self.peek() == Some(&Token::And) {
            self.at += 1;
            items.push(self.primary()?);
        }
        Some(if items.len() == 1 {
            items.pop()?
        } else {
            Expr::And(items)
        })
    }

    fn primary(&mut self) -> Option<Expr> {
        match self.tokens.get(self.at)?.clone() {
            Token::Open => {
                self.depth += 1;
                if self.depth > 64 {
                    return None;
                }
                self.at += 1;
                let inner = self.or()?;
                if self.peek() != Some(&Token::Close) {
                    return None;
                }
                self.at += 1;
                self.depth -= 1;
                Some(inner)
            }
            Token::Operand(left) => {
                self.at += 1;
                if let Some(Token::Op(op)) = self.peek().cloned() {
                    self.at += 1;
                    let Some(Token::Operand(right)) = self.tokens.get(self.at).cloned() else {
                        return None;
                    };
                    self.at += 1;
                    return Some(Expr::Compare { left, op, right });
                }
                Some(Expr::Present(left))
            }
            _ => None,
        }
    }
}

impl Expr {
    /// Parses an expression; `None` when it is not valid.
    pub fn parse(text: &str) -> Option<Expr> {
        let tokens = tokens(text)?;
        let mut p = Parser {
            tokens,
            at: 0,
            depth: 0,
        };
        let e = p.or()?;
        (p.at == p.tokens.len()).then_some(e)
    }

    /// Evaluates the expression with the variables `env` gives.
    pub fn eval(&self, env: &dyn Fn(&str) -> Val) -> Tri {
        match self {
            Expr::Or(items) => items
                .iter()
                .fold(Tri::False, |acc, e| match (acc, e.eval(env)) {
                    (Tri::True, _) | (_, Tri::True) => Tri::True,
                    (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
                    _ => Tri::False,
                }),
            Expr::And(items) => items
                .iter()
                .fold(Tri::True, |acc, e| match (acc, e.eval(env)) {
                    (Tri::False, _) | (_, Tri::False) => Tri::False,
                    (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
                    _ => Tri::True,
                }),
            Expr::Present(op) => match value(op, env) {
                Val::Known(s) => Tri::from_bool(!s.is_empty()),
                Val::Null => Tri::False,
                Val::Unknown => Tri::Unknown,
                Val::Opaque(_) => Tri::True,
            },
            Expr::Compare { left, op, right } => match op {
                CompareOp::Eq => equal(&value(left, env), &value(right, env)),
                CompareOp::Ne => equal(&value(left, env), &value(right, env)).negate(),
                CompareOp::Match => matches(&value(left, env), right),
                CompareOp::NoMatch => matches(&value(left, env), right).negate(),
            },
        }
    }

    /// The variables the expression reads.
    pub fn variables(&self) -> Vec<&str> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            match e {
                Expr::Or(items) | Expr::And(items) => stack.extend(items),
                Expr::Present(op) => push_var(op, &mut out),
                Expr::Compare { left, right, .. } => {
                    push_var(left, &mut out);
                    push_var(right, &mut out);
                }
            }
        }
        out
    }
}

fn push_var<'a>(op: &'a Operand, out: &mut Vec<&'a str>) {
    if let Operand::Var(v) = op {
        out.push(v);
    }
}

fn value(op: &Operand, env: &dyn Fn(&str) -> Val) -> Val {
    match op {
        Operand::Var(name) => env(name),
        Operand::Str(s) => Val::Known(s.clone()),
        Operand::Null => Val::Null,
        Operand::Regex { .. } => Val::Unknown,
    }
}

fn equal(a: &Val, b: &Val) -> Tri {
    match (a, b) {
        (Val::Unknown, _) | (_, Val::Unknown) => Tri::Unknown,
        (Val::Known(x), Val::Known(y)) => Tri::from_bool(x == y),
        (Val::Null, Val::Null) => Tri::True,
        (Val::Opaque(x), Val::Opaque(y)) => Tri::from_bool(x == y),
        _ => Tri::False,
    }
}

fn matches(left: &Val, right: &Operand) -> Tri {
    let Operand::Regex { pattern, flags } = right else {
        return Tri::Unknown;
    };
    match left {
        Val::Unknown => Tri::Unknown,
        Val::Null | Val::Opaque(_) => Tri::False,
        Val::Known(s) => simple_match(pattern, flags, s).map_or(Tri::Unknown, Tri::from_bool),
    }
}

/// Matches a regex made only of literal alternatives (`/^(push|web)$/`, `/merge_request/i`);
/// `None` for anything richer.
fn simple_match(pattern: &str, flags: &str, text: &str) -> Option<bool> {
    let (start, p) = match pattern.strip_prefix('^') {
        Some(rest) => (true, rest),
        None => (false, pattern),
    };
    let (end, p) = match p.strip_suffix('$') {
        Some(rest) if !rest.ends_with('\\') => (true, rest),
        _ => (false, p),
    };
    let inner = p
        .strip_prefix("(?:")
        .or_else(|| p.strip_prefix('('))
        .and_then(|x| x.strip_suffix(')'));
    let body = match inner {
        Some(x) if !x.contains(['(', ')']) => x,
        _ if p.contains('|') && (start || end) => return None,
        _ => p,
    };
    let fold = flags.contains('i');
    let norm = |s: &str| {
        if fold {
            s.to_lowercase()
        } else {
            s.to_string()
        }
    };
    let text = norm(text);
    let mut any = false;
    for alt in body.split('|') {
        let mut lit = String::new();
        let mut chars = alt.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    let n = chars.next()?;
                    if n.is_ascii_alphanumeric() {
                        return None;
                    }
                    lit.push(n);
                }
                '.' | '*' | '+' | '?' | '[' | ']' | '(' | ')' | '{' | '}' | '^' | '$' => {
                    return None;
                }
                c => lit.push(c),
            }
        }
        let lit = norm(&lit);
        any |= match (start, end) {
            (true, true) => text == lit,
            (true, false) => text.starts_with(&lit),
            (false, true) => text.ends_with(&lit),
            (false, false) => text.contains(&lit),
        };
    }
    Some(any)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Val {
        match name {
            "CI_PIPELINE_SOURCE" => Val::Known("push".into()),
            "CI_COMMIT_BRANCH" | "CI_COMMIT_REF_NAME" => Val::Opaque(1),
            "CI_DEFAULT_BRANCH" => Val::Opaque(2),
            "CI_COMMIT_TAG" => Val::Null,
            _ => Val::Unknown,
        }
    }

    fn eval(text: &str) -> Tri {
        Expr::parse(text).expect(text).eval(&env)
    }

    #[test]
    fn parses_and_evaluates() {
        assert_eq!(eval("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"), Tri::False);
        assert_eq!(eval("$CI_COMMIT_BRANCH != $CI_DEFAULT_BRANCH"), Tri::True);
        assert_eq!(eval("$CI_COMMIT_REF_NAME == $CI_COMMIT_BRANCH"), Tri::True);
        assert_eq!(eval("$CI_COMMIT_BRANCH == \"main\""), Tri::False);
        assert_eq!(eval("$CI_COMMIT_TAG"), Tri::False);
        assert_eq!(eval("$CI_COMMIT_TAG == null"), Tri::True);
        assert_eq!(eval("$CI_COMMIT_BRANCH =~ /^release\\/.*$/"), Tri::False);
        assert_eq!(eval("$CI_PIPELINE_SOURCE =~ /^(push|web)$/"), Tri::True);
        assert_eq!(eval("$CI_PIPELINE_SOURCE == 'schedule'"), Tri::False);
        assert_eq!(eval("$DEPLOY == \"true\""), Tri::Unknown);
        assert_eq!(
            eval("$DEPLOY == \"true\" && $CI_COMMIT_BRANCH == \"main\""),
            Tri::False
        );
        assert_eq!(
            eval("($CI_COMMIT_TAG || $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH) && $X"),
            Tri::False
        );
        assert_eq!(eval("$CI_COMMIT_TAG || $X"), Tri::Unknown);
        assert_eq!(eval("${CI_COMMIT_BRANCH}"), Tri::True);
        assert_eq!(eval("$CI_PIPELINE_SOURCE =~ /^v\\d+/"), Tri::Unknown);
        for bad in ["$", "== \"a\"", "$A ==", "($A", "$A $B", "\"open"] {
            assert_eq!(Expr::parse(bad), None, "{bad}");
        }
    }
}
