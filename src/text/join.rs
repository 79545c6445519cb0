//! Joining the lines of a paragraph that something wrapped: a PDF's columns, an
//! editor's soft wraps. Chinese needs no space between lines (and justification left
//! spaces inside it that must go); Latin words need one.

use super::markup;
use super::script::is_cjk_text;

/// Join the lines of one paragraph and remove the spaces PDF justification left inside
/// Chinese text: `12 月 1 日` → `12月1日`. A space survives only between two non-Chinese
/// characters (`Jiaozuo Daily`), and a Latin word wrapped across lines gets one back.
pub(crate) fn join_lines(lines: &[String]) -> String {
    let mut joined = String::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let prev = joined.chars().next_back();
        let next = line.chars().next();
        if let (Some(p), Some(n)) = (prev, next)
            && p.is_ascii_alphabetic()
            && n.is_ascii_alphabetic()
        {
            joined.push(' ');
        }
        joined.push_str(line);
    }
    markup::strip(&despace(&joined))
}

/// Remove whitespace runs that touch a Chinese character; fold the others to one space.
pub(crate) fn despace(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let before = start.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i).copied();
            match (before, after) {
                (Some(b), Some(a)) if !is_cjk_text(b) && !is_cjk_text(a) => out.push(' '),
                _ => {}
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Runs of whitespace (form feeds and U+3000 too) made one space, none at the ends:
/// names and header lines whose spacing is only layout.
pub(crate) fn squeeze_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn despace_drops_justification_spaces_only() {
        assert_eq!(despace("12 月 1 日至 31 日"), "12月1日至31日");
        assert_eq!(despace("（含 景 区 交 通 费）"), "（含景区交通费）");
        assert_eq!(despace("Jiaozuo  Daily 报道"), "Jiaozuo Daily报道");
        assert_eq!(
            despace("PM2.5 平均浓度在 68 微克/"),
            "PM2.5平均浓度在68微克/"
        );
    }

    #[test]
    fn join_lines_rejoins_wrapped_latin_words_with_a_space() {
        let lines = vec!["the Jiaozuo".to_string(), "Daily said".to_string()];
        assert_eq!(join_lines(&lines), "the Jiaozuo Daily said");
        let lines = vec!["国家AAAAA级休".to_string(), "闲氧吧".to_string()];
        assert_eq!(join_lines(&lines), "国家AAAAA级休闲氧吧");
    }
}
