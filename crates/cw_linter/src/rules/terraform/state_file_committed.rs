use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a Terraform state file in the scanned tree: `terraform.tfstate`, `*.tfstate` and
    /// `*.tfstate.backup`. Files the walk skips (ignored by `.gitignore`) are not scanned, so a
    /// state file that is ignored is not reported.
    ///
    /// ## Why is this bad?
    /// State holds every attribute of every resource in plain text: database passwords, private
    /// keys, access keys. Committed, it is readable by everyone with access to the repository, in
    /// every clone, and forever in the history.
    ///
    /// ## Example
    /// A `terraform.tfstate` committed next to `main.tf`.
    ///
    /// Use instead: store state in a remote backend, remove the file from the repository (and
    /// from its history, rotating every secret it held), and add `*.tfstate` and
    /// `*.tfstate.*` to `.gitignore`.
    ///
    /// ## References
    /// - [Terraform: sensitive data in state](https://developer.hashicorp.com/terraform/language/state/sensitive-data)
    pub struct StateFileCommitted {
        code: "TF011",
        name: "state-file-committed",
        category: Security,
        severity: Error,
        fix: None,
        peers: [],
    }
}

impl Rule for StateFileCommitted {
    type Input = TerraformStateInput;
    type Options = NoOptions;

    fn check(&self, input: &TerraformStateInput, ctx: &mut RuleCtx) {
        let first_line = input
            .text_len
            .min(ctx.source().find('\n').map_or(input.text_len, |i| i));
        ctx.report(
            TextRange::new(0, u32::try_from(first_line).unwrap_or(0)),
            "this is a Terraform state file: it holds every secret of the stack in plain text",
        )
        .help("keep state in a remote backend, delete this file from the repository and its history, rotate its secrets, and ignore `*.tfstate*`");
    }
}
