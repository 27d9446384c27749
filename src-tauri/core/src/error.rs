//! The errors callers branch on. Messages are written for the merchant: they say what happened
//! and what to do. The IPC edge maps each variant to a stable `code` (see [`Error::code`]).

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "The data file {path} was made by a newer version of Kanaal (data version {found}; this \
         version reads up to {known}). Install the latest Kanaal to open it. Nothing in the file \
         has been changed."
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    #[error(
        "The file {path} is not a Kanaal data file. Choose another data folder, or move the file \
         away and start Kanaal again to begin with an empty one."
    )]
    NotKanaalData { path: PathBuf },

    #[error("Could not use the data folder {path}: {source}. Check that the folder exists and that you may write to it.")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("No data folder could be found for this user. Start Kanaal with --data-dir FOLDER or set KANAAL_DATA_DIR.")]
    NoDataDir,

    #[error("The local database reported a problem: {0}. Your last saved changes are safe; try again, and if it keeps happening, make a copy of the data folder and report it.")]
    Database(#[from] rusqlite::Error),

    #[error("{field}: {message}")]
    InvalidInput { field: String, message: String },

    /// The merchant's input refused, typed so the window can word it (see [`crate::problem`]).
    #[error("{0}")]
    Input(crate::problem::InputProblem),

    #[error("{0} was not found. It may have been deleted; refresh the page.")]
    NotFound(String),

    #[error("The catalog already holds {products} products. The demo shop is only loaded into an empty data folder; start with --data-dir on a new folder to try it.")]
    CatalogNotEmpty { products: i64 },

    #[error("Stopped on request. Nothing was changed.")]
    Cancelled,

    /// A drift choice Kanaal cannot carry out; the finding stays open.
    #[error("{0}")]
    DriftRefused(crate::drift::Refusal),

    #[error("Stored data could not be read back ({0}). The data file may have been edited by another program.")]
    Corrupt(String),
}

impl Error {
    /// A short stable code for the UI to branch on. A code exists only if the UI acts on it;
    /// everything else is `"internal"` and shown as its message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::SchemaTooNew { .. } => "schema_too_new",
            Error::NotKanaalData { .. } => "not_kanaal_data",
            Error::Io { .. } | Error::NoDataDir => "data_dir",
            Error::InvalidInput { .. } | Error::Input(_) | Error::DriftRefused(_) => {
                "invalid_input"
            }
            Error::NotFound(_) => "not_found",
            Error::CatalogNotEmpty { .. } => "catalog_not_empty",
            Error::Cancelled => "cancelled",
            Error::Database(_) | Error::Corrupt(_) => "internal",
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            message: message.into(),
        }
    }
}
