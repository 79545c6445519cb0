//! Colour escapes a plain terminal understands.
//!
//! crossterm writes even the 16 basic colours in the 256-colour form (`ESC[38;5;9m`),
//! which a linux console, a vt100 or an old `screen` may not know. The theme only uses
//! the basic 16 (they follow the user's palette), so [`SgrFilter`] rewrites them to
//! the classic codes every colour terminal has had since the 1980s: SGR 30–37 / 90–97
//! (foreground) and 40–47 / 100–107 (background). It is also shorter on the wire.
//!
//! Terminals with no colour at all (vt100, `dumb`) and NO_COLOR get [`Palette::Monochrome`]:
//! every colour code is dropped and only bold / reverse / underline / italic stay, which
//! is what the NO_COLOR theme uses, so the selection stays visible.

use std::ffi::OsStr;
use std::io::Write;

/// Which colour codes go to the terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Palette {
    /// The 16 basic colours as SGR 30–37 / 90–97 and 40–47 / 100–107.
    Basic16,
    /// No colour codes at all; attributes (bold, reverse, …) only.
    Monochrome,
}

impl Palette {
    /// From `NO_COLOR` and `TERM` in the environment.
    pub(crate) fn from_env() -> Palette {
        Palette::detect(
            std::env::var_os("NO_COLOR").as_deref(),
            std::env::var_os("TERM").as_deref(),
        )
    }

    /// NO_COLOR (set and not empty, per no-color.org) or a terminal without colour
    /// (`dumb`, the DEC `vt…` family unless its name says `color`) means monochrome.
    /// An unknown or missing TERM keeps colour: the basic codes are harmless nearly
    /// everywhere.
    pub(crate) fn detect(no_color: Option<&OsStr>, term: Option<&OsStr>) -> Palette {
        if no_color.is_some_and(|v| !v.is_empty()) {
            return Palette::Monochrome;
        }
        let term = term.and_then(OsStr::to_str).unwrap_or("");
        let colourless = term == "dumb" || (term.starts_with("vt") && !term.contains("color"));
        if colourless {
            Palette::Monochrome
        } else {
            Palette::Basic16
        }
    }
}

/// Longest escape sequence we hold back while waiting for its end; anything longer is
/// passed on as it is (it is not one of ours).
const MAX_PENDING: usize = 64;

/// A writer that rewrites the colour parameters of SGR sequences (`ESC[…m`) for a
/// [`Palette`], passing every other byte through unchanged. Sequences may arrive split
/// across writes (crossterm writes a command in pieces); an unfinished one is held
/// until its final byte.
pub(crate) struct SgrFilter<W: Write> {
    inner: W,
    palette: Palette,
    /// An escape sequence begun but not finished.
    pending: Vec<u8>,
}

impl<W: Write> SgrFilter<W> {
    pub(crate) fn new(inner: W, palette: Palette) -> Self {
        SgrFilter {
            inner,
            palette,
            pending: Vec::new(),
        }
    }

    /// Move the finished (or abandoned) pending sequence to `out`.
    fn finish_pending(&mut self, out: &mut Vec<u8>) {
        let seq = std::mem::take(&mut self.pending);
        if seq.len() >= 3 && seq[1] == b'[' && seq.last() == Some(&b'm') {
            let params = &seq[2..seq.len() - 1];
            if let Some(rewritten) = rewrite_sgr(params, self.palette) {
                out.extend_from_slice(&rewritten);
            }
        } else {
            out.extend_from_slice(&seq);
        }
    }
}

impl<W: Write> Write for SgrFilter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut out = Vec::with_capacity(buf.len() + self.pending.len());
        for &b in buf {
            if self.pending.is_empty() {
                if b == 0x1b {
                    self.pending.push(b);
                } else {
                    out.push(b);
                }
                continue;
            }
            self.pending.push(b);
            if self.pending.len() == 2 {
                // Only CSI sequences (ESC [) can be SGR; others go on untouched.
                if b != b'[' {
                    out.append(&mut self.pending);
                }
                continue;
            }
            // A CSI sequence ends at its first byte in 0x40..=0x7E.
            if (0x40..=0x7e).contains(&b) || self.pending.len() > MAX_PENDING {
                self.finish_pending(&mut out);
            }
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The SGR sequence for `params` under `palette`, or `None` when nothing is left of it
/// (all its parameters were colours the palette drops).
fn rewrite_sgr(params: &[u8], palette: Palette) -> Option<Vec<u8>> {
    let seq = |p: &[u8]| [b"\x1b[", p, b"m"].concat();
    let Ok(text) = std::str::from_utf8(params) else {
        return Some(seq(params));
    };
    // Sub-parameters (`38:5:9`) are not what crossterm writes: leave them alone.
    if text.contains(':') {
        return Some(seq(params));
    }
    let parts: Vec<&str> = text.split(';').collect();
    let mut kept: Vec<String> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let p = parts[i];
        let n: Option<u16> = p.parse().ok();
        match n {
            // Extended colour: 38/48/58 ; 5 ; N  or  ; 2 ; r ; g ; b
            Some(code @ (38 | 48 | 58)) => {
                let len = match parts.get(i + 1).copied() {
                    Some("5") => 3,
                    Some("2") => 5,
                    _ => 1,
                };
                let index: Option<u8> = (len == 3)
                    .then(|| parts.get(i + 2).and_then(|v| v.parse().ok()))
                    .flatten();
                match (palette, code, index) {
                    (Palette::Monochrome, ..) | (_, 58, _) => {}
                    (Palette::Basic16, _, Some(ix)) if ix < 16 => {
                        let base = if code == 38 { 30 } else { 40 };
                        let value = if ix < 8 {
                            base + ix as u16
                        } else {
                            base + 60 + (ix as u16 - 8)
                        };
                        kept.push(value.to_string());
                    }
                    // 256-colour or RGB: not ours, keep as written.
                    _ => kept.extend(
                        parts[i..(i + len).min(parts.len())]
                            .iter()
                            .map(|s| s.to_string()),
                    ),
                }
                i += len;
                continue;
            }
            // Underline colour reset: not a basic terminal feature.
            Some(59) => {}
            Some(30..=37 | 39 | 40..=47 | 49 | 90..=97 | 100..=107)
                if palette == Palette::Monochrome => {}
            _ => kept.push(p.to_string()),
        }
        i += 1;
    }
    if kept.is_empty() && !parts.iter().all(|p| p.is_empty()) {
        return None;
    }
    Some(seq(kept.join(";").as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(input: &[&[u8]], palette: Palette) -> Vec<u8> {
        let mut f = SgrFilter::new(Vec::new(), palette);
        for piece in input {
            f.write_all(piece).unwrap();
        }
        f.inner
    }

    #[test]
    fn basic_colours_become_classic_codes() {
        let out = filter(&[b"\x1b[38;5;9;48;5;6mA\x1b[38;5;0mB"], Palette::Basic16);
        assert_eq!(out, b"\x1b[91;46mA\x1b[30mB");
        let out = filter(&[b"\x1b[48;5;15m\x1b[38;5;8m"], Palette::Basic16);
        assert_eq!(out, b"\x1b[107m\x1b[90m");
    }

    #[test]
    fn sequences_split_across_writes() {
        let pieces: [&[u8]; 5] = [b"x\x1b", b"[", b"38;5;", b"12", b"my"];
        assert_eq!(filter(&pieces, Palette::Basic16), b"x\x1b[94my");
    }

    #[test]
    fn other_sequences_and_text_pass_through() {
        let text = "\x1b[5;10H读报\x1b[1m\x1b[0m\x1b]52;c;YQ==\x07\x1b[?25l\x1b[38;5;200m";
        assert_eq!(
            filter(&[text.as_bytes()], Palette::Basic16),
            text.as_bytes()
        );
    }

    #[test]
    fn underline_colour_dropped() {
        let out = filter(&[b"\x1b[39m\x1b[49m\x1b[59m\x1b[0m"], Palette::Basic16);
        assert_eq!(out, b"\x1b[39m\x1b[49m\x1b[0m");
    }

    #[test]
    fn monochrome_keeps_attributes_only() {
        let out = filter(
            &[b"\x1b[1;38;5;3;7m\x1b[31m\x1b[39m\x1b[48;2;1;2;3m\x1b[0m\x1b[m"],
            Palette::Monochrome,
        );
        assert_eq!(out, b"\x1b[1;7m\x1b[0m\x1b[m");
    }

    #[test]
    fn detection() {
        let os = |s: &'static str| Some(OsStr::new(s));
        assert_eq!(
            Palette::detect(None, os("xterm-256color")),
            Palette::Basic16
        );
        assert_eq!(Palette::detect(None, os("linux")), Palette::Basic16);
        assert_eq!(Palette::detect(None, os("screen")), Palette::Basic16);
        assert_eq!(Palette::detect(None, None), Palette::Basic16);
        assert_eq!(Palette::detect(None, os("vt100")), Palette::Monochrome);
        assert_eq!(Palette::detect(None, os("vt220")), Palette::Monochrome);
        assert_eq!(Palette::detect(None, os("dumb")), Palette::Monochrome);
        assert_eq!(Palette::detect(os("1"), os("xterm")), Palette::Monochrome);
        assert_eq!(Palette::detect(os(""), os("xterm")), Palette::Basic16);
    }
}
