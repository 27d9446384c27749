//! Command-line options of the desktop app.

use clap::Parser;
use std::ffi::OsString;
use std::path::PathBuf;

/// Kanaal desktop app.
#[derive(Debug, Clone, Default, Parser)]
#[command(
    name = "kanaal-app",
    version,
    about = "Kanaal: one catalog, every sales channel."
)]
pub struct Options {
    /// Data folder to use (default: KANAAL_DATA_DIR, else the system's app-data folder).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Load the demo shop when the data folder is empty.
    #[arg(long)]
    pub demo: bool,
}

impl Options {
    pub fn from_args(args: impl IntoIterator<Item = OsString>) -> Result<Options, clap::Error> {
        Options::try_parse_from(args)
    }
}
