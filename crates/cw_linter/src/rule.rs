use std::any::Any;
use std::sync::Arc;

use cw_diagnostics::RuleMeta;
use serde::de::DeserializeOwned;

use crate::RuleCtx;
use crate::input::RuleInput;

/// The static metadata of a rule; implemented by [`declare_rule!`].
pub trait RuleMetadata {
    const META: &'static RuleMeta;
}

/// A rule: synchronous, pure and infallible. It reads its input and reports findings through `ctx`.
pub trait Rule: RuleMetadata + Default + Send + Sync + 'static {
    /// What the engine hands the rule (for example [`DockerfileInput`](crate::DockerfileInput)).
    type Input: RuleInput;
    /// The rule's `[rules.<name>]` options in `cloudwright.toml` ([`NoOptions`] when it has none).
    type Options: RuleOptions;

    fn check(&self, input: &Self::Input, ctx: &mut RuleCtx);
}

/// Options of a rule: deserialized from its `[rules.<name>]` table, with defaults when absent.
pub trait RuleOptions: DeserializeOwned + Default + Send + Sync + 'static {
    /// Whether the rule takes options at all (a table for a rule without options is an error).
    const TAKES_OPTIONS: bool = true;
}

/// For rules without options.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

impl RuleOptions for NoOptions {
    const TAKES_OPTIONS: bool = false;
}

pub(crate) type AnyOptions = Arc<dyn Any + Send + Sync>;

pub(crate) fn parse_options<R: Rule>(value: toml::Value) -> Result<AnyOptions, String> {
    if !R::Options::TAKES_OPTIONS {
        return Err(format!("rule `{}` takes no options", R::META.name));
    }
    R::Options::deserialize(value)
        .map(|o| Arc::new(o) as AnyOptions)
        .map_err(|e| e.message().to_string())
}

pub(crate) fn default_options<R: Rule>() -> AnyOptions {
    Arc::new(R::Options::default())
}

pub(crate) fn run<R: Rule>(input: &dyn Any, ctx: &mut RuleCtx) {
    if let Some(input) = input.downcast_ref::<R::Input>() {
        R::default().check(input, ctx);
    }
}

use serde::Deserialize as _;
