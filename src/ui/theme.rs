//! Styles. Only the 16 basic colours (they follow the user's terminal palette); with
//! NO_COLOR set, no colour at all: bold, reverse and underline carry the meaning.

use ratatui::style::{Color, Modifier, Style};

pub struct Theme {
    pub header: Style,
    pub title: Style,
    pub subtitle: Style,
    pub dim: Style,
    pub bold: Style,
    pub unread: Style,
    pub selected: Style,
    pub selected_unfocused: Style,
    pub highlight: Style,
    pub status: Style,
}

impl Theme {
    pub fn new(no_color: bool) -> Theme {
        let bold = Style::default().add_modifier(Modifier::BOLD);
        if no_color {
            return Theme {
                header: bold.add_modifier(Modifier::UNDERLINED),
                title: bold,
                subtitle: Style::default().add_modifier(Modifier::ITALIC),
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
            header: bold.fg(Color::Yellow),
            title: bold.fg(Color::Cyan),
            subtitle: Style::default().fg(Color::Cyan),
            dim: Style::default().fg(Color::DarkGray),
            bold,
            unread: bold,
            selected: Style::default().fg(Color::Black).bg(Color::Cyan),
            selected_unfocused: Style::default().add_modifier(Modifier::REVERSED),
            highlight: Style::default().fg(Color::Black).bg(Color::Yellow),
            status: Style::default().fg(Color::White).bg(Color::Blue),
        }
    }

    /// Dim text, unless on a selected row (where grey on cyan is unreadable).
    pub fn dim_on(&self, selected: bool) -> Style {
        if selected { Style::default() } else { self.dim }
    }
}
