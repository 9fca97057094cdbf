//! GitLab CI rules (`GLC`), one file each.
