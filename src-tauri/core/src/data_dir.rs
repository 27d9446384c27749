//! Where the merchant's data lives: `--data-dir`, else `KANAAL_DATA_DIR`, else the operating
//! system's per-user app-data folder (`~/.local/share/kanaal` on Linux,
//! `%APPDATA%\Kanaal\data` on Windows, `~/Library/Application Support/nl.kanaal.Kanaal` on macOS).

use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// The environment variable that overrides the data folder.
pub const ENV_VAR: &str = "KANAAL_DATA_DIR";

/// Picks the data folder. `flag` is the command-line option, `env` the value of
/// [`ENV_VAR`] (passed in so that this stays a pure function).
pub fn resolve(flag: Option<&Path>, env: Option<&str>) -> Result<PathBuf> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    if let Some(e) = env.filter(|e| !e.trim().is_empty()) {
        return Ok(PathBuf::from(e));
    }
    directories::ProjectDirs::from("nl", "Kanaal", "Kanaal")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or(Error::NoDataDir)
}

/// Reads [`ENV_VAR`] from the process environment and resolves.
pub fn from_env(flag: Option<&Path>) -> Result<PathBuf> {
    let env = std::env::var(ENV_VAR).ok();
    resolve(flag, env.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_over_the_environment() {
        let p = resolve(Some(Path::new("/a")), Some("/b")).unwrap();
        assert_eq!(p, PathBuf::from("/a"), "--data-dir beats KANAAL_DATA_DIR");
        let p = resolve(None, Some("/b")).unwrap();
        assert_eq!(
            p,
            PathBuf::from("/b"),
            "KANAAL_DATA_DIR beats the OS default"
        );
        let p = resolve(None, Some("  ")).unwrap();
        assert_ne!(p, PathBuf::from("  "), "an empty variable is ignored");
    }
}
