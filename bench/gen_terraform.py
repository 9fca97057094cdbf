"""Terraform trees on AWS for the Terraform benchmark, for `gen_corpus.py --formats terraform`.

``tf/modules/`` holds a few shared local modules (a network with subnets and security groups, a
storage module with S3 buckets and their v4 split resources, a database, a service with instances
behind a load balancer, logging). ``tf/stack-NNNN/`` are roots, like the environments of many
teams: variables with defaults and ``terraform.tfvars``, locals, ``count`` and ``for_each``, calls
to the shared modules with arguments, and resources of their own. About a third carry the flaws a
reviewer looks for (public buckets, SSH open to the world, unencrypted volumes and databases,
IMDSv1, plaintext secrets, no flow logs); the others are written the careful way. Some values come
from data sources and unset variables: a reviewer cannot know them and must stay quiet.
"""

from __future__ import annotations

import random

WORDS = [
    "orders", "billing", "search", "catalog", "auth", "media", "events", "reports",
    "payments", "inventory", "shipping", "profile", "gateway", "ledger", "audit", "notify",
]


def network_module() -> dict[str, str]:
    main = """variable "name" {
  type = string
}

variable "cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "azs" {
  type = list(string)
}

variable "public_ip_on_launch" {
  type    = bool
  default = false
}

variable "ssh_cidrs" {
  type    = list(string)
  default = []
}

variable "flow_logs" {
  type    = bool
  default = true
}

locals {
  public  = { for i, az in var.azs : az => cidrsubnet(var.cidr, 8, i) }
  private = { for i, az in var.azs : az => cidrsubnet(var.cidr, 8, i + 100) }
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_hostnames = true
  tags = {
    Name = var.name
  }
}

resource "aws_flow_log" "this" {
  count           = var.flow_logs ? 1 : 0
  vpc_id          = aws_vpc.this.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.flow.arn
}

resource "aws_cloudwatch_log_group" "flow" {
  name              = "/vpc/${var.name}/flow"
  retention_in_days = 90
}

resource "aws_subnet" "public" {
  for_each                = local.public
  vpc_id                  = aws_vpc.this.id
  cidr_block              = each.value
  availability_zone       = each.key
  map_public_ip_on_launch = var.public_ip_on_launch
}

resource "aws_subnet" "private" {
  for_each          = local.private
  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value
  availability_zone = each.key
}

resource "aws_security_group" "app" {
  name        = "${var.name}-app"
  description = "application instances"
  vpc_id      = aws_vpc.this.id

  ingress {
    description     = "from the load balancer"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.lb.id]
  }

  dynamic "ingress" {
    for_each = length(var.ssh_cidrs) > 0 ? [1] : []
    content {
      description = "ssh"
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_blocks = var.ssh_cidrs
    }
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "lb" {
  name        = "${var.name}-lb"
  description = "load balancer"
  vpc_id      = aws_vpc.this.id
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.lb.id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

output "vpc_id" {
  value = aws_vpc.this.id
}

output "private_subnet_ids" {
  value = [for s in aws_subnet.private : s.id]
}

output "public_subnet_ids" {
  value = [for s in aws_subnet.public : s.id]
}

output "app_sg_id" {
  value = aws_security_group.app.id
}

output "lb_sg_id" {
  value = aws_security_group.lb.id
}
"""
    return {"main.tf": main}


def storage_module() -> dict[str, str]:
    main = """variable "buckets" {
  description = "bucket name suffix => settings"
  type = map(object({
    versioning = optional(bool, true)
    public     = optional(bool, false)
    expire_days = optional(number, 365)
  }))
}

variable "prefix" {
  type = string
}

variable "kms_key_arn" {
  type    = string
  default = null
}

resource "aws_s3_bucket" "this" {
  for_each = var.buckets
  bucket   = "${var.prefix}-${each.key}"
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each                = { for k, v in var.buckets : k => v if !v.public }
  bucket                  = aws_s3_bucket.this[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = var.buckets
  bucket   = aws_s3_bucket.this[each.key].id
  versioning_configuration {
    status = each.value.versioning ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_acl" "public" {
  for_each = { for k, v in var.buckets : k => v if v.public }
  bucket   = aws_s3_bucket.this[each.key].id
  acl      = "public-read"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = var.buckets
  bucket   = aws_s3_bucket.this[each.key].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = var.buckets
  bucket   = aws_s3_bucket.this[each.key].id
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration {
      days = each.value.expire_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

output "bucket_arns" {
  value = { for k, b in aws_s3_bucket.this : k => b.arn }
}
"""
    return {"main.tf": main}


def database_module() -> dict[str, str]:
    main = """variable "name" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "engine_version" {
  type    = string
  default = "16.4"
}

variable "instance_class" {
  type    = string
  default = "db.t4g.medium"
}

variable "publicly_accessible" {
  type    = bool
  default = false
}

variable "encrypted" {
  type    = bool
  default = true
}

variable "multi_az" {
  type    = bool
  default = true
}

variable "backup_retention_days" {
  type    = number
  default = 14
}

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_db_instance" "this" {
  identifier                  = var.name
  engine                      = "postgres"
  engine_version              = var.engine_version
  instance_class              = var.instance_class
  allocated_storage           = 50
  db_subnet_group_name        = aws_db_subnet_group.this.name
  username                    = "app"
  manage_master_user_password = true
  publicly_accessible         = var.publicly_accessible
  storage_encrypted           = var.encrypted
  multi_az                    = var.multi_az
  backup_retention_period     = var.backup_retention_days
  deletion_protection         = true
  skip_final_snapshot         = false
}

output "endpoint" {
  value = aws_db_instance.this.endpoint
}
"""
    return {"main.tf": main}


def service_module() -> dict[str, str]:
    main = """variable "name" {
  type = string
}

variable "instance_count" {
  type    = number
  default = 2
}

variable "instance_type" {
  type    = string
  default = "m7g.large"
}

variable "subnet_ids" {
  type = list(string)
}

variable "security_group_ids" {
  type = list(string)
}

variable "ami_id" {
  type = string
}

variable "imds_tokens" {
  type    = string
  default = "required"
}

variable "volume_type" {
  type    = string
  default = "gp3"
}

resource "aws_instance" "this" {
  count                  = var.instance_count
  ami                    = var.ami_id
  instance_type          = var.instance_type
  subnet_id              = var.subnet_ids[count.index % length(var.subnet_ids)]
  vpc_security_group_ids = var.security_group_ids

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = var.imds_tokens
  }

  root_block_device {
    volume_size = 30
    volume_type = var.volume_type
    encrypted   = true
  }

  tags = {
    Name = "${var.name}-${count.index}"
  }
}

resource "aws_lb" "this" {
  name               = var.name
  load_balancer_type = "application"
  subnets            = var.subnet_ids
  security_groups    = var.security_group_ids
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/app/${var.name}"
  retention_in_days = 30
}
"""
    return {"main.tf": main}


MODULES = {
    "network": network_module,
    "storage": storage_module,
    "database": database_module,
    "service": service_module,
}


def stack(rng: random.Random, i: int, flawed: bool) -> dict[str, str]:
    """A root module: calls to the shared modules and resources of its own."""
    name = f"{rng.choice(WORDS)}-{i:04d}"
    region = rng.choice(["eu-west-1", "us-east-1", "ap-southeast-2"])
    azs = ", ".join(f'"{region}{z}"' for z in "abc"[: rng.randint(2, 3)])
    buckets = []
    for b in rng.sample(["assets", "logs", "exports", "backups", "uploads"], rng.randint(1, 3)):
        public = flawed and b == "assets" and rng.random() < 0.5
        versioning = "false" if flawed and rng.random() < 0.4 else "true"
        buckets.append(f'    {b} = {{ versioning = {versioning}, public = {str(public).lower()} }}')
    ssh = '["0.0.0.0/0"]' if flawed and rng.random() < 0.5 else '["10.20.0.0/16"]'
    db = ""
    if rng.random() < 0.6:
        public_db = "true" if flawed and rng.random() < 0.3 else "false"
        encrypted = "false" if flawed and rng.random() < 0.3 else "true"
        db = f"""
module "db" {{
  source                = "../modules/database"
  name                  = "${{local.name}}-db"
  subnet_ids            = module.network.private_subnet_ids
  publicly_accessible   = {public_db}
  encrypted             = {encrypted}
  multi_az              = var.environment == "prod"
  backup_retention_days = var.environment == "prod" ? 14 : {1 if flawed else 7}
}}
"""
    imds = "optional" if flawed and rng.random() < 0.4 else "required"
    gp = "gp2" if flawed and rng.random() < 0.5 else "gp3"
    main = f"""terraform {{
  required_version = ">= 1.6"
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }}
  }}
  backend "s3" {{
    bucket  = "acme-terraform-state"
    key     = "{name}/terraform.tfstate"
    region  = "{region}"
    encrypt = true
  }}
}}

provider "aws" {{
  region = var.region
}}

variable "region" {{
  type    = string
  default = "{region}"
}}

variable "environment" {{
  type = string
}}

variable "team" {{
  type    = string
  default = "platform"
}}

variable "alert_email" {{
  type = string
}}

data "aws_ami" "base" {{
  most_recent = true
  owners      = ["amazon"]
  filter {{
    name   = "name"
    values = ["al2023-ami-*-arm64"]
  }}
}}

locals {{
  name = "{name}-${{var.environment}}"
  tags = {{
    team        = var.team
    environment = var.environment
  }}
}}

module "network" {{
  source              = "../modules/network"
  name                = local.name
  azs                 = [{azs}]
  ssh_cidrs           = {ssh}
  public_ip_on_launch = {"true" if flawed and rng.random() < 0.3 else "false"}
  flow_logs           = {"false" if flawed and rng.random() < 0.4 else "true"}
}}

module "storage" {{
  source = "../modules/storage"
  prefix = local.name
  buckets = {{
{chr(10).join(buckets)}
  }}
}}

module "service" {{
  source             = "../modules/service"
  name               = local.name
  instance_count     = var.environment == "prod" ? 3 : 1
  ami_id             = data.aws_ami.base.id
  subnet_ids         = module.network.private_subnet_ids
  security_group_ids = [module.network.app_sg_id]
  imds_tokens        = "{imds}"
  volume_type        = "{gp}"
}}
{db}
resource "aws_kms_key" "data" {{
  description             = "${{local.name}} data"
  deletion_window_in_days = 30
  enable_key_rotation     = {"false" if flawed and rng.random() < 0.5 else "true"}
}}

resource "aws_ebs_volume" "scratch" {{
  count             = {rng.randint(0, 3)}
  availability_zone = "{region}a"
  size              = 100
  type              = "{gp}"
  encrypted         = {"false" if flawed and rng.random() < 0.5 else "true"}
}}

resource "aws_dynamodb_table" "state" {{
  name         = "${{local.name}}-state"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {{
    name = "id"
    type = "S"
  }}
  point_in_time_recovery {{
    enabled = {"false" if flawed and rng.random() < 0.5 else "true"}
  }}
}}

resource "aws_ssm_parameter" "db_password" {{
  name  = "/${{local.name}}/db/password"
  type  = "{"String" if flawed and rng.random() < 0.4 else "SecureString"}"
  value = var.alert_email
}}

resource "aws_ecr_repository" "app" {{
  name                 = local.name
  image_tag_mutability = "{"MUTABLE" if flawed else "IMMUTABLE"}"
  image_scanning_configuration {{
    scan_on_push = true
  }}
}}

resource "aws_lambda_function" "notify" {{
  function_name = "${{local.name}}-notify"
  role          = "arn:aws:iam::123456789012:role/lambda"
  runtime       = "python3.12"
  handler       = "main.handler"
  filename      = "notify.zip"
  environment {{
    variables = {{
      ALERT_EMAIL = var.alert_email
      LOG_LEVEL   = "info"
    }}
  }}
}}
"""
    tfvars = f'environment = "{rng.choice(["prod", "staging", "dev"])}"\nalert_email = "oncall-{i}@example.com"\n'
    return {"main.tf": main, "terraform.tfvars": tfvars}


def gen_terraform(rng: random.Random, w, n: int) -> None:
    for module, make in MODULES.items():
        for name, text in make().items():
            w.write(f"tf/modules/{module}/{name}", text, kind="terraform")
    for i in range(n):
        flawed = rng.random() < 0.33
        for name, text in stack(rng, i, flawed).items():
            w.write(f"tf/stack-{i:04d}/{name}", text, kind="terraform")
