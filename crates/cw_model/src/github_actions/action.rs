//! An action's metadata (`action.yml`): inputs, and `runs:` (composite steps, a Docker image, or a
//! JavaScript entry point).

use cw_diagnostics::Spanned;
use cw_syntax::yaml::Node;

use super::env::Env;
use super::step::{Step, StepOwner};
use super::uses::DockerImage;
use super::{ActionsFile, Str, spanned};

#[derive(Clone, Copy, Debug)]
pub struct Action<'a> {
    pub file: &'a ActionsFile,
    pub node: &'a Node,
}

impl<'a> Action<'a> {
    pub fn name(&self) -> Option<Str<'a>> {
        self.node.get("name").and_then(spanned)
    }

    /// `inputs:`, as `(name, definition)`.
    pub fn inputs(&self) -> Vec<(Str<'a>, &'a Node)> {
        self.node
            .get("inputs")
            .map_or(&[][..], Node::entries)
            .iter()
            .filter_map(|e| {
                let name = e.key.as_scalar()?;
                Some((
                    Spanned::new(name.text.as_str(), e.key.site_range()),
                    &e.value,
                ))
            })
            .collect()
    }

    pub fn runs(&self) -> Option<&'a Node> {
        self.node.get("runs").filter(|n| n.is_map())
    }

    /// `runs.using`: `composite`, `docker`, `node20`...
    pub fn using(&self) -> Option<Str<'a>> {
        self.runs()?.get("using").and_then(spanned)
    }

    pub fn is_composite(&self) -> bool {
        self.using()
            .is_some_and(|u| u.value.eq_ignore_ascii_case("composite"))
    }

    pub fn is_docker(&self) -> bool {
        self.using()
            .is_some_and(|u| u.value.eq_ignore_ascii_case("docker"))
    }

    /// `runs.image` of a Docker action (`Dockerfile`, or `docker://image`).
    pub fn image(&self) -> Option<Str<'a>> {
        self.runs()?.get("image").and_then(spanned)
    }

    /// The image of a Docker action that runs a published image (`docker://...`).
    pub fn docker_image(&self) -> Option<DockerImage<'a>> {
        let image = self.image()?;
        DockerImage::parse(image.value.strip_prefix("docker://")?)
    }

    /// `runs.env` of a Docker action.
    pub fn env(&self) -> Option<Env<'a>> {
        self.runs()?.get("env").map(|node| Env { node })
    }

    /// `runs.steps` of a composite action.
    pub fn steps(&self) -> Vec<Step<'a>> {
        self.runs()
            .and_then(|r| r.get("steps"))
            .map_or(&[][..], Node::items)
            .iter()
            .enumerate()
            .filter(|(_, n)| n.is_map())
            .map(|(index, node)| Step {
                file: self.file,
                node,
                index,
                owner: StepOwner::Action(*self),
            })
            .collect()
    }
}
