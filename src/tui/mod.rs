//! The terminal user interface. (Being built: screens, keymaps, event loop.)

use crate::config::Paths;
use crate::i18n::Lang;
use crate::service::Service;

/// How the TUI was asked to start.
#[derive(Clone, Debug)]
pub struct TuiOptions {
    pub lang: Lang,
    /// `--keymap NAME|PATH`: a shipped keymap name (`default`, `vim`) or a file.
    pub keymap: Option<String>,
    pub paths: Paths,
}

/// Runs the TUI until the user quits; restores the terminal on every exit path.
pub fn run(service: Service, options: TuiOptions) -> anyhow::Result<()> {
    let _ = (service, options);
    anyhow::bail!("the TUI is not built yet")
}
