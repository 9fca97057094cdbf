//! Parse and evaluation throughput on a generated module. Run with
//! `cargo test --release -p cw_model terraform_throughput -- --ignored --nocapture`.
#![expect(clippy::print_stderr, reason = "the measurement is the output")]

use std::fmt::Write as _;
use std::time::Instant;

use cw_syntax::hcl::parse_hcl;

use crate::terraform::{NoLoader, Options, SourceFile, evaluate};

/// A module shaped like real ones: variables with types, locals with `for`, resources with
/// `count`, `for_each`, `dynamic` blocks, templates and function calls.
fn module(copies: usize) -> Vec<SourceFile> {
    let mut files = Vec::new();
    for i in 0..copies {
        let o = i % 250;
        let mut s = String::new();
        let _ = write!(
            s,
            r#"
variable "subnets_{i}" {{
  description = "Subnets of network {i}."
  type = map(object({{
    cidr   = string
    public = optional(bool, false)
  }}))
  default = {{
    a = {{ cidr = "10.{o}.0.0/24" }}
    b = {{ cidr = "10.{o}.1.0/24", public = true }}
  }}
}}

locals {{
  name_{i}   = "net-{i}-${{terraform.workspace}}"
  tags_{i}   = merge({{ Team = "platform", Index = "{i}" }}, {{ Name = local.name_{i} }})
  public_{i} = [for k, s in var.subnets_{i} : k if s.public]
  cidrs_{i}  = cidrsubnets("10.{o}.0.0/16", 4, 4, 8)
}}

resource "aws_vpc" "vpc_{i}" {{
  cidr_block           = "10.{o}.0.0/16"
  enable_dns_hostnames = true
  tags                 = local.tags_{i}
}}

resource "aws_subnet" "subnet_{i}" {{
  for_each                = var.subnets_{i}
  vpc_id                  = aws_vpc.vpc_{i}.id
  cidr_block              = each.value.cidr
  map_public_ip_on_launch = each.value.public
  tags                    = merge(local.tags_{i}, {{ Name = "${{local.name_{i}}}-${{each.key}}" }})
}}

resource "aws_security_group" "sg_{i}" {{
  name   = "${{local.name_{i}}}-sg"
  vpc_id = aws_vpc.vpc_{i}.id

  dynamic "ingress" {{
    for_each = {{ http = 80, https = 443 }}
    content {{
      description = upper(ingress.key)
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = length(local.public_{i}) > 0 ? ["0.0.0.0/0"] : local.cidrs_{i}
    }}
  }}
}}

resource "aws_instance" "web_{i}" {{
  count         = 2
  ami           = "ami-{i:08}"
  instance_type = count.index == 0 ? "t3.micro" : "t3.small"
  subnet_id     = aws_subnet.subnet_{i}["a"].id
  user_data     = <<-EOT
    #!/bin/sh
    echo "${{local.name_{i}}}-${{count.index}}"
    %{{ for c in local.cidrs_{i} ~}}
    route ${{c}}
    %{{ endfor ~}}
  EOT

  root_block_device {{
    encrypted   = true
    volume_size = 20 + count.index * 10
  }}

  tags = merge(local.tags_{i}, {{ Name = format("%s-web-%02d", local.name_{i}, count.index) }})
}}

output "vpc_{i}" {{
  value = {{ id = aws_vpc.vpc_{i}.id, public = local.public_{i}, cidrs = local.cidrs_{i} }}
}}
"#
        );
        files.push(SourceFile::new(format!("net_{i}.tf"), s));
    }
    files
}

#[test]
#[ignore = "a measurement: run in release mode with --ignored"]
fn terraform_throughput() {
    let files = module(2_000);
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let mb = crate::terraform::value::count_f64(bytes) / 1e6;
    let rounds = 3;

    let mut best = f64::MAX;
    for _ in 0..rounds {
        let t = Instant::now();
        for f in &files {
            let file = parse_hcl(&f.text);
            assert!(file.errors.is_empty(), "{:?}", file.errors);
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    eprintln!(
        "parse (hcl-edit + AST): {mb:.1} MB in {best:.3} s = {:.1} MB/s",
        mb / best
    );

    let mut best = f64::MAX;
    let mut resources = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let e = evaluate(".", &files, &Options::default(), &NoLoader);
        best = best.min(t.elapsed().as_secs_f64());
        assert!(
            e.problems.is_empty(),
            "{:?}",
            &e.problems[..e.problems.len().min(3)]
        );
        resources = e.root.resources.len();
    }
    eprintln!(
        "parse + evaluate: {mb:.1} MB, {resources} resource instances in {best:.3} s = {:.1} MB/s",
        mb / best
    );
}
