//! Build variables (ARG and ENV) and their expansion as Docker does it in FROM, USER, ENV, ...
//! (`$V`, `${V}`, `${V:-default}`, `${V-default}`, `${V:+alt}`, `${V+alt}`, quotes removed).
//!
//! A value is known, unset, or unknown. Only known values are used: an unknown value (an ARG that
//! must come from `--build-arg`, an ENV from the base image, a platform ARG) makes the whole
//! expansion unknown, so that no rule fires on a value we cannot know.

/// The value of one build variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VarValue {
    /// Its value when built without `--build-arg`.
    Known(String),
    /// Not set: `ARG NAME` without default, or a name nothing declares where no base image can set it.
    Unset,
    /// Set by something we cannot see (the base image's ENV, BuildKit's platform ARGs).
    Unknown,
}

/// BuildKit's automatic platform ARGs: available in FROM lines, and in stages that declare them.
pub const PLATFORM_ARGS: [&str; 8] = [
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// The ARG and ENV values in force at one point of a Dockerfile (see `Dockerfile::vars_at`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vars {
    /// `(name, value, set by ENV)`, latest last.
    entries: Vec<(String, VarValue, bool)>,
    /// What a name nothing declares holds: `Unset` before the first FROM and in `FROM scratch`
    /// stages, `Unknown` where a base image may set it.
    undeclared: VarValue,
    /// The escape character (for quote removal during expansion).
    escape: char,
}

impl Vars {
    /// No variables; undeclared names hold `undeclared`.
    pub(super) fn new(undeclared: VarValue, escape: char) -> Vars {
        Vars {
            entries: Vec::new(),
            undeclared,
            escape,
        }
    }

    /// The known value of `name`, if any.
    pub fn get(&self, name: &str) -> Option<&str> {
        match self.value(name) {
            VarValue::Known(v) => Some(v),
            VarValue::Unset | VarValue::Unknown => None,
        }
    }

    /// The value of `name`: known, unset or unknown.
    pub fn value(&self, name: &str) -> &VarValue {
        self.entries
            .iter()
            .rev()
            .find(|(n, _, _)| n == name)
            .map_or(&self.undeclared, |(_, v, _)| v)
    }

    /// Whether `name` was declared by an ARG or ENV (here or in a parent stage).
    pub fn is_declared(&self, name: &str) -> bool {
        self.entries.iter().any(|(n, _, _)| n == name)
    }

    /// `text` with quotes removed and variables expanded; `None` when it uses an unknown value.
    pub fn expand(&self, text: &str) -> Option<String> {
        expand_with(text, self.escape, &|name| self.value(name).clone())
    }

    /// Declares `ARG name` with `value` (ENV of the same name wins, as Docker documents).
    pub(super) fn set_arg(&mut self, name: &str, value: VarValue) {
        if self.entries.iter().any(|(n, _, env)| *env && n == name) {
            return;
        }
        self.entries.push((name.to_string(), value, false));
    }

    pub(super) fn set_env(&mut self, name: &str, value: VarValue) {
        self.entries.push((name.to_string(), value, true));
    }

    /// Only the ENV entries, for a stage built `FROM` this one.
    pub(super) fn env_only(&self) -> Vars {
        Vars {
            entries: self.entries.iter().filter(|e| e.2).cloned().collect(),
            undeclared: self.undeclared.clone(),
            escape: self.escape,
        }
    }
}

/// Expands `text` as Docker does (quote removal, `$V`, `${V}`, `${V:-d}`, `${V-d}`, `${V:+a}`,
/// `${V+a}`), with `\` as escape character. `lookup` gives the value of a variable, `None` when it is
/// not known. Returns `None` when any referenced variable is unknown.
pub fn expand(text: &str, lookup: impl Fn(&str) -> Option<String>) -> Option<String> {
    expand_with(text, '\\', &|name| {
        lookup(name).map_or(VarValue::Unknown, VarValue::Known)
    })
}

/// [`expand`] with a three-valued lookup and the escape character in force.
pub fn expand_with(text: &str, escape: char, lookup: &dyn Fn(&str) -> VarValue) -> Option<String> {
    if !text.contains(['$', '\'', '"', escape]) {
        return Some(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    let mut ex = Expander {
        chars: &chars,
        pos: 0,
        escape,
        lookup,
        depth: 0,
        unknown: false,
        invalid: false,
    };
    let out = ex.word(None);
    (!ex.unknown && !ex.invalid).then_some(out)
}

struct Expander<'a> {
    chars: &'a [char],
    pos: usize,
    escape: char,
    lookup: &'a dyn Fn(&str) -> VarValue,
    depth: usize,
    /// A value that was needed is not known.
    unknown: bool,
    /// Malformed `${...}`.
    invalid: bool,
}

impl Expander<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    /// Reads until `stop` (not consumed) or the end. Always consumes the whole word, so that an
    /// unknown part that turns out not to be needed (`${SET:-$UNKNOWN}`) does not derail the rest.
    fn word(&mut self, stop: Option<char>) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                break;
            }
            self.pos += 1;
            match c {
                c if c == self.escape => {
                    if let Some(next) = self.peek() {
                        out.push(next);
                        self.pos += 1;
                    }
                }
                '\'' => {
                    while let Some(q) = self.peek() {
                        self.pos += 1;
                        if q == '\'' {
                            break;
                        }
                        out.push(q);
                    }
                }
                '"' => self.double_quoted(&mut out),
                '$' => self.dollar(&mut out),
                c => out.push(c),
            }
        }
        out
    }

    fn double_quoted(&mut self, out: &mut String) {
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                '"' => return,
                c if c == self.escape => match self.peek() {
                    Some(n) if n == '"' || n == '$' || n == self.escape => {
                        out.push(n);
                        self.pos += 1;
                    }
                    _ => out.push(c),
                },
                '$' => self.dollar(out),
                c => out.push(c),
            }
        }
    }

    /// After `$`.
    fn dollar(&mut self, out: &mut String) {
        match self.peek() {
            Some('{') => {
                self.pos += 1;
                self.braced(out);
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let name = self.name();
                let value = self.known(&name);
                out.push_str(&value);
            }
            _ => out.push('$'),
        }
    }

    fn name(&mut self) -> String {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    /// The value of `name`, which must be known.
    fn known(&mut self, name: &str) -> String {
        match (self.lookup)(name) {
            VarValue::Known(v) => v,
            VarValue::Unset | VarValue::Unknown => {
                self.unknown = true;
                String::new()
            }
        }
    }

    /// After `${`: `name}` or `name<op>word}`.
    fn braced(&mut self, out: &mut String) {
        self.depth += 1;
        let name = self.name();
        let colon = self.peek() == Some(':');
        if colon {
            self.pos += 1;
        }
        let op = self.peek();
        self.pos += 1;
        if name.is_empty() || self.depth > 32 || op.is_none() {
            self.invalid = true;
            self.pos = self.chars.len();
            return;
        }
        if op == Some('}') && !colon {
            self.depth -= 1;
            let value = self.known(&name);
            out.push_str(&value);
            return;
        }
        let outer_unknown = std::mem::take(&mut self.unknown);
        let word = self.word(Some('}'));
        let word_known = !std::mem::replace(&mut self.unknown, outer_unknown);
        if self.peek() != Some('}') {
            self.invalid = true;
            return;
        }
        self.pos += 1;
        self.depth -= 1;
        // Empty counts as unset only with `:`.
        let set = match (self.lookup)(&name) {
            VarValue::Known(v) => Some(!(colon && v.is_empty())),
            VarValue::Unset => Some(false),
            VarValue::Unknown => None,
        };
        let needs_word = matches!(
            (op, set),
            (Some('-'), Some(false)) | (Some('+'), Some(true))
        );
        let result = match (op, set) {
            (Some('-' | '?'), Some(true)) => Some(self.known(&name)),
            (Some('-' | '+'), Some(_)) if needs_word => Some(word.clone()),
            (Some('+'), Some(false)) => Some(String::new()),
            (Some(op @ ('#' | '%')), Some(_)) if !colon && word_known => {
                let value = self.known(&name);
                trim_pattern(&value, op, &word)
            }
            _ => None,
        };
        if needs_word && !word_known {
            self.unknown = true;
        }
        match result {
            Some(r) => out.push_str(&r),
            None => self.unknown = true,
        }
    }
}

/// `${V#p}`, `${V##p}`, `${V%p}`, `${V%%p}` for literal patterns (shortest and longest match are
/// the same); `None` for glob patterns.
fn trim_pattern(value: &str, op: char, pattern: &str) -> Option<String> {
    let pattern = pattern.strip_prefix(op).unwrap_or(pattern);
    if pattern.contains(['*', '?', '[']) {
        return None;
    }
    let trimmed = if op == '#' {
        value.strip_prefix(pattern)
    } else {
        value.strip_suffix(pattern)
    };
    Some(trimmed.unwrap_or(value).to_string())
}
