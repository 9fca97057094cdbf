# The shop's AWS infrastructure (flawed on purpose: `cloudwright scan examples/` reviews it).

terraform {
  required_version = "~> 1.9"

  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }

  backend "s3" {
    bucket = "shop-terraform-state"
    key    = "prod/infra.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region = var.region
}

module "assets" {
  source = "./modules/bucket"
  name   = "shop-assets"
}

module "uploads" {
  source     = "./modules/bucket"
  name       = "shop-uploads"
  versioning = true
}

resource "aws_security_group" "web" {
  name        = "shop-web"
  description = "Web servers"

  ingress {
    description = "SSH for debugging"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "web" {
  ami                    = var.ami
  instance_type          = "t3.small"
  vpc_security_group_ids = [aws_security_group.web.id]

  root_block_device {
    volume_type = "gp2"
    encrypted   = true
  }
}

resource "aws_db_instance" "orders" {
  identifier          = "shop-orders"
  engine              = "postgres"
  instance_class      = "db.t4g.medium"
  allocated_storage   = 20
  username            = "shop"
  password            = var.db_password
  storage_encrypted   = true
  multi_az            = true
  deletion_protection = true

  backup_retention_period = 14
}
