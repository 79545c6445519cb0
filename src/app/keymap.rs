//! Which key does what. The list's and the reader's commands are [`Action`]s; a
//! [`Keymap`] binds each to keys, from the defaults and the config file's `[keys]`
//! table. The search box's editing keys and Ctrl-C are fixed: they are not commands
//! one would move, and Ctrl-C must always get the user out.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// A bindable command of the list or the reader. The config file names them in
/// snake_case (`next_article`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Open,
    Back,
    Quit,
    SwitchPane,
    Zoom,
    PrevArticle,
    NextArticle,
    PrevIssue,
    NextIssue,
    PrevPage,
    NextPage,
    Fold,
    FoldAll,
    JumpToDate,
    FlipOrder,
    Search,
    NextMatch,
    PrevMatch,
    Bookmark,
    Bookmarks,
    Copy,
    Help,
}

/// Where a key is pressed: the commands of the two places differ a little (`q` quits
/// the list but leaves the reader).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    List,
    Reader,
}

impl Action {
    pub const ALL: [Action; 28] = [
        Action::Down,
        Action::Up,
        Action::PageDown,
        Action::PageUp,
        Action::Top,
        Action::Bottom,
        Action::Open,
        Action::Back,
        Action::Quit,
        Action::SwitchPane,
        Action::Zoom,
        Action::PrevArticle,
        Action::NextArticle,
        Action::PrevIssue,
        Action::NextIssue,
        Action::PrevPage,
        Action::NextPage,
        Action::Fold,
        Action::FoldAll,
        Action::JumpToDate,
        Action::FlipOrder,
        Action::Search,
        Action::NextMatch,
        Action::PrevMatch,
        Action::Bookmark,
        Action::Bookmarks,
        Action::Copy,
        Action::Help,
    ];

    /// The name in the config file.
    pub fn name(self) -> &'static str {
        match self {
            Action::Down => "down",
            Action::Up => "up",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::Open => "open",
            Action::Back => "back",
            Action::Quit => "quit",
            Action::SwitchPane => "switch_pane",
            Action::Zoom => "zoom",
            Action::PrevArticle => "prev_article",
            Action::NextArticle => "next_article",
            Action::PrevIssue => "prev_issue",
            Action::NextIssue => "next_issue",
            Action::PrevPage => "prev_page",
            Action::NextPage => "next_page",
            Action::Fold => "fold",
            Action::FoldAll => "fold_all",
            Action::JumpToDate => "jump_to_date",
            Action::FlipOrder => "flip_order",
            Action::Search => "search",
            Action::NextMatch => "next_match",
            Action::PrevMatch => "prev_match",
            Action::Bookmark => "bookmark",
            Action::Bookmarks => "bookmarks",
            Action::Copy => "copy",
            Action::Help => "help",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Action> {
        use serde::de::IntoDeserializer;
        let de: serde::de::value::StrDeserializer<serde::de::value::Error> =
            name.into_deserializer();
        Action::deserialize(de).ok()
    }

    /// What it does, for the config file's comments.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Action::Down => "Move down in the list; scroll the reader down a line.",
            Action::Up => "Move up in the list; scroll the reader up a line.",
            Action::PageDown => "A page down; at the end of an article, the next article.",
            Action::PageUp => "A page up.",
            Action::Top => "To the top.",
            Action::Bottom => "To the bottom.",
            Action::Open => "Read the selected article (in the list).",
            Action::Back => "Back to the list (in the reader).",
            Action::Quit => "Quit (in the list; Ctrl-C quits everywhere).",
            Action::SwitchPane => "Switch between list and reader (wide screens).",
            Action::Zoom => {
                "One pane at a time, full width (wide screens); scrolling costs fewer bytes."
            }
            Action::PrevArticle => "The previous article.",
            Action::NextArticle => "The next article.",
            Action::PrevIssue => "The first article of the previous issue.",
            Action::NextIssue => "The first article of the next issue.",
            Action::PrevPage => "The first article of the previous page (版).",
            Action::NextPage => "The first article of the next page (版).",
            Action::Fold => "Fold the page (or issue) in the list, or unfold the folded one.",
            Action::FoldAll => "Fold every issue (a list of dates), or unfold them all.",
            Action::JumpToDate => "Jump to a date: type 2019-11-25, 20191125, 2019-11 or 2019.",
            Action::FlipOrder => "Newest issues first, or oldest first.",
            Action::Search => "Open the search box.",
            Action::NextMatch => "The next match of the search (in the reader).",
            Action::PrevMatch => "The previous match of the search (in the reader).",
            Action::Bookmark => "Bookmark the article, or remove its bookmark.",
            Action::Bookmarks => "List the bookmarks.",
            Action::Copy => "Copy title, issue, date and id to the clipboard (OSC 52).",
            Action::Help => "Show the keys.",
        }
    }

    fn default_keys(self) -> &'static [&'static str] {
        match self {
            Action::Down => &["j", "Down"],
            Action::Up => &["k", "Up"],
            Action::PageDown => &["Space", "PageDown"],
            Action::PageUp => &["b", "PageUp"],
            Action::Top => &["g", "Home"],
            Action::Bottom => &["G", "End"],
            Action::Open => &["Enter", "Right", "l"],
            Action::Back => &["Esc", "q", "Left", "h"],
            Action::Quit => &["q"],
            Action::SwitchPane => &["Tab", "BackTab"],
            Action::Zoom => &["f"],
            Action::PrevArticle => &["["],
            Action::NextArticle => &["]"],
            Action::PrevIssue => &["{"],
            Action::NextIssue => &["}"],
            Action::PrevPage => &["("],
            Action::NextPage => &[")"],
            Action::Fold => &["z"],
            Action::FoldAll => &["Z"],
            Action::JumpToDate => &[":"],
            Action::FlipOrder => &["o"],
            Action::Search => &["/"],
            Action::NextMatch => &["n"],
            Action::PrevMatch => &["N"],
            Action::Bookmark => &["m"],
            Action::Bookmarks => &["'"],
            Action::Copy => &["y"],
            Action::Help => &["?"],
        }
    }

    pub(crate) fn in_mode(self, mode: Mode) -> bool {
        match mode {
            Mode::List => !matches!(self, Action::Back | Action::NextMatch | Action::PrevMatch),
            Mode::Reader => !matches!(
                self,
                Action::Open
                    | Action::Quit
                    | Action::Fold
                    | Action::FoldAll
                    | Action::FlipOrder
                    | Action::JumpToDate
            ),
        }
    }

    /// Two commands can share a key only if no screen has both.
    fn shares_a_mode(self, other: Action) -> bool {
        [Mode::List, Mode::Reader]
            .iter()
            .any(|&m| self.in_mode(m) && other.in_mode(m))
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One key as the config file writes it: `"j"`, `"J"`, `"Ctrl-n"`, `"PageDown"`.
/// Shift is in the character (`"J"`), so it is not part of the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeySpec {
    code: KeyCode,
    ctrl: bool,
    alt: bool,
}

/// Named keys: (config name, the key, short label for the screen).
const NAMED: &[(&str, KeyCode, &str)] = &[
    ("Space", KeyCode::Char(' '), "Space"),
    ("Enter", KeyCode::Enter, "Enter"),
    ("Esc", KeyCode::Esc, "Esc"),
    ("Tab", KeyCode::Tab, "Tab"),
    ("BackTab", KeyCode::BackTab, "S-Tab"),
    ("Backspace", KeyCode::Backspace, "Bksp"),
    ("Delete", KeyCode::Delete, "Del"),
    ("Insert", KeyCode::Insert, "Ins"),
    ("Home", KeyCode::Home, "Home"),
    ("End", KeyCode::End, "End"),
    ("PageUp", KeyCode::PageUp, "PgUp"),
    ("PageDown", KeyCode::PageDown, "PgDn"),
    ("Up", KeyCode::Up, "↑"),
    ("Down", KeyCode::Down, "↓"),
    ("Left", KeyCode::Left, "←"),
    ("Right", KeyCode::Right, "→"),
];

/// Other spellings people type.
const ALIASES: &[(&str, &str)] = &[
    ("Return", "Enter"),
    ("Escape", "Esc"),
    ("Del", "Delete"),
    ("Ins", "Insert"),
    ("PgUp", "PageUp"),
    ("PgDn", "PageDown"),
    ("Shift-Tab", "BackTab"),
];

/// What a bad key spec gets told.
const KEY_HELP: &str = "a key is one character (\"j\", \"J\", \"/\"), or Space, Enter, Esc, Tab, \
BackTab, Backspace, Delete, Insert, Home, End, PageUp, PageDown, Up, Down, Left, Right, F1-F12, \
with Ctrl- or Alt- in front if wanted";

/// What is wrong with the `[keys]` of a config file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("{0:?} is not a key: {KEY_HELP}")]
    NotAKey(String),
    #[error("[keys] {command}: unknown command (known: {known})")]
    UnknownCommand { command: String, known: String },
    #[error("[keys] {command}: {key}")]
    BadKey { command: String, key: Box<KeyError> },
    #[error("[keys] {0}: Ctrl-C always quits and can't be bound")]
    CtrlC(String),
    #[error("[keys] \"{key}\" is bound to both {first} and {second}")]
    Clash {
        key: String,
        first: String,
        second: String,
    },
}

impl KeySpec {
    pub fn parse(spec: &str) -> Result<KeySpec, KeyError> {
        let bad = || KeyError::NotAKey(spec.to_string());
        let mut rest = spec;
        let (mut ctrl, mut alt) = (false, false);
        loop {
            if rest.chars().count() <= 1 {
                break;
            }
            if let Some(r) = strip_prefix_ci(rest, "ctrl-") {
                ctrl = true;
                rest = r;
            } else if let Some(r) = strip_prefix_ci(rest, "alt-") {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let name = ALIASES
            .iter()
            .find(|(alias, _)| alias.eq_ignore_ascii_case(rest))
            .map_or(rest, |(_, name)| name);
        let mut chars = name.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_control() => return Err(bad()),
            (Some(c), None) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            (Some(c), None) => KeyCode::Char(c),
            _ => {
                if let Some((_, code, _)) =
                    NAMED.iter().find(|(n, ..)| n.eq_ignore_ascii_case(name))
                {
                    *code
                } else if let Some(n) = strip_prefix_ci(name, "f").and_then(|n| n.parse().ok())
                    && (1..=12).contains(&n)
                {
                    KeyCode::F(n)
                } else {
                    return Err(bad());
                }
            }
        };
        Ok(KeySpec { code, ctrl, alt })
    }

    /// The key a terminal event stands for (Shift is already in the character).
    pub(crate) fn from_event(key: &KeyEvent) -> KeySpec {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let code = match key.code {
            KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            code => code,
        };
        KeySpec {
            code,
            ctrl,
            alt: key.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// Ctrl-C: always quits, so it can't be bound.
    fn is_ctrl_c(&self) -> bool {
        self.ctrl && self.code == KeyCode::Char('c')
    }

    /// The short label the help and the status line show (`↓`, `PgDn`).
    pub(crate) fn label(&self) -> String {
        let mut s = self.prefix();
        match NAMED.iter().find(|(_, code, _)| *code == self.code) {
            Some((_, _, short)) => s.push_str(short),
            None => s.push_str(&self.key_name()),
        }
        s
    }

    fn prefix(&self) -> String {
        let mut s = String::new();
        if self.ctrl {
            s.push_str("Ctrl-");
        }
        if self.alt {
            s.push_str("Alt-");
        }
        s
    }

    fn key_name(&self) -> String {
        if let Some((name, ..)) = NAMED.iter().find(|(_, code, _)| *code == self.code) {
            return (*name).to_string();
        }
        match self.code {
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        }
    }
}

/// The spec as the config file writes it (parses back to the same key).
impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.prefix(), self.key_name())
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Every command's keys. Built from the defaults and the `[keys]` table; never holds
/// two commands of one screen on one key.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "BTreeMap<String, KeyList>")]
pub struct Keymap {
    bindings: BTreeMap<Action, Vec<KeySpec>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::with_overrides(BTreeMap::new()).expect("the default keys parse and don't clash")
    }
}

impl Keymap {
    /// The defaults with `user`'s commands rebound. A key the user binds is taken
    /// from the command that had it by default (so `next_article = ["l"]` just works);
    /// two of the user's own commands on one key is an error.
    pub(crate) fn with_overrides(user: BTreeMap<Action, Vec<KeySpec>>) -> Result<Keymap, KeyError> {
        let mut bindings = BTreeMap::new();
        for action in Action::ALL {
            let keys = match user.get(&action) {
                Some(keys) => keys.clone(),
                None => {
                    let mut keys = Vec::new();
                    for spec in action.default_keys() {
                        let key = KeySpec::parse(spec)?;
                        let taken = user
                            .iter()
                            .any(|(other, ks)| other.shares_a_mode(action) && ks.contains(&key));
                        if !taken {
                            keys.push(key);
                        }
                    }
                    keys
                }
            };
            bindings.insert(action, keys);
        }
        for (i, &a) in Action::ALL.iter().enumerate() {
            for &b in &Action::ALL[i + 1..] {
                if !a.shares_a_mode(b) {
                    continue;
                }
                if let Some(key) = bindings[&a].iter().find(|k| bindings[&b].contains(k)) {
                    return Err(KeyError::Clash {
                        key: key.to_string(),
                        first: a.to_string(),
                        second: b.to_string(),
                    });
                }
            }
        }
        Ok(Keymap { bindings })
    }

    /// The command `key` runs in `mode`.
    pub fn action(&self, mode: Mode, key: &KeyEvent) -> Option<Action> {
        let spec = KeySpec::from_event(key);
        self.bindings
            .iter()
            .find(|(a, keys)| a.in_mode(mode) && keys.contains(&spec))
            .map(|(a, _)| *a)
    }

    pub fn keys(&self, action: Action) -> &[KeySpec] {
        self.bindings.get(&action).map_or(&[], Vec::as_slice)
    }

    /// All of a command's keys, as the help shows them (`j ↓`).
    pub(crate) fn labels(&self, action: Action) -> String {
        self.keys(action)
            .iter()
            .map(KeySpec::label)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The command's first key, for the status line.
    pub(crate) fn first_label(&self, action: Action) -> Option<String> {
        self.keys(action).first().map(|k| match k.code {
            KeyCode::Char(' ') if !k.ctrl && !k.alt => "Spc".to_string(),
            _ => k.label(),
        })
    }

    /// The `[keys]` table with every binding, as `dubao config` prints it.
    pub(crate) fn to_toml(&self) -> String {
        let mut out = String::new();
        for action in Action::ALL {
            let keys: Vec<String> = self
                .keys(action)
                .iter()
                .map(|k| toml_string(&k.to_string()))
                .collect();
            out.push_str(&format!(
                "\n# {}\n{} = [{}]\n",
                action.describe(),
                action.name(),
                keys.join(", ")
            ));
        }
        out
    }
}

/// A TOML basic string.
pub(crate) fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl TryFrom<BTreeMap<String, KeyList>> for Keymap {
    type Error = KeyError;

    fn try_from(table: BTreeMap<String, KeyList>) -> Result<Self, KeyError> {
        let mut user = BTreeMap::new();
        for (name, KeyList(specs)) in table {
            let action = Action::from_name(&name).ok_or_else(|| {
                let known: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
                KeyError::UnknownCommand {
                    command: name.clone(),
                    known: known.join(", "),
                }
            })?;
            let mut keys = Vec::new();
            for spec in &specs {
                let key = KeySpec::parse(spec).map_err(|e| KeyError::BadKey {
                    command: name.clone(),
                    key: Box::new(e),
                })?;
                if key.is_ctrl_c() {
                    return Err(KeyError::CtrlC(name));
                }
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            user.insert(action, keys);
        }
        Keymap::with_overrides(user)
    }
}

/// A `[keys]` entry's value: one key or a list of keys.
pub(crate) struct KeyList(Vec<String>);

impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = KeyList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key or a list of keys, like [\"j\", \"Down\"]")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeyList, E> {
                Ok(KeyList(vec![v.to_string()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<KeyList, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = seq.next_element::<String>()? {
                    keys.push(k);
                }
                Ok(KeyList(keys))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_serde() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(a));
        }
        assert_eq!(Action::from_name("NextArticle"), None);
    }

    #[test]
    fn specs_parse_and_print_back() {
        for s in [
            "j",
            "J",
            "/",
            "'",
            "\"",
            "\\",
            "-",
            "Ctrl-n",
            "Alt-x",
            "Ctrl-Alt-k",
            "Space",
            "Enter",
            "Esc",
            "Tab",
            "BackTab",
            "Home",
            "PageDown",
            "F5",
            "大",
        ] {
            let k = KeySpec::parse(s).unwrap();
            assert_eq!(KeySpec::parse(&k.to_string()).unwrap(), k, "{s}");
        }
        assert_eq!(KeySpec::parse("ctrl-N"), KeySpec::parse("Ctrl-n"));
        assert_eq!(KeySpec::parse("pgdn"), KeySpec::parse("PageDown"));
        assert_eq!(KeySpec::parse(" "), KeySpec::parse("Space"));
        assert_ne!(KeySpec::parse("J"), KeySpec::parse("j"));
        for bad in ["", "Ctrl-", "Hyper-x", "F13", "PageSideways", "jk", "\t"] {
            assert!(KeySpec::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn events_match_specs() {
        let shift_j = KeyEvent::new(KeyCode::Char('J'), KeyModifiers::SHIFT);
        assert_eq!(KeySpec::from_event(&shift_j), KeySpec::parse("J").unwrap());
        let ctrl_n = KeyEvent::new(KeyCode::Char('N'), KeyModifiers::CONTROL);
        assert_eq!(
            KeySpec::from_event(&ctrl_n),
            KeySpec::parse("Ctrl-n").unwrap()
        );
        let back_tab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(
            KeySpec::from_event(&back_tab),
            KeySpec::parse("Shift-Tab").unwrap()
        );
    }

    #[test]
    fn q_quits_the_list_and_leaves_the_reader() {
        let map = Keymap::default();
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(map.action(Mode::List, &q), Some(Action::Quit));
        assert_eq!(map.action(Mode::Reader, &q), Some(Action::Back));
    }
}
