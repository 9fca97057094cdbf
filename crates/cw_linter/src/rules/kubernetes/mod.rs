//! Kubernetes rules (`K8S`), one file each.
