use cw_diagnostics::{Spanned, TextRange};

/// A parsed `.tf` or `.tf.json` file. Parsing never fails: a syntax error is in `errors` and the
/// body is then empty (HCL files are all or nothing, as in Terraform).
#[derive(Clone, Debug, Default)]
pub struct HclFile {
    pub body: Body,
    /// Syntax errors (CW001), at the exact position.
    pub errors: Vec<HclError>,
    pub syntax: Syntax,
}

/// Which syntax a file was written in. In the JSON syntax an object-valued property of a
/// resource is an attribute or a nested block depending on the provider's schema, which only
/// the provider knows: see [`Syntax::Json`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Syntax {
    #[default]
    Native,
    /// Terraform's JSON syntax. Top-level blocks (`resource`, `variable`, `locals`...) and the
    /// blocks Terraform itself defines (`lifecycle`, `dynamic`, `provisioner`, `connection`,
    /// `backend`, `required_providers`...) are blocks; other properties of a resource body are
    /// attributes (an object value stays an object expression).
    Json,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HclError {
    pub range: TextRange,
    pub message: String,
}

/// The attributes and blocks of a file or of a block, in source order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
}

impl Body {
    /// The attribute `name` (the last one if written twice, which Terraform rejects).
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().rev().find(|a| a.name.value == name)
    }

    /// The blocks of type `kind` (`resource`, `ingress`...), in source order.
    pub fn blocks_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.kind.value == kind)
    }
}

/// `name = value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub name: Spanned<String>,
    pub value: Expr,
    /// From the name to the end of the value (a trailing comment excluded).
    pub range: TextRange,
}

/// `kind "label" "label" { body }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// The block type: `resource`, `variable`, `ingress`...
    pub kind: Spanned<String>,
    pub labels: Vec<Spanned<String>>,
    pub body: Body,
    /// From the block type to the closing brace.
    pub range: TextRange,
}

impl Block {
    /// The text of label `i`.
    pub fn label(&self, i: usize) -> Option<&str> {
        self.labels.get(i).map(|l| l.value.as_str())
    }
}

/// An expression and the range of source that wrote it.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(f64),
    /// A string without interpolations or directives (escapes resolved).
    String(String),
    /// A quoted string or heredoc with interpolations or directives. Strip markers (`~`) and the
    /// `<<-` indentation removal are already applied to the literal parts, exactly as Terraform
    /// applies them (see [`Template`]).
    Template(Template),
    /// `[a, b]`
    Tuple(Vec<Expr>),
    /// `{ k = v, (expr) = v }`
    Object(Vec<ObjectItem>),
    /// A bare name: `var`, `local`, `each`, a `for` variable...
    Variable(String),
    /// `expr.attr`, `expr[index]`, `expr.*`, `expr[*]`, in order.
    Traversal(Box<Expr>, Vec<Traverser>),
    Call(Box<Call>),
    Conditional(Box<Conditional>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    For(Box<ForExpr>),
    /// `( expr )`: kept because a parenthesized object key is evaluated while a bare one is not.
    Paren(Box<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ObjectItem {
    pub key: ObjectKey,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ObjectKey {
    /// A bare identifier: the key is its name.
    Ident(Spanned<String>),
    /// Any other expression (a quoted string, a parenthesized expression...): evaluated.
    Expr(Expr),
}

impl ObjectKey {
    pub fn range(&self) -> TextRange {
        match self {
            ObjectKey::Ident(i) => i.range,
            ObjectKey::Expr(e) => e.range,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Traverser {
    pub op: TraverseOp,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TraverseOp {
    /// `.name`
    Attr(String),
    /// `[expr]`, and the legacy `.0`.
    Index(Expr),
    /// `.*`: applies the `.attr` steps that follow to every element.
    AttrSplat,
    /// `[*]`: applies every step that follows to every element.
    FullSplat,
}

/// `name(args...)` or `provider::ns::name(args...)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub name: Spanned<String>,
    /// `["provider", "aws"]` for `provider::aws::arn_parse(...)`; empty for built-in functions.
    pub namespace: Vec<String>,
    pub args: Vec<Expr>,
    /// `f(a, list...)`: the last argument is expanded into several.
    pub expand_final: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Conditional {
    pub condition: Expr,
    pub then: Expr,
    pub otherwise: Expr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Eq,
    NotEq,
    LessEq,
    GreaterEq,
    Less,
    Greater,
    Plus,
    Minus,
    Mul,
    Div,
    Mod,
    And,
    Or,
}

/// `[for k, v in coll : value if cond]` or `{for k, v in coll : key => value... if cond}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ForExpr {
    pub key_var: Option<Spanned<String>>,
    pub value_var: Spanned<String>,
    pub collection: Expr,
    /// Set for an object `for`.
    pub key: Option<Expr>,
    pub value: Expr,
    /// `...` after the value: values with the same key are grouped into lists.
    pub grouping: bool,
    pub condition: Option<Expr>,
}

/// A template: literal text, interpolations and directives.
///
/// Strip markers and heredoc flushing are already applied, with Terraform's rules: in a heredoc
/// every line of literal text is a token of its own, so `~}` removes whitespace up to the end of
/// the line only, and `<<-` removes the smallest indentation found at the start of a line (a line
/// that starts with an interpolation or a directive counts as not indented).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TemplatePart {
    Literal(Spanned<String>),
    Interpolation(Expr),
    If(Box<TemplateIf>),
    For(Box<TemplateFor>),
}

/// `%{ if cond }...%{ else }...%{ endif }`
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateIf {
    pub condition: Expr,
    pub then: Template,
    pub otherwise: Template,
    pub range: TextRange,
}

/// `%{ for k, v in coll }...%{ endfor }`
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateFor {
    pub key_var: Option<Spanned<String>>,
    pub value_var: Spanned<String>,
    pub collection: Expr,
    pub body: Template,
    pub range: TextRange,
}

impl Expr {
    pub fn new(kind: ExprKind, range: TextRange) -> Self {
        Self { kind, range }
    }

    /// The expression inside any parentheses.
    pub fn unparenthesized(&self) -> &Expr {
        let mut e = self;
        while let ExprKind::Paren(inner) = &e.kind {
            e = inner;
        }
        e
    }

    /// A bare name or a chain of `.attr` steps on one (`var.x`, `aws_s3_bucket.b.id`,
    /// `aws.west`) as its parts: what `depends_on`, `provider` and `ignore_changes` hold.
    pub fn as_traversal_path(&self) -> Option<Vec<&str>> {
        match &self.unparenthesized().kind {
            ExprKind::Variable(name) => Some(vec![name.as_str()]),
            ExprKind::Traversal(root, steps) => {
                let ExprKind::Variable(name) = &root.kind else {
                    return None;
                };
                let mut path = vec![name.as_str()];
                for step in steps {
                    match &step.op {
                        TraverseOp::Attr(a) => path.push(a),
                        _ => return None,
                    }
                }
                Some(path)
            }
            _ => None,
        }
    }

    /// The text of a string without interpolations.
    pub fn as_str(&self) -> Option<&str> {
        match &self.unparenthesized().kind {
            ExprKind::String(s) => Some(s),
            _ => None,
        }
    }
}
