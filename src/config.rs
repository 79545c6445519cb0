//! Where things are: the library, the data folder, the state folder, the config file.
//! Layered: command line, then environment, then config file, then defaults.

use crate::app::keymap::Keymap;
use crate::archive::source::LibrarySource;
use crate::ui::theme::Colors;
use anyhow::Context as _;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The config file (`~/.config/dubao/config.toml`); every field optional.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Library folder.
    pub library: Option<PathBuf>,
    /// Data folder (the index lives here).
    pub(crate) data_dir: Option<PathBuf>,
    /// Reader settings.
    pub reader: ReaderConfig,
    /// Which key runs which command: the defaults with `[keys]` on top.
    pub keys: Keymap,
    /// The colours: the defaults with `[colors]` on top.
    pub colors: Colors,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReaderConfig {
    /// Text column width in columns (a Han character is 2).
    pub measure: usize,
}

/// Text column widths a config file may ask for.
pub(crate) const MEASURES: std::ops::RangeInclusive<usize> = 20..=400;

impl Default for ReaderConfig {
    fn default() -> Self {
        ReaderConfig { measure: 80 }
    }
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "dubao")
}

/// Path of the config file: `DUBAO_CONFIG`, else the XDG config folder.
pub(crate) fn config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DUBAO_CONFIG") {
        return Some(PathBuf::from(p));
    }
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// What is wrong with a config file, in one line: the entry (and the line, when TOML
/// itself is unhappy).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("line {line}: {message}")]
    Toml { line: usize, message: String },
    #[error("{0}")]
    Entry(String),
    #[error("[reader] measure = {0}: must be {min} to {max} columns", min = MEASURES.start(), max = MEASURES.end())]
    Measure(usize),
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
            Ok(s) => Config::parse(&s).with_context(|| path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(anyhow::anyhow!("{}: {}", path.display(), e)),
        }
    }

    /// Parse and check a config file's text. The error is one line, naming the entry
    /// (and the line, when TOML itself is unhappy).
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            // The message of a `[keys]` or `[colors]` entry (see `KeyError`,
            // `ColorError`) already names the entry.
            let message = e.message().replace('\n', " ");
            match e.span() {
                Some(span) => ConfigError::Toml {
                    line: text[..span.start.min(text.len())].matches('\n').count() + 1,
                    message,
                },
                None => ConfigError::Entry(message),
            }
        })?;
        let m = config.reader.measure;
        if !MEASURES.contains(&m) {
            return Err(ConfigError::Measure(m));
        }
        Ok(config)
    }
}

/// Every setting and its default, with comments: what `dubao config` prints. Made from
/// the same tables the parser uses, so it can't drift from them (and a test parses it
/// back to [`Config::default`]).
pub fn default_config_text() -> String {
    let d = Config::default();
    format!(
        r#"# dubao configuration: ~/.config/dubao/config.toml (or DUBAO_CONFIG).
# Every setting is optional; these are the defaults. Keep only what you change.

# The library folder. Default: the sample pages built into dubao.
# library = "/srv/newspapers"

# Where the search index is kept. Default: the XDG data folder (~/.local/share/dubao).
# data_dir = "/var/cache/dubao"

[reader]
# Width of the text column in columns (a Chinese character takes 2), {min} to {max}.
# A narrower window gives a narrower column.
measure = {measure}

[keys]
# Each command takes one key or a list of keys. A key is one character ("j", "J",
# "/"), or Space, Enter, Esc, Tab, BackTab, Backspace, Delete, Insert, Home, End,
# PageUp, PageDown, Up, Down, Left, Right, F1-F12, with Ctrl- or Alt- in front if
# wanted ("Ctrl-n"). A key you bind is taken from the command that has it by
# default; two of your commands on one key is an error (unless one works only in
# the list and the other only in the reader). [] leaves a command without keys.
# Ctrl-C always quits; the search box's editing keys are fixed.
{keys}
[colors]
# A colour: black red green yellow blue magenta cyan white, the same with bright_
# in front (bright_black is grey), or default (the terminal's own); then
# "on COLOUR" for the background; then any of bold italic underline reverse.
# NO_COLOR in the environment turns every colour off.
{colors}"#,
        min = MEASURES.start(),
        max = MEASURES.end(),
        measure = d.reader.measure,
        keys = d.keys.to_toml(),
        colors = d.colors.to_toml(),
    )
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
pub(crate) fn state_dir(data_dir: &Path) -> PathBuf {
    if let Some(p) = std::env::var_os("DUBAO_STATE_DIR").filter(|v| !v.is_empty()) {
        return PathBuf::from(p);
    }
    project_dirs()
        .and_then(|d| d.state_dir().map(Path::to_path_buf))
        .unwrap_or_else(|| data_dir.join("state"))
}
