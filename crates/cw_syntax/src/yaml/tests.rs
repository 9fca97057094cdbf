use std::fmt::Write as _;

use cw_diagnostics::TextRange;

use super::*;

fn at(text: &str, range: TextRange) -> &str {
    &text[range.as_usize()]
}

/// Parses YAML that must have no errors and exactly one document; returns its root.
fn one(text: &str) -> Node {
    let file = parse_yaml(text);
    assert!(file.errors.is_empty(), "{text:?}: {:?}", file.errors);
    assert_eq!(file.documents.len(), 1, "{text:?}");
    file.documents
        .into_iter()
        .next()
        .expect("one document")
        .root
}

fn scalar(node: &Node) -> &Scalar {
    node.as_scalar().expect("a scalar")
}

/// The tree without ranges: `{a: 1, b: [x, ~]}`, tags as `!t x`, nulls as `~`.
fn shape(node: &Node) -> String {
    let body = match &node.value {
        Value::Scalar(s) if s.is_null() => "~".to_owned(),
        Value::Scalar(s) => s.text.clone(),
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(shape).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|e| format!("{}: {}", shape(&e.key), shape(&e.value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    match &node.tag {
        Some(tag) => format!("{tag} {body}"),
        None => body,
    }
}

/// Every range of every node (and alias, comment, error, duplicate) lies in `text`, on char
/// boundaries, and a node written in a collection lies inside the collection's range.
fn check_ranges(text: &str, file: &YamlFile) {
    fn ok(text: &str, r: TextRange, what: &str) {
        assert!(
            r.start <= r.end
                && (r.end as usize) <= text.len()
                && text.is_char_boundary(r.start as usize)
                && text.is_char_boundary(r.end as usize),
            "{what} {r:?} in {text:?}"
        );
    }
    fn walk(text: &str, n: &Node) {
        ok(text, n.range, "node");
        if let Some(a) = n.alias {
            ok(text, a, "alias");
        }
        let children = n.entries().iter().flat_map(|e| [&e.key, &e.value]);
        for child in n.items().iter().chain(children) {
            if n.alias.is_none() && child.alias.is_none() {
                assert!(
                    n.range.contains_range(child.range),
                    "{:?} not in {:?} in {text:?}",
                    child.range,
                    n.range
                );
            }
            walk(text, child);
        }
    }
    for d in &file.documents {
        ok(text, d.range, "document");
        walk(text, &d.root);
    }
    for c in &file.comments {
        ok(text, *c, "comment");
    }
    for e in &file.errors {
        ok(text, e.range, "error");
    }
    for d in &file.duplicate_keys {
        ok(text, d.first, "duplicate");
        ok(text, d.duplicate, "duplicate");
    }
}

// ---- collections ----------------------------------------------------------------------------

#[test]
fn block_mapping_and_sequence_ranges_end_at_their_last_value() {
    let text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: app\n      image: nginx\n    - name: side\n  hostNetwork: true\n# trailing comment\n";
    let root = one(text);
    assert_eq!(
        at(text, root.range),
        &text[..text.find("\n# trailing").expect("comment")]
    );
    let spec = root.get("spec").expect("spec");
    assert_eq!(
        at(text, spec.range),
        "containers:\n    - name: app\n      image: nginx\n    - name: side\n  hostNetwork: true"
    );
    let containers = spec.get("containers").expect("containers");
    assert!(containers.is_seq());
    // From the first `-` to the end of the last item, not to the next key's line.
    assert_eq!(
        at(text, containers.range),
        "- name: app\n      image: nginx\n    - name: side"
    );
    let first = &containers.items()[0];
    assert_eq!(at(text, first.range), "name: app\n      image: nginx");
    assert_eq!(at(text, first.get("image").expect("image").range), "nginx");
    assert_eq!(at(text, first.entries()[1].key.range), "image");
    assert_eq!(at(text, containers.items()[1].range), "name: side");
    assert_eq!(at(text, spec.get("hostNetwork").expect("h").range), "true");
    assert_eq!(
        shape(&root),
        "{apiVersion: v1, kind: Pod, spec: {containers: [{name: app, image: nginx}, {name: side}], hostNetwork: true}}"
    );
}

#[test]
fn indentless_sequence_starts_at_its_first_dash() {
    let text = "args:\n- a\n- b\nnext: 1\n";
    let root = one(text);
    assert_eq!(at(text, root.get("args").expect("args").range), "- a\n- b");
    let text = "- - x\n  - y\n- z\n";
    let root = one(text);
    assert_eq!(at(text, root.range), "- - x\n  - y\n- z");
    assert_eq!(at(text, root.items()[0].range), "- x\n  - y");
}

#[test]
fn flow_collections_cover_their_brackets() {
    let text = "a: [1, 'two', {k: v, n: [x]}]\nb: {}\nc: []\n";
    let root = one(text);
    let a = root.get("a").expect("a");
    assert_eq!(at(text, a.range), "[1, 'two', {k: v, n: [x]}]");
    assert_eq!(at(text, a.items()[1].range), "'two'");
    let map = &a.items()[2];
    assert_eq!(at(text, map.range), "{k: v, n: [x]}");
    assert_eq!(at(text, map.get("n").expect("n").range), "[x]");
    assert_eq!(at(text, root.get("b").expect("b").range), "{}");
    assert!(root.get("b").expect("b").is_map());
    assert_eq!(at(text, root.get("c").expect("c").range), "[]");
    // An implicit single-pair mapping inside a flow sequence.
    let text = "[a: b, c]";
    let root = one(text);
    assert_eq!(at(text, root.items()[0].range), "a: b");
    assert_eq!(shape(&root), "[{a: b}, c]");
}

#[test]
fn multi_line_flow_collection_in_a_block_mapping() {
    let text = "env: {\n  A: 1,\n  B: \"2\"\n}\nx: y\n";
    let root = one(text);
    assert_eq!(
        at(text, root.get("env").expect("env").range),
        "{\n  A: 1,\n  B: \"2\"\n}"
    );
    assert_eq!(at(text, root.range), &text[..text.len() - 1]);
}

// ---- scalars --------------------------------------------------------------------------------

#[test]
fn plain_and_quoted_scalars_keep_their_quotes_in_the_range() {
    let text = "a: plain text\nb: 'it''s'\nc: \"tab\\tquote\\\" \\u00e9\"\nd: multi\n  line plain\ne: ''\n";
    let root = one(text);
    let plain = root.get("a").expect("a");
    assert_eq!(
        (at(text, plain.range), scalar(plain).style),
        ("plain text", ScalarStyle::Plain)
    );
    let single = root.get("b").expect("b");
    assert_eq!(at(text, single.range), "'it''s'");
    assert_eq!(
        (scalar(single).text.as_str(), scalar(single).style),
        ("it's", ScalarStyle::SingleQuoted)
    );
    let double = root.get("c").expect("c");
    assert_eq!(at(text, double.range), "\"tab\\tquote\\\" \\u00e9\"");
    assert_eq!(
        (scalar(double).text.as_str(), scalar(double).style),
        ("tab\tquote\" é", ScalarStyle::DoubleQuoted)
    );
    let multi = root.get("d").expect("d");
    assert_eq!(
        (at(text, multi.range), scalar(multi).text.as_str()),
        ("multi\n  line plain", "multi line plain")
    );
    let empty = root.get("e").expect("e");
    assert_eq!(at(text, empty.range), "''");
    assert!(!empty.is_null());
    assert_eq!(empty.as_str(), Some(""));
}

#[test]
fn empty_values_are_null_with_an_empty_range_after_the_colon() {
    let text = "a:\nb: ~\nc: null\nd: x\n";
    let root = one(text);
    let a = root.get("a").expect("a");
    assert!(a.is_null());
    assert_eq!(a.range, TextRange::empty(2));
    assert_eq!(a.as_str(), None);
    assert!(root.get("b").expect("b").is_null());
    assert!(root.get("c").expect("c").is_null());
    assert!(!root.get("d").expect("d").is_null());
}

#[test]
fn block_scalars_range_from_indicator_to_last_content_line() {
    let text = "lit: |\n  line one\n  # not a comment\n\n  three\n\nstrip: |-\n  s\nkeep: |+\n  k\n\n\nfold: >\n  a\n  b\n\n  c\nind: |2\n    two extra\nlast: x\n";
    let root = one(text);
    let lit = root.get("lit").expect("lit");
    assert_eq!(
        at(text, lit.range),
        "|\n  line one\n  # not a comment\n\n  three"
    );
    assert_eq!(scalar(lit).text, "line one\n# not a comment\n\nthree\n");
    assert_eq!(scalar(lit).style, ScalarStyle::Literal);
    let strip = root.get("strip").expect("strip");
    assert_eq!(
        (at(text, strip.range), scalar(strip).text.as_str()),
        ("|-\n  s", "s")
    );
    let keep = root.get("keep").expect("keep");
    assert_eq!(
        (at(text, keep.range), scalar(keep).text.as_str()),
        ("|+\n  k", "k\n\n\n")
    );
    let fold = root.get("fold").expect("fold");
    assert_eq!(at(text, fold.range), ">\n  a\n  b\n\n  c");
    assert_eq!(
        (scalar(fold).text.as_str(), scalar(fold).style),
        ("a b\nc\n", ScalarStyle::Folded)
    );
    let ind = root.get("ind").expect("ind");
    assert_eq!(
        (at(text, ind.range), scalar(ind).text.as_str()),
        ("|2\n    two extra", "  two extra\n")
    );
    // The `# not a comment` line is content, not a comment.
    assert!(parse_yaml(text).comments.is_empty());
}

#[test]
fn block_scalar_with_header_comment_and_in_a_sequence() {
    let text = "- | # header comment\n  body\n- >-\n  folded\n";
    let file = parse_yaml(text);
    let root = &file.documents[0].root;
    assert_eq!(
        at(text, root.items()[0].range),
        "| # header comment\n  body"
    );
    assert_eq!(at(text, root.items()[1].range), ">-\n  folded");
    let comments: Vec<_> = file.comments.iter().map(|c| at(text, *c)).collect();
    assert_eq!(comments, ["# header comment"]);
    // The indicator on the line after a comment, as a document root, as a complex key.
    let text = "k: # c\n  |\n  x\n";
    assert_eq!(at(text, one(text).get("k").expect("k").range), "|\n  x");
    let text = "--- >\n  folded\n";
    assert_eq!(at(text, one(text).range), ">\n  folded");
    let text = "? |\n  key\n: v\n";
    let root = one(text);
    assert_eq!(at(text, root.range), text.trim_end());
    assert_eq!(at(text, root.entries()[0].key.range), "|\n  key");
}

#[test]
fn non_ascii_text_before_a_node_gives_byte_ranges() {
    let text = "名前: \"日本語\"\nemoji: 🦀 crab\nlist: [é, ü]\nafter: plain\n";
    let root = one(text);
    assert_eq!(at(text, root.entries()[0].key.range), "名前");
    assert_eq!(at(text, root.get("名前").expect("k").range), "\"日本語\"");
    assert_eq!(at(text, root.get("emoji").expect("e").range), "🦀 crab");
    let list = root.get("list").expect("list");
    assert_eq!(at(text, list.range), "[é, ü]");
    assert_eq!(at(text, list.items()[1].range), "ü");
    assert_eq!(at(text, root.get("after").expect("a").range), "plain");
    assert_eq!(at(text, root.key_range("after").expect("a")), "after");
}

#[test]
fn crlf_line_endings() {
    let text = "a: 1\r\nb:\r\n  - x\r\n  - y\r\nc: |\r\n  l1\r\n  l2\r\n# c\r\n";
    let file = parse_yaml(text);
    check_ranges(text, &file);
    let root = &file.documents[0].root;
    assert_eq!(at(text, root.get("b").expect("b").range), "- x\r\n  - y");
    let c = root.get("c").expect("c");
    assert_eq!(at(text, c.range), "|\r\n  l1\r\n  l2");
    assert_eq!(scalar(c).text, "l1\nl2\n");
    let comments: Vec<_> = file.comments.iter().map(|c| at(text, *c)).collect();
    assert_eq!(comments, ["# c"]);
}

#[test]
fn byte_order_mark_is_skipped() {
    let text = "\u{feff}# lead\na: 1\n";
    let file = parse_yaml(text);
    assert!(file.errors.is_empty());
    let root = &file.documents[0].root;
    assert_eq!(at(text, root.get("a").expect("a").range), "1");
    assert_eq!(file.comments.len(), 1);
    assert_eq!(at(text, file.comments[0]), "# lead");
}

// ---- documents ------------------------------------------------------------------------------

#[test]
fn multi_document_streams() {
    let text = "# header\na: 1\n---\nb: 2\n...\n--- !Tagged\nc: 3\n---\n";
    let file = parse_yaml(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let shapes: Vec<_> = file.documents.iter().map(|d| shape(&d.root)).collect();
    assert_eq!(shapes, ["{a: 1}", "{b: 2}", "!Tagged {c: 3}", "~"]);
    let ranges: Vec<_> = file.documents.iter().map(|d| at(text, d.range)).collect();
    assert_eq!(ranges, ["a: 1", "b: 2", "!Tagged\nc: 3", ""]);
}

#[test]
fn empty_streams_have_no_documents_and_a_bare_marker_has_one_null_document() {
    for text in ["", "\n\n", "# only a comment\n# another\n", "...\n"] {
        let file = parse_yaml(text);
        assert!(
            file.errors.is_empty() && file.documents.is_empty(),
            "{text:?}: {file:?}"
        );
    }
    let file = parse_yaml("# c\n---\n");
    assert_eq!(file.documents.len(), 1);
    assert!(file.documents[0].root.is_null());
    let file = parse_yaml("---\n---\n");
    assert_eq!(file.documents.len(), 2);
}

// ---- anchors, aliases and merge keys --------------------------------------------------------

#[test]
fn aliases_copy_the_anchored_node_with_the_anchor_range() {
    let text = "base: &img nginx:1.25\nlabels: &l {app: web}\nuse: *img\nmeta:\n  labels: *l\n";
    let root = one(text);
    let base = root.get("base").expect("base");
    assert_eq!(at(text, base.range), "nginx:1.25");
    assert_eq!(base.alias, None);
    let used = root.get("use").expect("use");
    assert_eq!(used.as_str(), Some("nginx:1.25"));
    assert_eq!(used.range, base.range);
    assert_eq!(at(text, used.alias.expect("alias")), "*img");
    assert_eq!(at(text, used.site_range()), "*img");
    let copy = root.path(&["meta", "labels"]).expect("labels");
    assert_eq!(shape(copy), "{app: web}");
    assert_eq!(at(text, copy.range), "{app: web}");
    // Every node of the copy knows the alias that made it.
    let app = copy.get("app").expect("app");
    assert_eq!(at(text, app.range), "web");
    assert_eq!(at(text, app.alias.expect("alias")), "*l");
    // The mapping around the alias ends at the alias, not at the anchor.
    assert_eq!(
        at(text, root.get("meta").expect("meta").range),
        "labels: *l"
    );
}

#[test]
fn an_anchor_can_be_redefined_and_an_alias_takes_the_latest() {
    let text = "a: &x 1\nb: *x\nc: &x 2\nd: *x\n";
    assert_eq!(shape(&one(text)), "{a: 1, b: 1, c: 2, d: 2}");
}

#[test]
fn unknown_and_recursive_aliases_are_errors() {
    let file = parse_yaml("a: *nope\n");
    assert_eq!(file.errors.len(), 1);
    assert!(
        file.errors[0].message.contains("unknown anchor"),
        "{:?}",
        file.errors
    );
    let text = "a: &x [1, *x]\n";
    let file = parse_yaml(text);
    assert_eq!(file.errors.len(), 1, "{:?}", file.errors);
    assert_eq!(at(text, file.errors[0].range), "*x");
    assert_eq!(shape(&file.documents[0].root), "{a: [1, ~]}");
}

#[test]
fn merge_key_single_and_list_with_explicit_keys_winning() {
    let text = "\
defaults: &defaults
  adapter: postgres
  host: localhost
  port: 5432
extra: &extra
  host: db.internal
  pool: 5
dev:
  host: dev.local
  <<: *defaults
  database: dev
prod:
  <<: [*extra, *defaults]
  port: 6432
";
    let file = parse_yaml(text);
    assert!(
        file.errors.is_empty() && file.duplicate_keys.is_empty(),
        "{file:?}"
    );
    let root = &file.documents[0].root;
    let dev = root.get("dev").expect("dev");
    // `host` is written in `dev` (before the merge) and wins; the merged keys take the `<<` place.
    assert_eq!(
        shape(dev),
        "{host: dev.local, adapter: postgres, port: 5432, database: dev}"
    );
    assert!(dev.get("<<").is_none());
    let adapter = dev.entry("adapter").expect("adapter");
    assert_eq!(at(text, adapter.value.range), "postgres");
    assert_eq!(at(text, adapter.value.alias.expect("alias")), "*defaults");
    assert_eq!(at(text, adapter.key.site_range()), "*defaults");
    assert_eq!(dev.get("host").expect("host").alias, None);
    // Earlier sources in the list win: `host` comes from `extra`.
    let prod = root.get("prod").expect("prod");
    assert_eq!(
        shape(prod),
        "{host: db.internal, pool: 5, adapter: postgres, port: 6432}"
    );
    assert_eq!(at(text, prod.get("port").expect("port").range), "6432");
    assert_eq!(
        at(text, prod.range),
        "<<: [*extra, *defaults]\n  port: 6432"
    );
}

#[test]
fn merge_key_inline_mapping_quoted_key_and_invalid_value() {
    let text = "a:\n  <<: {x: 1}\n  y: 2\n";
    let root = one(text);
    assert_eq!(shape(&root), "{a: {x: 1, y: 2}}");
    assert_eq!(root.path(&["a", "x"]).expect("x").alias, None);
    // A quoted `<<` is an ordinary key.
    let root = one("a:\n  \"<<\": {x: 1}\n");
    assert_eq!(shape(&root), "{a: {<<: {x: 1}}}");
    let text = "a:\n  <<: 5\n";
    let file = parse_yaml(text);
    assert_eq!(file.errors.len(), 1);
    assert_eq!(at(text, file.errors[0].range), "5");
    assert!(file.errors[0].message.contains("merge key"));
}

fn count_nodes(n: &Node) -> usize {
    1 + n.items().iter().map(count_nodes).sum::<usize>()
        + n.entries()
            .iter()
            .map(|e| count_nodes(&e.key) + count_nodes(&e.value))
            .sum::<usize>()
}

#[test]
fn billion_laughs_stops_with_an_error() {
    // 10^9 strings if expanded; the budget stops it after about 100k copied nodes.
    let mut text = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let prev = format!("*l{}", i - 1);
        let items = [prev.as_str(); 10].join(", ");
        writeln!(text, "l{i}: &l{i} [{items}]").expect("write");
    }
    text.push_str("boom: *l9\n");
    let file = parse_yaml(&text);
    assert_eq!(file.errors.len(), 1, "{:?}", file.errors);
    assert!(file.errors[0].message.starts_with("alias expansion limit"));
    // l1..l3 copy 12,330 nodes; the 8th `*l3` in l4 would pass 100,000.
    let l4 = text.find("l4:").expect("l4");
    assert_eq!(at(&text, file.errors[0].range), "*l3");
    assert_eq!(file.errors[0].range.start as usize, l4 + 9 + 7 * 5);
    assert_eq!(file.documents.len(), 1);
    let root = &file.documents[0].root;
    assert!(count_nodes(root) < 200_000, "{}", count_nodes(root));
    // The aliases before the limit were expanded; from there on they are null.
    assert_eq!(count_nodes(root.get("l3").expect("l3")), 11_111);
    let l4 = root.get("l4").expect("l4").items();
    assert_eq!(l4.iter().filter(|n| n.is_seq()).count(), 7);
    assert!(l4[7..].iter().all(|n| n.is_null() && n.alias.is_some()));
    assert!(
        root.get("l5")
            .expect("l5")
            .items()
            .iter()
            .all(Node::is_null)
    );
    assert!(root.get("boom").expect("boom").is_null());
}

#[test]
fn many_ordinary_aliases_are_not_limited() {
    let mut text = String::from("base: &b {a: 1, b: 2, c: [1, 2, 3]}\nitems:\n");
    for _ in 0..2_000 {
        text.push_str("  - *b\n");
    }
    let file = parse_yaml(&text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(
        file.documents[0]
            .root
            .get("items")
            .expect("items")
            .items()
            .len(),
        2_000
    );
}

// ---- duplicate keys -------------------------------------------------------------------------

#[test]
fn duplicate_keys_are_recorded_and_the_last_wins() {
    let text = "type: ClusterIP\nports: []\ntype: NodePort\n'type': LoadBalancer\n";
    let file = parse_yaml(text);
    assert!(file.errors.is_empty());
    let root = &file.documents[0].root;
    assert_eq!(
        root.get("type").expect("type").as_str(),
        Some("LoadBalancer")
    );
    assert_eq!(root.entries().len(), 2);
    let dups: Vec<_> = file
        .duplicate_keys
        .iter()
        .map(|d| {
            (
                d.key.as_str(),
                at(text, d.first),
                d.first.start,
                at(text, d.duplicate),
                d.duplicate.start,
            )
        })
        .collect();
    assert_eq!(
        dups,
        [
            ("type", "type", 0, "type", 26),
            ("type", "type", 26, "'type'", 41)
        ]
    );
}

#[test]
fn duplicate_keys_in_large_mappings() {
    let mut text = String::new();
    for i in 0..40 {
        writeln!(text, "k{i}: {i}").expect("write");
    }
    text.push_str("k7: last\n");
    let file = parse_yaml(&text);
    assert_eq!(file.duplicate_keys.len(), 1);
    assert_eq!(file.duplicate_keys[0].key, "k7");
    let root = &file.documents[0].root;
    assert_eq!(root.entries().len(), 40);
    assert_eq!(root.get("k7").expect("k7").as_str(), Some("last"));
}

// ---- tags and YAML 1.1 / 1.2 readings -------------------------------------------------------

#[test]
fn tags_are_kept_as_written() {
    let text = "\
Bucket: !Ref MyBucket
Arn: !GetAtt Role.Arn
Cmd: !Sub |
  echo ${AWS::Region}
Joined: !Join [',', [a, b]]
script: !reference [.setup, script]
n: !!str 123
m: !!map {a: 1}
v: !<tag:example.com,2000:x> y
e: !
";
    let root = one(text);
    let tag = |k: &str| root.get(k).expect(k).tag.as_deref().map(str::to_owned);
    assert_eq!(tag("Bucket").as_deref(), Some("!Ref"));
    assert_eq!(at(text, root.get("Bucket").expect("b").range), "MyBucket");
    assert_eq!(tag("Arn").as_deref(), Some("!GetAtt"));
    assert_eq!(root.get("Arn").expect("a").as_str(), Some("Role.Arn"));
    let cmd = root.get("Cmd").expect("cmd");
    assert_eq!(tag("Cmd").as_deref(), Some("!Sub"));
    assert_eq!(at(text, cmd.range), "|\n  echo ${AWS::Region}");
    assert_eq!(cmd.as_str(), Some("echo ${AWS::Region}\n"));
    assert_eq!(shape(root.get("Joined").expect("j")), "!Join [,, [a, b]]");
    let reference = root.get("script").expect("script");
    assert_eq!(tag("script").as_deref(), Some("!reference"));
    assert_eq!(at(text, reference.range), "[.setup, script]");
    assert_eq!(shape(reference), "!reference [.setup, script]");
    assert_eq!(tag("n").as_deref(), Some("!!str"));
    assert_eq!(root.get("n").expect("n").as_str(), Some("123"));
    assert_eq!(tag("m").as_deref(), Some("!!map"));
    assert_eq!(at(text, root.get("m").expect("m").range), "{a: 1}");
    assert_eq!(tag("v").as_deref(), Some("!<tag:example.com,2000:x>"));
    assert_eq!(tag("e").as_deref(), Some("!"));
}

#[test]
fn anchor_and_tag_are_not_part_of_the_node_range() {
    let text = "a: &x !Ref foo\nb: !Ref &y bar\nc: &z\n  k: v\nd: &w |\n  t\n";
    let root = one(text);
    assert_eq!(at(text, root.get("a").expect("a").range), "foo");
    assert_eq!(at(text, root.get("b").expect("b").range), "bar");
    assert_eq!(at(text, root.get("c").expect("c").range), "k: v");
    assert_eq!(at(text, root.get("d").expect("d").range), "|\n  t");
    let text = "e: !Ref\nf: 1\n";
    let root = one(text);
    let e = root.get("e").expect("e");
    assert!(e.is_null());
    assert_eq!(e.tag.as_deref(), Some("!Ref"));
    assert_eq!(e.range, TextRange::empty(7));
}

#[test]
fn github_actions_on_key_octal_modes_and_yaml11_booleans_stay_strings() {
    let text = "on:\n  push: {branches: [main]}\nmode: 0644\nhex: 0x1F\nenabled: yes\nquoted: \"0644\"\nflag: True\n";
    let root = one(text);
    assert_eq!(root.entries()[0].key_str(), Some("on"));
    assert!(root.get("on").expect("on").is_map());
    let mode = root.get("mode").expect("mode");
    assert_eq!(mode.as_str(), Some("0644"));
    assert_eq!(mode.as_i64(), Some(420));
    assert_eq!(root.get("hex").expect("hex").as_i64(), Some(31));
    let enabled = root.get("enabled").expect("enabled");
    assert_eq!(enabled.as_str(), Some("yes"));
    assert_eq!(enabled.as_bool(), None);
    assert_eq!(enabled.as_bool_yaml11(), Some(true));
    // Quoted scalars are strings in any schema.
    let quoted = root.get("quoted").expect("quoted");
    assert_eq!((quoted.as_i64(), quoted.as_bool_yaml11()), (None, None));
    assert_eq!(root.get("flag").expect("flag").as_bool(), Some(true));
}

#[test]
fn integers_reject_misplaced_signs() {
    let int = |t: &str| {
        Scalar {
            text: t.to_owned(),
            style: ScalarStyle::Plain,
        }
        .as_i64()
    };
    assert_eq!(int("42"), Some(42));
    assert_eq!(int("-42"), Some(-42));
    assert_eq!(int("+7"), Some(7));
    assert_eq!(int("1_000"), Some(1000));
    assert_eq!(int("0o17"), Some(15));
    assert_eq!(int("-0x10"), Some(-16));
    assert_eq!(int("0"), Some(0));
    assert_eq!(int("-9223372036854775808"), Some(i64::MIN));
    for bad in [
        "0x-5",
        "--5",
        "-+5",
        "0o+7",
        "09",
        "",
        "-",
        "0x",
        "1.5",
        "9223372036854775808",
    ] {
        assert_eq!(int(bad), None, "{bad:?}");
    }
}

// ---- errors ---------------------------------------------------------------------------------

#[test]
fn a_malformed_document_has_an_exact_error_and_earlier_documents_are_kept() {
    let text = "ok: 1\n---\na: 1\nb: : 2\n---\nc: 3\n";
    let file = parse_yaml(text);
    assert_eq!(file.documents.len(), 1);
    assert_eq!(shape(&file.documents[0].root), "{ok: 1}");
    assert_eq!(file.errors.len(), 1);
    let error = &file.errors[0];
    assert_eq!(
        error.message,
        "mapping values are not allowed in this context"
    );
    assert_eq!(error.range, TextRange::new(18, 19));
    assert_eq!(at(text, error.range), ":");
}

#[test]
fn error_positions_are_bytes_after_non_ascii_text() {
    let text = "é: \"unterminated\n";
    let file = parse_yaml(text);
    assert_eq!(file.errors.len(), 1, "{:?}", file.errors);
    check_ranges(text, &file);
    let text = "名: x\n\tbad: tab\n";
    let file = parse_yaml(text);
    assert_eq!(file.errors.len(), 1, "{:?}", file.errors);
    check_ranges(text, &file);
    // saphyr says character 3 (the `x`), which is byte 5.
    assert_eq!(
        file.errors[0].message,
        "while scanning a plain scalar, found a tab"
    );
    assert_eq!(file.errors[0].range, TextRange::new(5, 6));
}

#[test]
fn deep_nesting_stops_with_an_error() {
    let text = "[".repeat(100_000);
    let file = parse_yaml(&text);
    assert!(!file.errors.is_empty());
    let mut text = String::new();
    for depth in 0..600 {
        text.push_str(&" ".repeat(depth));
        text.push_str("k:\n");
    }
    let file = parse_yaml(&text);
    assert_eq!(file.errors.len(), 1);
    assert!(
        file.errors[0].message.contains("nested"),
        "{:?}",
        file.errors
    );
    // Just under the limit is fine.
    let text = format!("{}{}", "[".repeat(200), "]".repeat(200));
    assert!(parse_yaml(&text).errors.is_empty());
}

// ---- comments -------------------------------------------------------------------------------

#[test]
fn comments_outside_scalars_are_collected() {
    let text = "# top\na: 1 # trailing\nb: \"not # a comment\"\nc: 'nor # this'\nd: a#b\ne: [x, # in flow\n  y]\n  # indented\n#\n";
    let file = parse_yaml(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let comments: Vec<_> = file.comments.iter().map(|c| at(text, *c)).collect();
    assert_eq!(
        comments,
        ["# top", "# trailing", "# in flow", "# indented", "#"]
    );
    assert_eq!(
        file.documents[0].root.get("d").expect("d").as_str(),
        Some("a#b")
    );
}

#[test]
fn suppression_comment_lookup_with_node_at() {
    let text = "spec:\n  containers:\n    - name: app # cloudwright: ignore[K8S001]\n      securityContext:\n        privileged: true\n";
    let file = parse_yaml(text);
    let comment = file.comments[0];
    assert_eq!(at(text, comment), "# cloudwright: ignore[K8S001]");
    let value = text.find("true").expect("true") as u32;
    let node = file.node_at(value).expect("node");
    assert_eq!(node.as_str(), Some("true"));
    let key = file
        .node_at(text.find("privileged").expect("p") as u32 + 3)
        .expect("key");
    assert_eq!(key.as_str(), Some("privileged"));
    // Between nodes: the innermost collection.
    let gap = text.find("  securityContext").expect("s") as u32;
    let container = file.node_at(gap).expect("container");
    assert!(container.is_map() && container.get("name").is_some());
    assert!(file.node_at(text.len() as u32).is_none());
}

// ---- helpers --------------------------------------------------------------------------------

#[test]
fn find_path_pointer_and_iteration_helpers() {
    let text = "spec:\n  containers:\n    - name: a\n      ports: [80, 443]\n    - name: b\n  a/b: {~k: v}\n";
    let root = one(text);
    let path = [
        PathSegment::from("spec"),
        "containers".into(),
        1.into(),
        "name".into(),
    ];
    assert_eq!(root.find_path(&path).and_then(Node::as_str), Some("b"));
    assert_eq!(
        root.find_path(&[
            "spec".into(),
            "containers".into(),
            "0".into(),
            "ports".into(),
            1.into()
        ])
        .and_then(Node::as_i64),
        Some(443)
    );
    assert!(root.find_path(&["spec".into(), 0.into()]).is_none());
    assert!(
        root.find_path(&["spec".into(), "containers".into(), 5.into()])
            .is_none()
    );
    assert_eq!(
        root.pointer("/spec/containers/0/ports/0")
            .and_then(Node::as_i64),
        Some(80)
    );
    assert_eq!(
        root.pointer("/spec/a~1b/~0k").and_then(Node::as_str),
        Some("v")
    );
    assert_eq!(root.pointer("").map(Node::is_map), Some(true));
    assert!(root.pointer("spec").is_none());
    let spec = root.get("spec").expect("spec");
    let keys: Vec<_> = spec.pairs().map(|(k, _)| k).collect();
    assert_eq!(keys, ["containers", "a/b"]);
    assert_eq!(spec.children().count(), 2);
    let containers = spec.get("containers").expect("c");
    assert_eq!(containers.children().count(), 2);
    let entry = spec.entry("containers").expect("entry");
    assert_eq!(
        at(text, entry.range()),
        &text[8..text.find("\n  a/b").expect("a/b")]
    );
    assert_eq!(at(text, spec.key_range("a/b").expect("a/b")), "a/b");
}

// ---- JSON -----------------------------------------------------------------------------------

#[test]
fn json_has_the_same_tree_as_equivalent_yaml() {
    let json = r#"{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {"name": "web", "labels": {"app": "web"}},
  "spec": {
    "containers": [
      {"name": "app", "image": "nginx", "ports": [{"containerPort": 80}], "tty": true, "args": null}
    ]
  }
}"#;
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  containers:\n    - name: app\n      image: nginx\n      ports:\n        - containerPort: 80\n      tty: true\n      args: null\n";
    let from_json = parse_json(json);
    assert!(from_json.errors.is_empty(), "{:?}", from_json.errors);
    assert_eq!(from_json.documents.len(), 1);
    let root = &from_json.documents[0].root;
    assert_eq!(shape(root), shape(&one(yaml)));
    // The same accessors work.
    let c = root.pointer("/spec/containers/0").expect("container");
    assert_eq!(c.get("tty").and_then(Node::as_bool), Some(true));
    assert!(c.get("args").expect("args").is_null());
    assert_eq!(
        c.pointer("/ports/0/containerPort").and_then(Node::as_i64),
        Some(80)
    );
    // YAML can parse the same JSON too, with the same shape.
    assert_eq!(shape(root), shape(&one(json)));
}

#[test]
fn json_ranges_and_styles() {
    let text = "{\"a\": \"x\\ny\", \"b\": [1.5e3, true, null], \"é\": {\"c\": -0}}";
    let file = parse_json(text);
    check_ranges(text, &file);
    let root = &file.documents[0].root;
    assert_eq!(at(text, root.range), text);
    assert_eq!(at(text, file.documents[0].range), text);
    let a = root.entry("a").expect("a");
    assert_eq!(at(text, a.key.range), "\"a\"");
    assert_eq!(scalar(&a.key).style, ScalarStyle::JsonString);
    assert_eq!(at(text, a.value.range), "\"x\\ny\"");
    assert_eq!(
        (scalar(&a.value).text.as_str(), scalar(&a.value).style),
        ("x\ny", ScalarStyle::JsonString)
    );
    let b = root.get("b").expect("b");
    assert_eq!(at(text, b.range), "[1.5e3, true, null]");
    let texts: Vec<_> = b
        .items()
        .iter()
        .map(|n| (at(text, n.range), scalar(n).text.as_str(), scalar(n).style))
        .collect();
    assert_eq!(
        texts,
        [
            ("1.5e3", "1.5e3", ScalarStyle::JsonLiteral),
            ("true", "true", ScalarStyle::JsonLiteral),
            ("null", "null", ScalarStyle::JsonLiteral)
        ]
    );
    let c = root.path(&["é", "c"]).expect("c");
    assert_eq!((at(text, c.range), c.as_i64()), ("-0", Some(0)));
    // A JSON string is never a boolean or a null.
    let s = parse_json("[\"true\", \"null\"]");
    let items = s.documents[0].root.items();
    assert_eq!((items[0].as_bool(), items[1].is_null()), (None, false));
}

#[test]
fn json_syntax_errors_have_positions() {
    let text = "{\n  \"a\": 1,\n  \"b\" 2\n}";
    let file = parse_json(text);
    assert!(file.documents.is_empty());
    assert_eq!(file.errors.len(), 1);
    let error = &file.errors[0];
    assert_eq!(
        error.message,
        "expected colon after the string or word in object property"
    );
    assert_eq!(error.range.start, text.find('2').expect("2") as u32);
    for (bad, start) in [
        ("{\"a\": 'x'}", 6),
        ("{a: 1}", 1),
        ("[1,, 2]", 3),
        ("[1] [2]", 4),
        ("{\"é\": }", 7),
        ("[0x10]", 1),
        ("[NaN]", 1),
    ] {
        let file = parse_json(bad);
        assert_eq!(file.errors.len(), 1, "{bad:?}");
        check_ranges(bad, &file);
        assert_eq!(
            file.errors[0].range.start, start,
            "{bad:?}: {:?}",
            file.errors
        );
    }
}

#[test]
fn jsonc_comments_and_trailing_commas_are_accepted() {
    let text = "// header\n{\n  /* block\n  comment */ \"a\": 1, // after\n  \"b\": [2,],\n}\n";
    let file = parse_json(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let comments: Vec<_> = file.comments.iter().map(|c| at(text, *c)).collect();
    assert_eq!(
        comments,
        ["// header", "/* block\n  comment */", "// after"]
    );
    assert_eq!(shape(&file.documents[0].root), "{a: 1, b: [2]}");
}

#[test]
fn json_empty_duplicates_and_depth() {
    assert!(parse_json("").documents.is_empty());
    assert!(parse_json("  // nothing\n").documents.is_empty());
    assert!(parse_json("").errors.is_empty());
    let text = "{\"a\": 1, \"a\": 2, \"<<\": {\"z\": 1}}";
    let file = parse_json(text);
    let root = &file.documents[0].root;
    assert_eq!(root.get("a").and_then(Node::as_i64), Some(2));
    assert_eq!(file.duplicate_keys.len(), 1);
    assert_eq!(file.duplicate_keys[0].duplicate, TextRange::new(9, 12));
    // `<<` is not a merge key in JSON.
    assert_eq!(shape(root), "{a: 2, <<: {z: 1}}");
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let file = parse_json(&deep);
    assert_eq!(file.errors.len(), 1);
    assert!(
        file.errors[0].message.contains("nesting"),
        "{:?}",
        file.errors
    );
}

// ---- properties: no panic, ranges in bounds -------------------------------------------------

mod properties {
    use proptest::prelude::*;

    use super::check_ranges;
    use crate::yaml::{parse_json, parse_yaml};

    const SEED: &str = "\
base: &base
  image: \"nginx:1.25\"
  ports: [80, 443]
app:
  <<: *base
  name: 'web'
  env:
    - {name: A, value: x}
    - name: B
      value: |
        multi
        line
  tags: !reference [.a, b]
list:
  - *base
  - ~
on: [push]
---
é: 日本 # c
";

    const JSON_SEED: &str =
        r#"{"a": [1, 2.5, "x\u00e9"], "b": {"c": null, "d": true}, "日": "本"} // c"#;

    const PIECES: &[&str] = &[
        ":",
        "-",
        "- ",
        "&a ",
        "*a",
        "<<: ",
        "'",
        "\"",
        "\t",
        "  ",
        "\n",
        "\r\n",
        "[",
        "]",
        "{",
        "}",
        ",",
        "#",
        "|",
        ">-",
        "!Ref ",
        "!!str ",
        "---\n",
        "...\n",
        "? ",
        "%YAML 1.2\n",
        "é",
        "\u{feff}",
        "\\",
        "\"\\u00",
        "0x",
        "\u{1F980}",
    ];

    /// Inserts, deletes or replaces a few spots of `seed` with YAML-significant pieces.
    fn mutated(seed: &'static str) -> impl Strategy<Value = String> {
        prop::collection::vec(
            (any::<prop::sample::Index>(), 0..PIECES.len(), 0..3usize),
            1..8,
        )
        .prop_map(move |edits| {
            let mut text = seed.to_owned();
            for (index, piece, kind) in edits {
                let boundaries: Vec<usize> = (0..=text.len())
                    .filter(|&i| text.is_char_boundary(i))
                    .collect();
                let at = boundaries[index.index(boundaries.len())];
                let next = boundaries.iter().copied().find(|&i| i > at).unwrap_or(at);
                match kind {
                    0 => text.insert_str(at, PIECES[piece]),
                    1 => text.replace_range(at..next, ""),
                    _ => text.replace_range(at..next, PIECES[piece]),
                }
            }
            text
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn yaml_never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
            check_ranges(&text, &parse_yaml(&text));
        }

        #[test]
        fn yaml_never_panics_on_mutated_yaml(text in mutated(SEED)) {
            check_ranges(&text, &parse_yaml(&text));
        }

        #[test]
        fn yaml_never_panics_on_yaml_like_noise(text in "([-:&*<!|>'\"#?,\\[\\]{} \t\nabé0]|\r\n){0,120}") {
            check_ranges(&text, &parse_yaml(&text));
        }

        #[test]
        fn json_never_panics(text in "\\PC{0,200}") {
            check_ranges(&text, &parse_json(&text));
        }

        #[test]
        fn json_never_panics_on_mutated_json(text in mutated(JSON_SEED)) {
            check_ranges(&text, &parse_json(&text));
            check_ranges(&text, &parse_yaml(&text));
        }
    }
}
