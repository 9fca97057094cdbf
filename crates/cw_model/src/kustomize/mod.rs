//! A native Kustomize renderer that keeps provenance.
//!
//! [`render`] builds a kustomization the way `kustomize build` (v5.5, as in `kubectl kustomize`)
//! does, and returns the objects as spanned trees whose nodes point at the file and line that
//! set each value. Every file the renderer reads gets a base offset from the [`Loader`], and its
//! parsed tree is shifted by it ([`cw_syntax::yaml::YamlFile::shift`]), so that a range alone
//! tells the file and the position:
//!
//! - an unchanged value keeps its node from the resource file it comes from;
//! - a value a patch sets keeps the patch's node (a strategic merge patch file, a JSON patch's
//!   `value`, or the lines of an inline patch written in the kustomization);
//! - a value a kustomization field sets gets the range of that field's entry: the `namespace:`
//!   value, `namePrefix:`/`nameSuffix:` for the names they change, `commonLabels`,
//!   `commonAnnotations` and `labels` pairs, `images` (`newTag:`, else `digest:`, else
//!   `newName:`), `replicas` (`count:`), and for generated ConfigMaps and Secrets the generator's
//!   `name:`, each `literals` item, each line of an `envs` file, or the whole file of a `files`
//!   source;
//! - a name reference kustomize rewrites (a `configMapKeyRef` to a renamed or hashed ConfigMap)
//!   keeps the range where the reference is written, with the new name.
//!
//! What is rendered: `resources` (files, multi-document YAML and JSON, `kind: List`, and
//! directories holding a kustomization), `bases`, `components`, `namespace`,
//! `namePrefix`/`nameSuffix` with kustomize's name reference updates, `commonLabels`, `labels`,
//! `commonAnnotations`, `images` (and the old `imageTags`), `replicas`, `patches`,
//! `patchesStrategicMerge`, `patchesJson6902`, `configMapGenerator`, `secretGenerator`,
//! `generatorOptions` and `sortOptions`. What is not (each reported as
//! [`ProblemKind::NotRendered`] at its entry, the rest of the render going on): remote
//! resources, Helm charts, `replacements`, `vars`, `configurations`, `crds`, `openapi`,
//! `transformers`, `generators`, `validators` and `buildMetadata`.
//!
//! Where `kustomize build` stops with an error (a missing file, a patch that matches nothing, a
//! cycle), the renderer reports an [`ProblemKind::Invalid`] problem at the entry and renders the
//! rest.

mod build;
mod fieldspec;
mod generate;
mod json_patch;
mod nameref;
mod resource;
mod select;
mod sha256;
mod smp;
mod transform;
mod tree;
mod value;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use cw_diagnostics::TextRange;
use cw_syntax::yaml::Node;

/// Reads the files of a render. Implemented by the scan (over the file system) and by tests
/// (over a map).
pub trait Loader: Sync {
    /// Reads a file. `path` is normalized, `/`-separated, relative to the scan base, and may
    /// start with `../`. Returns its text and the base offset assigned to it in the scan's
    /// address space (the same path always gets the same base).
    fn load(&self, path: &str) -> Result<Loaded, String>;
    /// Whether `path` is a directory.
    fn is_dir(&self, path: &str) -> bool;
}

/// A file's text and where it starts in the scan's address space.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub text: Arc<str>,
    pub base: u32,
}

/// Renders the kustomization in directory `dir` (which holds `kustomization.yaml`,
/// `kustomization.yml` or `Kustomization`). Never panics; what cannot be rendered is in
/// [`Render::problems`].
pub fn render(dir: &str, loader: &dyn Loader) -> Render {
    build::render(dir, loader)
}

/// Whether `name` is a file name kustomize reads a kustomization from.
pub fn kustomization_file_name(name: &str) -> bool {
    build::KUSTOMIZATION_FILES.contains(&name)
}

/// The result of a render.
#[derive(Clone, Debug, Default)]
pub struct Render {
    /// The rendered objects, in kustomize's output order.
    pub objects: Vec<Rendered>,
    /// Every file read, kustomization files of bases and components included (paths as given
    /// to the loader), in the order they were first read.
    pub files: Vec<String>,
    /// Problems, each at a global range.
    pub problems: Vec<Problem>,
}

/// One rendered object.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub object: Node,
    /// The `namespace:` entry of the kustomization (or of the generator) that set the object's
    /// namespace, when kustomize set it.
    pub namespace_set_by: Option<TextRange>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// A file that is not valid YAML (or JSON): one of its parse errors (CW001).
    Parse,
    /// What `kustomize build` rejects: a missing file, an invalid patch, a cycle (CW001 at the
    /// kustomization entry).
    Invalid,
    /// What this renderer does not do: a remote resource, a Helm chart, an unsupported field
    /// (CW004, at the entry).
    NotRendered,
}
