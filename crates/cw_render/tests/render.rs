//! Snapshots of every format over one shared report, plus format-specific checks.

mod common;

use common::{empty_report, render, report};
use cw_render::{Format, RenderOptions};

const PLAIN: RenderOptions = RenderOptions {
    color: false,
    show_fixes: false,
};

#[test]
fn text_plain() {
    insta::assert_snapshot!(render(&report(), Format::Text, PLAIN));
}

#[test]
fn text_with_fixes() {
    let opts = RenderOptions {
        show_fixes: true,
        ..PLAIN
    };
    insta::assert_snapshot!(render(&report(), Format::Text, opts));
}

#[test]
fn text_color() {
    let opts = RenderOptions {
        color: true,
        ..PLAIN
    };
    let colored = render(&report(), Format::Text, opts);
    assert!(colored.contains("\x1b["), "no ANSI escapes in colour mode");
    assert_eq!(strip_ansi(&colored), render(&report(), Format::Text, PLAIN));
    insta::assert_snapshot!(colored.replace('\x1b', "␛"));
}

#[test]
fn json() {
    insta::assert_snapshot!(render(&report(), Format::Json, PLAIN));
}

#[test]
fn sarif() {
    insta::assert_snapshot!(render(&report(), Format::Sarif, PLAIN));
}

#[test]
fn junit() {
    insta::assert_snapshot!(render(&report(), Format::Junit, PLAIN));
}

#[test]
fn github() {
    insta::assert_snapshot!(render(&report(), Format::Github, PLAIN));
}

#[test]
fn markdown() {
    insta::assert_snapshot!(render(&report(), Format::Markdown, PLAIN));
}

#[test]
fn empty_reports() {
    for format in Format::ALL {
        let name = format!("empty_{format}");
        insta::assert_snapshot!(name, render(&empty_report(), format, PLAIN));
    }
}

#[test]
fn no_timings_in_any_output() {
    for format in Format::ALL {
        let out = render(&report(), format, PLAIN);
        assert!(!out.contains("1234"), "{format} prints the elapsed time");
    }
}

/// The JSON contract: keys, their order and their values.
#[test]
fn json_contract() {
    let out = render(&report(), Format::Json, PLAIN);
    assert!(out.ends_with("}\n"));
    let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    // `serde_json::Value` sorts keys, so the order is checked on an order-keeping parse.
    let doc: Node = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(doc.keys(), ["version", "tool", "findings", "summary"]);
    assert_eq!(value["version"], 1);
    assert_eq!(doc["tool"].keys(), ["name", "version", "informationUri"]);

    let findings = value["findings"].as_array().expect("findings");
    let codes: Vec<&str> = findings.iter().filter_map(|f| f["code"].as_str()).collect();
    assert_eq!(codes, ["DKR003", "DKR014", "DKR004", "CW001", "K8S010"]);
    let full = &doc["findings"][2];
    assert_eq!(
        full.keys(),
        [
            "code",
            "name",
            "severity",
            "category",
            "message",
            "path",
            "start",
            "end",
            "resource",
            "help",
            "fix",
            "fingerprint"
        ]
    );
    assert_eq!(full["start"].keys(), ["line", "column"]);
    assert_eq!(full["fix"].keys(), ["title", "applicability", "edits"]);
    assert_eq!(full["fix"]["edits"][0].keys(), ["range", "content"]);
    assert_eq!(full["fix"]["edits"][0]["range"].keys(), ["start", "end"]);
    let root = &value["findings"][2];
    assert_eq!(root["severity"], "error");
    assert_eq!(root["category"], "security");
    assert_eq!(root["start"], serde_json::json!({"line": 8, "column": 6}));
    assert_eq!(root["fix"]["applicability"], "unsafe");
    assert_eq!(
        root["fix"]["edits"][0],
        serde_json::json!({"range": {"start": 164, "end": 168}, "content": "nonroot"})
    );

    // Optional keys are left out, never null.
    assert_eq!(
        doc["findings"][3].keys(),
        [
            "code",
            "name",
            "severity",
            "category",
            "message",
            "path",
            "start",
            "end",
            "fingerprint"
        ]
    );

    assert_eq!(
        doc["summary"].keys(),
        [
            "files",
            "findings",
            "errors",
            "warnings",
            "info",
            "suppressed",
            "baselined",
            "formats"
        ]
    );
    assert_eq!(
        doc["summary"]["formats"].keys(),
        ["dockerfile", "kubernetes", "terraform"]
    );
    assert_eq!(
        value["summary"],
        serde_json::json!({
            "files": 10, "findings": 5, "errors": 1, "warnings": 3, "info": 1,
            "suppressed": 2, "baselined": 1,
            "formats": {"dockerfile": 2, "kubernetes": 5, "terraform": 3}
        })
    );
}

/// A parsed JSON document that keeps object keys in document order.
enum Node {
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    Scalar,
}

impl Node {
    fn keys(&self) -> Vec<&str> {
        match self {
            Node::Object(entries) => entries.iter().map(|(k, _)| k.as_str()).collect(),
            _ => panic!("not an object"),
        }
    }
}

impl std::ops::Index<&str> for Node {
    type Output = Node;

    fn index(&self, key: &str) -> &Node {
        match self {
            Node::Object(entries) => &entries.iter().find(|(k, _)| k == key).expect(key).1,
            _ => panic!("not an object"),
        }
    }
}

impl std::ops::Index<usize> for Node {
    type Output = Node;

    fn index(&self, i: usize) -> &Node {
        match self {
            Node::Array(items) => &items[i],
            _ => panic!("not an array"),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> serde::de::Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JSON")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_str<E>(self, _: &str) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Object(entries))
    }
}

/// The text output must not depend on colour apart from the escapes.
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters final-byte (a letter).
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
