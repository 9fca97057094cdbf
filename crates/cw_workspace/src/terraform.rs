//! The Terraform phase of a scan, before findings stream. A module is a directory of `.tf` and
//! `.tf.json` files. Each directory that no other scanned directory calls as a local module is a
//! root: it is evaluated with its `terraform.tfvars` / `*.auto.tfvars` files, the `TF_VAR_`
//! environment and the local modules it calls, and checked once. A called module is checked
//! through its callers only, with the arguments they pass, so the same value is not reported
//! twice. Findings wait in [`Pending`] for their files' turn.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use cw_linter::{FileKind, TerraformFacts, TerraformResult, lint_terraform};
use cw_model::paths::join;
use cw_model::terraform::{Loader, Options, SourceFile, evaluate};
use rayon::prelude::*;

use crate::kube::Pending;
use crate::scan::{ScanOptions, read_text};
use crate::space::Space;
use crate::walk::WalkedFile;

/// Runs the phase on the walked Terraform files (`.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`).
pub(crate) fn run(
    files: &[&WalkedFile],
    opts: &ScanOptions,
    space: &Space,
    pending: &mut HashMap<String, Pending>,
) {
    let mut dirs: BTreeMap<&str, Vec<&WalkedFile>> = BTreeMap::new();
    for f in files {
        dirs.entry(dir_of(&f.rel)).or_default().push(f);
    }
    let modules: Vec<&str> = dirs
        .iter()
        .filter(|(_, fs)| fs.iter().any(|f| is_module_file(&f.rel)))
        .map(|(d, _)| *d)
        .collect();
    if modules.is_empty() {
        return;
    }
    let env: BTreeMap<String, String> = std::env::vars()
        .filter(|(k, _)| k.starts_with("TF_VAR_"))
        .collect();
    let evaluate_dir = |dir: &str| -> Option<TerraformResult> {
        let sources: Vec<SourceFile> = dirs
            .get(dir)?
            .iter()
            .filter(|f| is_module_file(&f.rel) || is_auto_var_file(&f.rel))
            .filter_map(|f| {
                let text = read_text(&f.abs, opts.max_file_size).ok()?;
                Some(SourceFile::new(f.rel.clone(), text))
            })
            .collect();
        let loader = TfLoader {
            base: &opts.base,
            max_file_size: opts.max_file_size,
            remote: remote_modules(&opts.base.join(dir), dir),
        };
        let options = Options {
            env: env.clone(),
            cli: opts.terraform.clone(),
            ..Options::default()
        };
        let eval = evaluate(root_name(dir), &sources, &options, &loader);
        let facts = TerraformFacts {
            lockfile: Some(opts.base.join(dir).join(".terraform.lock.hcl").is_file()),
        };
        Some(lint_terraform(eval, &facts, &opts.settings))
    };

    // Roots first: the directories no other one calls (by a cheap look at `source` arguments).
    let called = called_dirs(&dirs, opts);
    let roots: Vec<&str> = modules
        .iter()
        .copied()
        .filter(|d| !called.contains(*d))
        .collect();
    let mut results: Vec<TerraformResult> =
        roots.par_iter().filter_map(|d| evaluate_dir(d)).collect();
    // A called directory that no evaluation loaded after all is checked on its own.
    let loaded: HashSet<String> = results
        .iter()
        .flat_map(|r| {
            r.sources
                .sources()
                .iter()
                .map(|s| dir_of(&s.path).to_owned())
        })
        .collect();
    let missed: Vec<&str> = modules
        .iter()
        .copied()
        .filter(|d| called.contains(*d) && !loaded.contains(*d))
        .collect();
    results.par_extend(missed.par_iter().filter_map(|d| evaluate_dir(d)));

    let walked: HashSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    for result in results {
        hand_out(result, &walked, space, pending);
    }
}

/// Gives each finding to the file that holds it, moved to the file's base in the scan's address
/// space; every walked source of the evaluation gets its turn as a Terraform file.
fn hand_out(
    result: TerraformResult,
    walked: &HashSet<&str>,
    space: &Space,
    pending: &mut HashMap<String, Pending>,
) {
    let mut bases: HashMap<u32, u32> = HashMap::new();
    for s in result.sources.sources() {
        if !walked.contains(s.path.as_str()) {
            continue; // `--var`, `TF_VAR_`, a file outside the scan.
        }
        let base = if let Some(p) = pending.get(&s.path) {
            p.base
        } else {
            let Some(base) = space.place(&s.path, s.text.len()) else {
                continue;
            };
            pending.insert(
                s.path.clone(),
                Pending {
                    base,
                    kind: FileKind::Terraform,
                    ..Pending::default()
                },
            );
            base
        };
        bases.insert(s.base, base);
    }
    for mut f in result.findings {
        let Some((source, _)) = result.sources.locate(f.range()) else {
            continue;
        };
        let Some(&to) = bases.get(&source.base) else {
            continue;
        };
        f.rebase(source.base, to);
        if let Some(p) = pending.get_mut(&source.path) {
            p.findings.push(f);
        }
    }
}

fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

fn root_name(dir: &str) -> &str {
    if dir.is_empty() { "." } else { dir }
}

fn has_suffix(name: &str, suffix: &str) -> bool {
    name.len() >= suffix.len()
        && name.is_char_boundary(name.len() - suffix.len())
        && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// A file of the module itself (`.tf`, `.tf.json`), not an override file (Terraform merges
/// those specially; the evaluator ignores them).
fn is_module_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    (has_suffix(name, ".tf") || has_suffix(name, ".tf.json"))
        && !(has_suffix(name, "_override.tf")
            || has_suffix(name, "_override.tf.json")
            || name.eq_ignore_ascii_case("override.tf")
            || name.eq_ignore_ascii_case("override.tf.json"))
}

/// A variable file Terraform loads by itself.
fn is_auto_var_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name == "terraform.tfvars"
        || name == "terraform.tfvars.json"
        || has_suffix(name, ".auto.tfvars")
        || has_suffix(name, ".auto.tfvars.json")
}

/// The directories some scanned module calls with a local `source` (`./x`, `../x`), found by a
/// look at the text: `source = "./..."` lines in `.tf` files and `"source": "./..."` in
/// `.tf.json` files. A miss only costs a second evaluation (see [`run`]).
fn called_dirs(dirs: &BTreeMap<&str, Vec<&WalkedFile>>, opts: &ScanOptions) -> HashSet<String> {
    let found: Vec<String> = dirs
        .par_iter()
        .flat_map_iter(|(dir, files)| {
            let mut out = Vec::new();
            for f in files.iter().filter(|f| is_module_file(&f.rel)) {
                let Ok(text) = read_text(&f.abs, opts.max_file_size) else {
                    continue;
                };
                if !text.contains("module") {
                    continue;
                }
                for source in local_sources(&text) {
                    if let Some(d) = join(dir, source) {
                        out.push(d);
                    }
                }
            }
            out
        })
        .collect();
    found.into_iter().collect()
}

/// The values of `source` arguments that are local paths.
fn local_sources(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter_map(|line| {
        let rest = line.trim_start();
        let rest = rest
            .strip_prefix("source")
            .or_else(|| rest.strip_prefix("\"source\""))?;
        let rest = rest.trim_start().strip_prefix(['=', ':'])?.trim_start();
        let value = rest.strip_prefix('"')?;
        let value = &value[..value.find('"')?];
        (value.starts_with("./") || value.starts_with("../")).then_some(value)
    })
}

/// Reads module directories and files for the evaluator, relative to the scan base.
struct TfLoader<'a> {
    base: &'a Path,
    max_file_size: u64,
    /// Where `terraform init` put each remote module, by call key, relative to the root.
    remote: HashMap<String, String>,
}

/// The remote modules `terraform init` downloaded for the root module in `dir` (`root` on
/// disk), from `.terraform/modules/modules.json`: call key to directory relative to the root.
/// Empty when the file is missing or unreadable (remote modules then stay unrendered).
fn remote_modules(root: &Path, dir: &str) -> HashMap<String, String> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(rename = "Modules", default)]
        modules: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Dir")]
        dir: String,
    }
    let Ok(text) = std::fs::read_to_string(root.join(".terraform/modules/modules.json")) else {
        return HashMap::new();
    };
    let Ok(manifest) = serde_json::from_str::<Manifest>(&text) else {
        return HashMap::new();
    };
    manifest
        .modules
        .into_iter()
        .filter(|e| !e.key.is_empty())
        .filter_map(|e| {
            let d = e.dir.replace('\\', "/");
            // Within the root's directory: the scan reads nothing above it.
            join(dir, &d)?;
            Some((e.key, d.trim_start_matches("./").to_owned()))
        })
        .collect()
}

impl Loader for TfLoader<'_> {
    fn module_files(&self, dir: &str) -> Option<Vec<SourceFile>> {
        let dir = if dir == "." { "" } else { dir };
        let entries = std::fs::read_dir(self.base.join(dir)).ok()?;
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| is_module_file(n))
            .collect();
        names.sort();
        Some(
            names
                .into_iter()
                .filter_map(|n| {
                    let rel = if dir.is_empty() {
                        n
                    } else {
                        format!("{dir}/{n}")
                    };
                    let text = read_text(&self.base.join(&rel), self.max_file_size).ok()?;
                    Some(SourceFile::new(rel, text))
                })
                .collect(),
        )
    }

    fn read_file(&self, path: &str) -> Option<String> {
        read_text(&self.base.join(path), self.max_file_size).ok()
    }

    fn remote_module_dir(&self, key: &str) -> Option<String> {
        self.remote.get(key).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::local_sources;
    use crate::test_tree::scan_tree as scan;

    #[test]
    fn a_called_module_is_checked_through_its_callers_once() {
        let module = "variable \"name\" {}\nmodule \"remote\" {\n  source = \"org/x/aws\"\n}\n";
        let found = scan(
            &[
                (
                    "envs/prod/main.tf",
                    "module \"a\" {\n  source = \"../../modules/m\"\n  name = \"a\"\n}\n",
                ),
                (
                    "envs/dev/main.tf",
                    "\nmodule \"b\" {\n  source = \"../../modules/m\"\n  name = \"b\"\n}\n",
                ),
                ("modules/m/main.tf", module),
                ("broken/main.tf", "resource \"x\" \"y\" {\n  a = \n}\n"),
            ],
            cw_linter::SettingsBuilder {
                select: Some(vec![
                    "CW001".parse().expect("code"),
                    "CW004".parse().expect("code"),
                ]),
                ..cw_linter::SettingsBuilder::default()
            }
            .build()
            .expect("settings"),
        );
        assert_eq!(
            found,
            [
                "broken/main.tf:2 CW001 invalid expression; expected `\"`, `[`, `{`, `-`, `!`, `(`, `_`, `<`, letter or digit",
                "modules/m/main.tf:2 CW004 module `remote` has a remote source, which is not fetched: its outputs are unknown (in module `b`, called at envs/dev/main.tf:2, and through 1 other call)",
            ]
        );
    }

    /// `terraform init` has run: the remote module is read from `.terraform/modules/`, a value the
    /// caller passes is reported where the caller wrote it, a finding in the module's own code at
    /// the `module` block (naming the line in the module), and the module's language-rule findings
    /// not at all.
    #[test]
    fn remote_modules_are_read_where_terraform_init_put_them() {
        let root = "module \"logs\" {\n  source  = \"terraform-aws-modules/s3-bucket/aws\"\n  version = \"4.1.0\"\n  acl     = \"public-read\"\n}\n\nmodule \"gone\" {\n  source = \"org/x/aws\"\n}\n";
        let module = "variable \"acl\" {}\n\nresource \"aws_s3_bucket\" \"this\" {\n  acl = var.acl\n}\n\nmodule \"inner\" {\n  source = \"./modules/inner\"\n}\n";
        let inner = "resource \"aws_ebs_volume\" \"v\" {\n  size = 8\n}\n";
        let manifest = r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"logs","Source":"registry.terraform.io/terraform-aws-modules/s3-bucket/aws","Version":"4.1.0","Dir":".terraform/modules/logs"},{"Key":"logs.inner","Source":"./modules/inner","Dir":".terraform/modules/logs/modules/inner"}]}"#;
        let found = scan(
            &[
                ("app/main.tf", root),
                ("app/.terraform/modules/modules.json", manifest),
                ("app/.terraform/modules/logs/main.tf", module),
                ("app/.terraform/modules/logs/modules/inner/main.tf", inner),
            ],
            cw_linter::SettingsBuilder {
                select: Some(vec![
                    "AWS001".parse().expect("code"),
                    "AWS009".parse().expect("code"),
                    "CW004".parse().expect("code"),
                    "TF".parse().expect("code"),
                ]),
                ..cw_linter::SettingsBuilder::default()
            }
            .build()
            .expect("settings"),
        );
        assert_eq!(
            found,
            [
                "app/main.tf:1 AWS009 `aws_ebs_volume.v` is not encrypted (in remote module `logs`, app/.terraform/modules/logs/modules/inner/main.tf:1)",
                "app/main.tf:4 AWS001 `aws_s3_bucket.this` has the public ACL `public-read`",
                "app/main.tf:7 CW004 module `gone` has a remote source, which is not fetched: its outputs are unknown",
                "app/main.tf:8 TF005 registry module `gone` has no `version`",
            ]
        );
    }

    /// A plan in JSON is found by its content under any `.json` name, and checked by the cloud
    /// rules; other JSON is not taken for one.
    #[test]
    fn plans_are_found_by_content() {
        let plan = r#"{"format_version":"1.2","terraform_version":"1.11.4","planned_values":{"root_module":{"resources":[
{"address":"aws_db_instance.db","mode":"managed","type":"aws_db_instance","name":"db","values":{"publicly_accessible":true}}]}}}"#;
        let found = scan(
            &[
                ("plans/prod.json", plan),
                (
                    "k8s/list.json",
                    "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": []}",
                ),
            ],
            cw_linter::SettingsBuilder {
                select: Some(vec!["AWS042".parse().expect("code")]),
                ..cw_linter::SettingsBuilder::default()
            }
            .build()
            .expect("settings"),
        );
        assert_eq!(
            found,
            [
                "plans/prod.json:2 AWS042 `aws_db_instance.db` is reachable from the internet (`publicly_accessible = true`)"
            ]
        );
    }

    #[test]
    fn local_module_sources_are_found_in_both_syntaxes() {
        let tf = "module \"vpc\" {\n  source = \"../modules/vpc\"\n}\nmodule \"r\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\n";
        assert_eq!(local_sources(tf).collect::<Vec<_>>(), ["../modules/vpc"]);
        let json = "{\"module\": {\"db\": {\n  \"source\": \"./db\"\n}}}";
        assert_eq!(local_sources(json).collect::<Vec<_>>(), ["./db"]);
    }
}
