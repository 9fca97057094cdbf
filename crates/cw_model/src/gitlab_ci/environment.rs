//! `environment:` of a job.

use cw_syntax::yaml::Node;

use super::values::{Str, spanned};

/// A deployment tier (`environment: deployment_tier:`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    Production,
    Staging,
    Testing,
    Development,
    Other,
}

impl Tier {
    pub fn parse(text: &str) -> Option<Tier> {
        Some(match text {
            "production" => Tier::Production,
            "staging" => Tier::Staging,
            "testing" => Tier::Testing,
            "development" => Tier::Development,
            "other" => Tier::Other,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Production => "production",
            Tier::Staging => "staging",
            Tier::Testing => "testing",
            Tier::Development => "development",
            Tier::Other => "other",
        }
    }
}

/// `environment: production` or `environment: {name, url, action, deployment_tier, ...}`.
#[derive(Clone, Debug)]
pub struct Environment<'a> {
    /// The environment's name (the scalar form, or `name:`).
    pub name: Option<Str<'a>>,
    /// The `environment:` value.
    pub node: &'a Node,
}

impl<'a> Environment<'a> {
    pub(crate) fn from_node(node: &'a Node) -> Option<Self> {
        let name = if node.is_map() {
            node.get("name").and_then(spanned)
        } else {
            Some(spanned(node)?)
        };
        Some(Self { name, node })
    }

    /// `action:` (`start` when absent; `prepare`, `stop`, `verify`, `access` deploy nothing).
    pub fn action(&self) -> Option<Str<'a>> {
        self.node.get("action").and_then(spanned)
    }

    /// Whether the job deploys (its action is `start`, written or implied).
    pub fn starts(&self) -> bool {
        self.action().is_none_or(|a| a.value == "start")
    }

    pub fn deployment_tier(&self) -> Option<Str<'a>> {
        self.node.get("deployment_tier").and_then(spanned)
    }

    pub fn url(&self) -> Option<Str<'a>> {
        self.node.get("url").and_then(spanned)
    }

    /// Whether the name holds a variable (`review/$CI_COMMIT_REF_SLUG`): one environment per
    /// branch or merge request.
    pub fn is_dynamic(&self) -> bool {
        self.name.as_ref().is_some_and(|n| n.value.contains('$'))
    }

    /// The tier: `deployment_tier:` when written, else guessed from the words of the name's
    /// literal parts as GitLab guesses it (`prod`, `production`, `live` → production; `staging`,
    /// `stage`, `pre-prod`, `uat`, `demo` → staging; `test`, `qa` → testing; `dev`, `review` →
    /// development). `None` when the name is only variables.
    pub fn tier(&self) -> Option<Tier> {
        if let Some(t) = self.deployment_tier() {
            return Tier::parse(t.value);
        }
        guess_tier(self.name.as_ref()?.value)
    }
}

/// The tier the words of an environment name suggest.
fn guess_tier(name: &str) -> Option<Tier> {
    let lower = name.to_ascii_lowercase();
    let literal: String = strip_variables(&lower);
    let words: Vec<&str> = literal
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return None;
    }
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    if has(&[
        "dev",
        "develop",
        "development",
        "review",
        "local",
        "sandbox",
        "preview",
    ]) {
        return Some(Tier::Development);
    }
    if has(&[
        "test",
        "tests",
        "testing",
        "tst",
        "qa",
        "qc",
        "ci",
        "integration",
        "int",
        "acceptance",
    ]) {
        return Some(Tier::Testing);
    }
    if literal.contains("nonprod")
        || words.windows(2).any(|w| w == ["non", "prod"])
        || has(&[
            "staging", "stage", "stg", "preprod", "uat", "demo", "pre", "model",
        ])
    {
        return Some(Tier::Staging);
    }
    if has(&["prod", "production", "prd", "live"]) {
        return Some(Tier::Production);
    }
    Some(Tier::Other)
}

/// `name` without its `$VAR` and `${VAR}` parts (replaced by a separator).
fn strip_variables(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        out.push(' ');
        if chars.peek() == Some(&'{') {
            for c in chars.by_ref() {
                if c == '}' {
                    break;
                }
            }
        } else {
            while chars
                .peek()
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                chars.next();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Tier, guess_tier};

    #[test]
    fn tiers() {
        for (name, tier) in [
            ("production", Some(Tier::Production)),
            ("prod-eu-1", Some(Tier::Production)),
            ("staging", Some(Tier::Staging)),
            ("non-prod", Some(Tier::Staging)),
            ("nonprod", Some(Tier::Staging)),
            ("review/$CI_COMMIT_REF_SLUG", Some(Tier::Development)),
            ("qa", Some(Tier::Testing)),
            ("customer-portal", Some(Tier::Other)),
            ("$DEPLOY_ENV", None),
            ("${CI_COMMIT_REF_SLUG}", None),
        ] {
            assert_eq!(guess_tier(name), tier, "{name}");
        }
    }
}
