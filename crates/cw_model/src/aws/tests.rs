use super::{Field, from_terraform};
use crate::terraform::{NoLoader, Options, SourceFile, evaluate};

fn model(src: &str) -> super::AwsModel {
    let eval = evaluate(
        ".",
        &[SourceFile::new("main.tf", src)],
        &Options::default(),
        &NoLoader,
    );
    from_terraform(&eval)
}

#[test]
fn split_and_inline_versioning_fill_the_same_field() {
    let m = model(
        r#"
resource "aws_s3_bucket" "split" { bucket = "a" }
resource "aws_s3_bucket_versioning" "split" {
  bucket = aws_s3_bucket.split.id
  versioning_configuration { status = "Enabled" }
}
resource "aws_s3_bucket" "inline" {
  bucket = "b"
  versioning { enabled = true }
}
resource "aws_s3_bucket" "by_name" { bucket = "c" }
resource "aws_s3_bucket_versioning" "by_name" {
  bucket = "c"
  versioning_configuration { status = "Suspended" }
}
resource "aws_s3_bucket" "none" { bucket = "d" }
"#,
    );
    let status: Vec<Option<&str>> = m
        .buckets
        .iter()
        .map(|b| b.versioning.value().map(String::as_str))
        .collect();
    assert_eq!(
        status,
        [Some("Enabled"), Some("Enabled"), Some("Suspended"), None]
    );
    assert!(m.buckets[3].versioning.is_absent());
}

#[test]
fn an_unlinked_companion_makes_the_field_unknown() {
    let m = model(
        r#"
variable "bucket_id" {}
resource "aws_s3_bucket" "b" { bucket = "a" }
resource "aws_s3_bucket_versioning" "v" {
  bucket = var.bucket_id
  versioning_configuration { status = "Enabled" }
}
"#,
    );
    assert!(m.buckets[0].versioning.is_unknown());
}

#[test]
fn security_group_rules_from_every_form() {
    let m = model(
        r#"
resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "TCP"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_security_group_rule" "rdp" {
  type              = "ingress"
  security_group_id = aws_security_group.web.id
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
}
resource "aws_vpc_security_group_ingress_rule" "all" {
  security_group_id = aws_security_group.web.id
  ip_protocol       = "-1"
  cidr_ipv6         = "::/0"
}
"#,
    );
    let sg = &m.security_groups[0];
    assert!(!sg.rules_unknown);
    assert_eq!(sg.rules.len(), 3);
    assert_eq!(
        sg.rules[0].protocol.value().map(String::as_str),
        Some("tcp")
    );
    assert_eq!(sg.rules[0].covers(22), Some(true));
    assert_eq!(sg.rules[1].world().count(), 0);
    assert_eq!(sg.rules[2].all_protocols(), Some(true));
    assert_eq!(sg.rules[2].world().count(), 1);
}

#[test]
fn values_known_only_after_apply_are_unknown() {
    let m = model(
        r#"
variable "encrypted" { type = bool }
data "aws_kms_key" "k" { key_id = "alias/x" }
resource "aws_ebs_volume" "a" {
  availability_zone = "eu-west-1a"
  encrypted         = var.encrypted
}
resource "aws_ebs_volume" "b" {
  availability_zone = "eu-west-1a"
  encrypted         = data.aws_kms_key.k.enabled
}
resource "aws_ebs_volume" "c" { availability_zone = "eu-west-1a" }
"#,
    );
    assert!(m.volumes[0].encrypted.is_unknown());
    assert!(m.volumes[1].encrypted.is_unknown());
    assert_eq!(m.volumes[2].encrypted, Field::Absent);
}
