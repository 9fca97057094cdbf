use super::helpers::report_open_ports;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a security group ingress rule that lets `0.0.0.0/0` or `::/0` reach a datastore port:
    /// inline `ingress` blocks, `aws_security_group_rule` and
    /// `aws_vpc_security_group_ingress_rule` alike. The finding points at the open CIDR. Rules whose
    /// ports or CIDRs are known only after apply are not reported.
    ///
    /// ## Why is this bad?
    /// Databases, caches and search engines (MySQL 3306, PostgreSQL 5432, SQL Server 1433, Oracle 1521, Redis 6379, MongoDB 27017, Elasticsearch 9200, Memcached 11211) open to the internet are found by scanners within hours; many run without authentication by default.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_security_group" "app" {
    ///   ingress {
    ///     from_port   = 5432
    ///     to_port     = 5432
    ///     protocol    = "tcp"
    ///     cidr_blocks = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// Use instead: a source CIDR you control, or another security group as the source.
    ///
    /// ## References
    /// - [Amazon VPC: security group rules](https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html)
    pub struct SgDatastorePortOpenToWorld {
        code: "AWS020",
        name: "sg-datastore-port-open-to-world",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Trivy("AVD-AWS-0107")],
    }
}

/// Ports of common datastores.
const DATASTORE_PORTS: &[i64] = &[3306, 5432, 1433, 1521, 6379, 27017, 9200, 11211];

impl Rule for SgDatastorePortOpenToWorld {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        report_open_ports(
            input,
            ctx,
            Some(DATASTORE_PORTS),
            "a datastore port",
            "allow only the application's security group (`referenced_security_group_id` / `source_security_group_id`) or a private CIDR",
        );
    }
}
