//! The config file: what `dubao config` prints parses back to the defaults, and every
//! kind of mistake is a one-line error naming the entry.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dubao::app::keymap::{Action, KeySpec, Mode};
use dubao::config::{Config, default_config_text};
use dubao::ui::theme::Role;
use ratatui::style::{Color, Modifier};

fn err(text: &str) -> String {
    let e = Config::parse(text).expect_err(text).to_string();
    assert!(!e.contains('\n'), "one line: {e:?}");
    e
}

fn press(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

#[test]
fn printed_defaults_parse_back_to_the_defaults() {
    let text = default_config_text();
    assert_eq!(Config::parse(&text).unwrap(), Config::default());
    // Every command and every colour role is spelled out, not left to the defaults.
    for a in Action::ALL {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("{} = ", a.name()))),
            "{a} missing from the printed config"
        );
    }
    for r in Role::ALL {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("{} = ", r.name()))),
            "{} missing from the printed config",
            r.name()
        );
    }
    assert!(text.contains("measure = 80"));
    assert!(text.contains("# library = "));
    assert!(text.contains("# data_dir = "));
}

#[test]
fn an_empty_file_is_the_defaults() {
    assert_eq!(Config::parse("").unwrap(), Config::default());
}

#[test]
fn a_good_file() {
    let c = Config::parse(
        r#"
library = "/srv/papers"
[reader]
measure = 60
[keys]
next_article = ["l"]
quit = "Q"
down = ["j", "Ctrl-n", "Down"]
[colors]
title = "bright_red on black bold underline"
dim = "default"
"#,
    )
    .unwrap();
    assert_eq!(
        c.library.as_deref(),
        Some(std::path::Path::new("/srv/papers"))
    );
    assert_eq!(c.reader.measure, 60);
    let k = &c.keys;
    assert_eq!(k.keys(Action::NextArticle), [KeySpec::parse("l").unwrap()]);
    assert_eq!(k.keys(Action::Quit), [KeySpec::parse("Q").unwrap()]);
    // `l` was open's by default: the user's binding takes it.
    assert!(!k.keys(Action::Open).contains(&KeySpec::parse("l").unwrap()));
    assert_eq!(k.action(Mode::List, &press('l')), Some(Action::NextArticle));
    assert_eq!(k.action(Mode::List, &press('q')), None);
    assert_eq!(k.action(Mode::Reader, &press('q')), Some(Action::Back));
    let ctrl_n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL);
    assert_eq!(k.action(Mode::Reader, &ctrl_n), Some(Action::Down));
    let title = c.colors.style(Role::Title);
    assert_eq!(title.fg, Some(Color::LightRed));
    assert_eq!(title.bg, Some(Color::Black));
    assert!(
        title
            .add_modifier
            .contains(Modifier::BOLD | Modifier::UNDERLINED)
    );
    let dim = c.colors.style(Role::Dim);
    assert_eq!((dim.fg, dim.bg), (None, None));
    // Roles not mentioned keep their defaults.
    assert_eq!(
        c.colors.style(Role::Status),
        Config::default().colors.style(Role::Status)
    );
}

#[test]
fn unknown_command() {
    let e = err("[keys]\nnext_paper = [\"l\"]\n");
    assert!(e.contains("next_paper"), "{e}");
    assert!(e.contains("unknown command"), "{e}");
    assert!(e.contains("next_article"), "lists the known ones: {e}");
}

#[test]
fn bad_key_spec() {
    let e = err("[keys]\nsearch = [\"/\", \"Hyper-s\"]\n");
    assert!(e.contains("search") && e.contains("Hyper-s"), "{e}");
    let e = err("[keys]\nsearch = 3\n");
    assert!(e.contains("a key or a list of keys"), "{e}");
}

#[test]
fn ctrl_c_cannot_be_bound() {
    let e = err("[keys]\nhelp = [\"Ctrl-c\"]\n");
    assert!(e.contains("help") && e.contains("Ctrl-C"), "{e}");
}

#[test]
fn two_commands_on_one_key() {
    let e = err("[keys]\nnext_article = [\"x\"]\nprev_article = [\"x\"]\n");
    assert!(
        e.contains("\"x\"") && e.contains("next_article") && e.contains("prev_article"),
        "{e}"
    );
    // The printed defaults with one line changed: `l` is still open's there.
    let text = default_config_text().replace("next_article = [\"]\"]", "next_article = [\"l\"]");
    let e = err(&text);
    assert!(e.contains("open") && e.contains("next_article"), "{e}");
    // One key for a list-only and a reader-only command is fine.
    Config::parse("[keys]\nquit = [\"x\"]\nback = [\"x\"]\n").unwrap();
}

#[test]
fn bad_colours() {
    let e = err("[colors]\ntitle = \"purple\"\n");
    assert!(e.contains("title") && e.contains("purple"), "{e}");
    let e = err("[colors]\ntitle = \"#ff0000\"\n");
    assert!(e.contains("title"), "{e}");
    let e = err("[colors]\nbackground = \"red\"\n");
    assert!(
        e.contains("background") && e.contains("unknown role"),
        "{e}"
    );
}

#[test]
fn measure_is_checked() {
    for bad in [0, 19, 401] {
        let e = err(&format!("[reader]\nmeasure = {bad}\n"));
        assert!(e.contains("measure") && e.contains(&bad.to_string()), "{e}");
    }
    for good in [20, 400] {
        assert_eq!(
            Config::parse(&format!("[reader]\nmeasure = {good}\n"))
                .unwrap()
                .reader
                .measure,
            good
        );
    }
    let e = err("[reader]\nmeasure = -3\n");
    assert!(e.contains("line 2"), "{e}");
}

#[test]
fn unknown_settings_name_their_line() {
    let e = err("measure = 70\n");
    assert!(e.contains("line 1") && e.contains("measure"), "{e}");
}

#[test]
fn errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "[colors]\nstatus = \"blinking\"\n").unwrap();
    let e = format!("{:#}", Config::load_from(&path).unwrap_err());
    assert!(e.starts_with(&path.display().to_string()), "{e}");
    assert!(e.contains("status"), "{e}");
    // A missing file is the defaults.
    assert_eq!(
        Config::load_from(&dir.path().join("none.toml")).unwrap(),
        Config::default()
    );
}
