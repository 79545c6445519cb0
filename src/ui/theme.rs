//! Styles. Only the 16 basic colours (they follow the user's terminal palette); with
//! NO_COLOR set, no colour at all: bold, reverse and underline carry the meaning.
//! The colours of each [`Role`] come from the config file's `[colors]` table.

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

pub struct Theme {
    pub(crate) header: Style,
    pub(crate) title: Style,
    pub(crate) subtitle: Style,
    pub(crate) byline: Style,
    pub(crate) dim: Style,
    pub(crate) bold: Style,
    pub(crate) unread: Style,
    pub(crate) selected: Style,
    pub(crate) selected_unfocused: Style,
    pub(crate) highlight: Style,
    pub(crate) status: Style,
}

impl Theme {
    /// The default colours.
    pub fn new(no_color: bool) -> Theme {
        Theme::with_colors(&Colors::default(), no_color)
    }

    /// NO_COLOR wins over the config file: it asks for no colour at all.
    pub fn with_colors(colors: &Colors, no_color: bool) -> Theme {
        let bold = Style::default().add_modifier(Modifier::BOLD);
        if no_color {
            return Theme {
                header: bold.add_modifier(Modifier::UNDERLINED),
                title: bold,
                subtitle: Style::default().add_modifier(Modifier::ITALIC),
                byline: Style::default(),
                dim: Style::default(),
                bold,
                unread: bold,
                selected: Style::default().add_modifier(Modifier::REVERSED),
                selected_unfocused: Style::default().add_modifier(Modifier::UNDERLINED),
                highlight: bold.add_modifier(Modifier::REVERSED),
                status: Style::default().add_modifier(Modifier::REVERSED),
            };
        }
        Theme {
            header: colors.style(Role::Header),
            title: colors.style(Role::Title),
            subtitle: colors.style(Role::Subtitle),
            byline: colors.style(Role::Byline),
            dim: colors.style(Role::Dim),
            bold,
            unread: bold,
            selected: colors.style(Role::Selection),
            selected_unfocused: Style::default().add_modifier(Modifier::REVERSED),
            highlight: colors.style(Role::Highlight),
            status: colors.style(Role::Status),
        }
    }

    /// A byline, plain on a selected row for the same reason.
    pub(crate) fn byline_on(&self, selected: bool) -> Style {
        if selected {
            Style::default()
        } else {
            self.byline
        }
    }
}

/// What a colour in the config file is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Header,
    Title,
    Subtitle,
    Byline,
    Dim,
    Selection,
    Highlight,
    Status,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Header,
        Role::Title,
        Role::Subtitle,
        Role::Byline,
        Role::Dim,
        Role::Selection,
        Role::Highlight,
        Role::Status,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::Header => "header",
            Role::Title => "title",
            Role::Subtitle => "subtitle",
            Role::Byline => "byline",
            Role::Dim => "dim",
            Role::Selection => "selection",
            Role::Highlight => "highlight",
            Role::Status => "status",
        }
    }

    pub(crate) fn describe(self) -> &'static str {
        match self {
            Role::Header => "Issue headings in the list, box titles.",
            Role::Title => "Article titles in the reader.",
            Role::Subtitle => "Subtitles in the reader.",
            Role::Byline => "Bylines and dates.",
            Role::Dim => "Kickers, notes, hints.",
            Role::Selection => "The selected row.",
            Role::Highlight => "Search matches.",
            Role::Status => "The status line.",
        }
    }

    fn default_spec(self) -> StyleSpec {
        let (fg, bg, bold) = match self {
            Role::Header => (Some(Color::Yellow), None, true),
            Role::Title => (Some(Color::Cyan), None, true),
            Role::Subtitle => (Some(Color::Cyan), None, false),
            Role::Byline | Role::Dim => (Some(Color::DarkGray), None, false),
            Role::Selection => (Some(Color::Black), Some(Color::Cyan), false),
            Role::Highlight => (Some(Color::Black), Some(Color::Yellow), false),
            Role::Status => (Some(Color::White), Some(Color::Blue), false),
        };
        StyleSpec {
            fg,
            bg,
            modifiers: if bold {
                Modifier::BOLD
            } else {
                Modifier::empty()
            },
        }
    }
}

/// The 16 basic colours by their config names. ratatui's `Gray` is ANSI white and its
/// `White` is bright white.
const COLORS: &[(&str, Color)] = &[
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("white", Color::Gray),
    ("bright_black", Color::DarkGray),
    ("bright_red", Color::LightRed),
    ("bright_green", Color::LightGreen),
    ("bright_yellow", Color::LightYellow),
    ("bright_blue", Color::LightBlue),
    ("bright_magenta", Color::LightMagenta),
    ("bright_cyan", Color::LightCyan),
    ("bright_white", Color::White),
];

const MODIFIERS: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("italic", Modifier::ITALIC),
    ("underline", Modifier::UNDERLINED),
    ("reverse", Modifier::REVERSED),
];

/// One role's look as the config file writes it: `"black on cyan"`, `"yellow bold"`,
/// `"default reverse"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StyleSpec {
    fg: Option<Color>,
    bg: Option<Color>,
    modifiers: Modifier,
}

/// What is wrong with the `[colors]` of a config file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ColorError {
    #[error("{spec:?}: \"on\" needs a background colour after it")]
    NoBackground { spec: String },
    #[error(
        "{spec:?}: {word:?} is not a colour or style (colours: black red green yellow blue \
         magenta cyan white, bright_ before any of them, default; styles: bold italic \
         underline reverse; \"on COLOUR\" for the background)"
    )]
    BadWord { spec: String, word: String },
    #[error("[colors] {role}: unknown role (known: {known})")]
    UnknownRole { role: String, known: String },
    #[error("[colors] {role} = {spec}")]
    BadSpec { role: String, spec: Box<ColorError> },
}

impl StyleSpec {
    pub(crate) fn parse(spec: &str) -> Result<StyleSpec, ColorError> {
        let mut out = StyleSpec {
            fg: None,
            bg: None,
            modifiers: Modifier::empty(),
        };
        let mut words = spec.split_whitespace().peekable();
        let mut seen_fg = false;
        while let Some(word) = words.next() {
            let w = word.to_ascii_lowercase();
            if let Some((_, m)) = MODIFIERS.iter().find(|(n, _)| *n == w) {
                out.modifiers |= *m;
            } else if w == "on" {
                let bg = words.next().ok_or_else(|| ColorError::NoBackground {
                    spec: spec.to_string(),
                })?;
                out.bg = color(bg).ok_or_else(|| bad_word(spec, bg))?;
            } else if !seen_fg && out.bg.is_none() {
                out.fg = color(&w).ok_or_else(|| bad_word(spec, word))?;
                seen_fg = true;
            } else {
                return Err(bad_word(spec, word));
            }
        }
        Ok(out)
    }

    pub(crate) fn style(&self) -> Style {
        let mut s = Style::default().add_modifier(self.modifiers);
        if let Some(fg) = self.fg {
            s = s.fg(fg);
        }
        if let Some(bg) = self.bg {
            s = s.bg(bg);
        }
        s
    }
}

/// `Some(None)` for `default` (the terminal's own colour).
fn color(word: &str) -> Option<Option<Color>> {
    let w = word.to_ascii_lowercase();
    if w == "default" {
        return Some(None);
    }
    COLORS.iter().find(|(n, _)| *n == w).map(|(_, c)| Some(*c))
}

fn color_name(c: Option<Color>) -> &'static str {
    COLORS
        .iter()
        .find(|(_, k)| Some(*k) == c)
        .map_or("default", |(n, _)| n)
}

fn bad_word(spec: &str, word: &str) -> ColorError {
    ColorError::BadWord {
        spec: spec.to_string(),
        word: word.to_string(),
    }
}

/// Parses back to the same spec.
impl fmt::Display for StyleSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut words: Vec<&str> = Vec::new();
        if self.fg.is_some() || self.bg.is_some() {
            words.push(color_name(self.fg));
        }
        if self.bg.is_some() {
            words.push("on");
            words.push(color_name(self.bg));
        }
        for (name, m) in MODIFIERS {
            if self.modifiers.contains(*m) {
                words.push(name);
            }
        }
        if words.is_empty() {
            words.push("default");
        }
        f.write_str(&words.join(" "))
    }
}

/// Every role's style: the defaults with the config file's `[colors]` on top.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "BTreeMap<String, String>")]
pub struct Colors {
    specs: BTreeMap<Role, StyleSpec>,
}

impl Default for Colors {
    fn default() -> Self {
        Colors {
            specs: Role::ALL.iter().map(|&r| (r, r.default_spec())).collect(),
        }
    }
}

impl Colors {
    pub(crate) fn spec(&self, role: Role) -> StyleSpec {
        self.specs
            .get(&role)
            .copied()
            .unwrap_or_else(|| role.default_spec())
    }

    pub fn style(&self, role: Role) -> Style {
        self.spec(role).style()
    }

    /// The `[colors]` table with every role, as `dubao config` prints it.
    pub(crate) fn to_toml(&self) -> String {
        Role::ALL
            .iter()
            .map(|&r| {
                format!(
                    "\n# {}\n{} = \"{}\"\n",
                    r.describe(),
                    r.name(),
                    self.spec(r)
                )
            })
            .collect()
    }
}

impl TryFrom<BTreeMap<String, String>> for Colors {
    type Error = ColorError;

    fn try_from(table: BTreeMap<String, String>) -> Result<Self, ColorError> {
        let mut colors = Colors::default();
        for (name, spec) in table {
            let role = Role::ALL
                .iter()
                .copied()
                .find(|r| r.name() == name)
                .ok_or_else(|| {
                    let known: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
                    ColorError::UnknownRole {
                        role: name.clone(),
                        known: known.join(", "),
                    }
                })?;
            let spec = StyleSpec::parse(&spec).map_err(|e| ColorError::BadSpec {
                role: name.clone(),
                spec: Box::new(e),
            })?;
            colors.specs.insert(role, spec);
        }
        Ok(colors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_print_back() {
        for s in [
            "black on cyan",
            "yellow bold",
            "default",
            "bold",
            "default on blue",
            "Bright_White on Red underline reverse",
        ] {
            let spec = StyleSpec::parse(s).unwrap();
            assert_eq!(StyleSpec::parse(&spec.to_string()).unwrap(), spec, "{s}");
        }
        assert_eq!(
            StyleSpec::parse("white").unwrap().style().fg,
            Some(Color::Gray)
        );
        for bad in ["purple", "red green", "red on", "on blink", "#ff0000"] {
            assert!(StyleSpec::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn defaults_are_basic_colours() {
        for r in Role::ALL {
            let s = Colors::default().style(r);
            for c in [s.fg, s.bg].into_iter().flatten() {
                assert!(COLORS.iter().any(|(_, k)| *k == c), "{r:?}");
            }
        }
    }
}
