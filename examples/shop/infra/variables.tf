variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "ami" {
  description = "The web servers' image (set by the release pipeline)."
  type        = string
}

variable "db_password" {
  type = string
}
