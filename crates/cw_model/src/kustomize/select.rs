//! Patch targets: kustomize's `Selector` (group, version, kind, name and namespace as anchored
//! regular expressions, label and annotation selectors).

use regex::Regex;

use cw_syntax::yaml::Node;

use super::resource::Res;
use super::tree;

pub(super) struct Selector {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: Vec<Requirement>,
    annotations: Vec<Requirement>,
}

impl Selector {
    /// Reads a `target:` mapping.
    pub(super) fn parse(node: &Node) -> Result<Self, String> {
        let re = |key: &str| -> Result<Option<Regex>, String> {
            let pattern = tree::field(node, key);
            if pattern.is_empty() {
                return Ok(None);
            }
            Regex::new(&format!("^(?:{pattern})$"))
                .map(Some)
                .map_err(|e| format!("target `{key}`: invalid regular expression: {e}"))
        };
        Ok(Selector {
            group: re("group")?,
            version: re("version")?,
            kind: re("kind")?,
            name: re("name")?,
            namespace: re("namespace")?,
            labels: requirements(tree::field(node, "labelSelector"))?,
            annotations: requirements(tree::field(node, "annotationSelector"))?,
        })
    }

    pub(super) fn selects(&self, r: &Res) -> bool {
        let cur = r.cur_id();
        let org = r.org_id();
        let matches = |re: &Option<Regex>, a: &str, b: &str| {
            re.as_ref()
                .is_none_or(|re| re.is_match(a) || re.is_match(b))
        };
        if !matches(&self.namespace, &org.namespace, &cur.namespace)
            || !matches(&self.name, &org.name, &cur.name)
        {
            return false;
        }
        let gvk = &cur.gvk;
        let one = |re: &Option<Regex>, s: &str| re.as_ref().is_none_or(|re| re.is_match(s));
        if !one(&self.group, &gvk.group)
            || !one(&self.version, &gvk.version)
            || !one(&self.kind, &gvk.kind)
        {
            return false;
        }
        let labels = r.labels();
        let annotations = r.annotations();
        self.labels.iter().all(|q| q.matches(&labels))
            && self.annotations.iter().all(|q| q.matches(&annotations))
    }
}

/// One requirement of a Kubernetes label selector.
#[derive(Debug, PartialEq)]
enum Requirement {
    Exists(String),
    NotExists(String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Gt(String, i64),
    Lt(String, i64),
}

impl Requirement {
    fn matches(&self, set: &[(String, String)]) -> bool {
        let get = |k: &str| {
            set.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        match self {
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::NotExists(k) => get(k).is_none(),
            Requirement::In(k, values) => get(k).is_some_and(|v| values.iter().any(|x| x == v)),
            Requirement::NotIn(k, values) => get(k).is_none_or(|v| !values.iter().any(|x| x == v)),
            Requirement::Gt(k, n) => get(k)
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|v| v > *n),
            Requirement::Lt(k, n) => get(k)
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|v| v < *n),
        }
    }
}

/// Parses `a=b,c!=d,e in (f,g),!h,i`.
fn requirements(text: &str) -> Result<Vec<Requirement>, String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    let bad = || format!("invalid selector `{text}`");
    let mut out = Vec::new();
    for part in parts {
        let p = part.trim();
        if p.is_empty() {
            if text.trim().is_empty() {
                continue;
            }
            return Err(bad());
        }
        let set = |rest: &str| -> Result<Vec<String>, String> {
            let inner = rest
                .trim()
                .strip_prefix('(')
                .and_then(|r| r.strip_suffix(')'))
                .ok_or_else(bad)?;
            Ok(inner.split(',').map(|v| v.trim().to_owned()).collect())
        };
        let req = if let Some(k) = p.strip_prefix('!') {
            Requirement::NotExists(k.trim().to_owned())
        } else if let Some((k, v)) = p.split_once("!=") {
            Requirement::NotIn(k.trim().to_owned(), vec![v.trim().to_owned()])
        } else if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
            Requirement::In(k.trim().to_owned(), vec![v.trim().to_owned()])
        } else if let Some((k, v)) = p.split_once('>') {
            Requirement::Gt(k.trim().to_owned(), v.trim().parse().map_err(|_| bad())?)
        } else if let Some((k, v)) = p.split_once('<') {
            Requirement::Lt(k.trim().to_owned(), v.trim().parse().map_err(|_| bad())?)
        } else if let Some((k, rest)) = p.split_once(" notin ") {
            Requirement::NotIn(k.trim().to_owned(), set(rest)?)
        } else if let Some((k, rest)) = p.split_once(" in ") {
            Requirement::In(k.trim().to_owned(), set(rest)?)
        } else if p.contains(char::is_whitespace) {
            return Err(bad());
        } else {
            Requirement::Exists(p.to_owned())
        };
        out.push(req);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_selectors() {
        let set = vec![
            ("app".to_owned(), "web".to_owned()),
            ("tier".to_owned(), "front".to_owned()),
        ];
        let ok = |s: &str| {
            requirements(s)
                .expect("parses")
                .iter()
                .all(|r| r.matches(&set))
        };
        assert!(ok("app=web"));
        assert!(ok("app==web,tier"));
        assert!(ok("app in (web, api),!db"));
        assert!(!ok("app notin (web)"));
        assert!(!ok("app!=web"));
        assert!(ok(""));
        assert!(requirements("a b").is_err());
    }
}
