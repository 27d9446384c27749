//! The IPC edge: the error shape every command rejects with, and the conversion from core
//! errors. A `code` exists only where the UI acts on it (see `kanaal_core::Error::code`).

use kanaal_core::problem::InputProblem;
use serde::Serialize;

/// What a failed command sends to the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct IpcError {
    pub code: String,
    /// The English sentence (what the command line prints); the window shows it only where
    /// there is nothing typed to word.
    pub message: String,
    /// The merchant's input that was refused, typed: the window says it in its own language
    /// (ui/src/lib/inputProblems.ts).
    pub problem: Option<InputProblem>,
}

impl From<kanaal_core::Error> for IpcError {
    fn from(e: kanaal_core::Error) -> Self {
        let problem = match &e {
            kanaal_core::Error::Input(p) => Some(p.clone()),
            other => InputProblem::of_data_folder(other),
        };
        IpcError {
            code: e.code().to_string(),
            message: e.to_string(),
            problem,
        }
    }
}

impl IpcError {
    pub fn invalid(message: impl Into<String>) -> Self {
        IpcError {
            code: "invalid_input".to_string(),
            message: message.into(),
            problem: None,
        }
    }
}

pub type IpcResult<T> = Result<T, IpcError>;

/// A count for the UI, which types counts as `number` (u32): saturates instead of failing, since
/// no page shows four billion of anything.
pub fn count(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}
