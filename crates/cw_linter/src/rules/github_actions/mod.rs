//! GitHub Actions rules (`GHA`), one file each.
