//! Where things are: the library, the data folder, the state folder, the config file.
//! Layered: command line, then environment, then config file, then defaults.

use crate::archive::source::LibrarySource;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The config file (`~/.config/dubao/config.toml`); every field optional.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Library folder.
    pub library: Option<PathBuf>,
    /// Data folder (the index lives here).
    pub data_dir: Option<PathBuf>,
    /// Reader settings.
    pub reader: ReaderConfig,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReaderConfig {
    /// Text column width in columns (a Han character is 2).
    pub measure: usize,
}

impl Default for ReaderConfig {
    fn default() -> Self {
        ReaderConfig { measure: 80 }
    }
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "dubao")
}

/// Path of the config file: `DUBAO_CONFIG`, else the XDG config folder.
pub fn config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DUBAO_CONFIG") {
        return Some(PathBuf::from(p));
    }
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

impl Config {
    /// Load the config file. A missing file is the defaults; a bad one is an error
    /// naming the file.
    pub fn load() -> anyhow::Result<Config> {
        match config_path() {
            Some(p) => Config::load_from(&p),
            None => Ok(Config::default()),
        }
    }

    pub fn load_from(path: &Path) -> anyhow::Result<Config> {
        match std::fs::read_to_string(path) {
            Ok(s) => toml::from_str(&s)
                .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.message())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(anyhow::anyhow!("{}: {}", path.display(), e)),
        }
    }
}

/// The library: `--library`, else `DUBAO_LIBRARY`, else the config file, else the
/// embedded samples.
pub fn library_source(cli: Option<&Path>, config: &Config) -> LibrarySource {
    let env = std::env::var_os("DUBAO_LIBRARY")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    match cli
        .map(Path::to_path_buf)
        .or(env)
        .or_else(|| config.library.clone())
    {
        Some(dir) => LibrarySource::Dir(dir),
        None => LibrarySource::Embedded,
    }
}

/// The data folder: `--data-dir`, else `DUBAO_DATA_DIR`, else the config file, else the
/// XDG data folder.
pub fn data_dir(cli: Option<&Path>, config: &Config) -> PathBuf {
    let env = std::env::var_os("DUBAO_DATA_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    cli.map(Path::to_path_buf)
        .or(env)
        .or_else(|| config.data_dir.clone())
        .or_else(|| project_dirs().map(|d| d.data_dir().to_path_buf()))
        .unwrap_or_else(|| PathBuf::from(".dubao"))
}

/// The state folder (reading position, bookmarks): `DUBAO_STATE_DIR`, else XDG state.
pub fn state_dir(data_dir: &Path) -> PathBuf {
    if let Some(p) = std::env::var_os("DUBAO_STATE_DIR").filter(|v| !v.is_empty()) {
        return PathBuf::from(p);
    }
    project_dirs()
        .and_then(|d| d.state_dir().map(Path::to_path_buf))
        .unwrap_or_else(|| data_dir.join("state"))
}
