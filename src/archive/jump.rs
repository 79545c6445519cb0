//! Jump marks: where an article says it comes from another page (`（上接第1版）`).
//! Any reader's articles may carry one (a page's rest, a crawler's file of it).

/// A mark that says an article comes from another page: `（上接第1版）`, `(上接一版)`,
/// `（接第2版）`, `上接第一版`, `（上接A1）`, at the start or at the end of `text`.
/// Returns `text` without it and the page it names (`第1版`, `一版`, `A1`).
pub(crate) fn opening_mark(text: &str) -> Option<(String, String)> {
    let t = text.trim();
    let bracketed = |s: &str| -> Option<(usize, usize, String)> {
        [('（', '）'), ('(', ')')]
            .into_iter()
            .find_map(|(open, close)| {
                let i = s.find(open)?;
                let j = i + open.len_utf8() + s[i + open.len_utf8()..].find(close)?;
                let place = jump_place(&s[i + open.len_utf8()..j])?;
                Some((i, j + close.len_utf8(), place))
            })
    };
    if let Some((i, j, place)) = bracketed(t)
        && (i == 0 || j == t.len())
    {
        let rest = format!("{}{}", &t[..i], &t[j..]);
        return Some((rest.trim().to_string(), place));
    }
    // Bare `上接第一版` opening a paragraph.
    let rest = t.strip_prefix("上接")?;
    let end = rest.find('版')? + '版'.len_utf8();
    let place = jump_place(&t[..end + "上接".len()])?;
    Some((
        rest[end..]
            .trim_start_matches(['，', '：', ' '])
            .to_string(),
        place,
    ))
}

/// The page a jump names: `上接第1版` → `第1版`, `接二版` → `二版`, `上接A1` → `A1`.
fn jump_place(inner: &str) -> Option<String> {
    let place = inner
        .trim()
        .strip_prefix("上接")
        .or_else(|| inner.trim().strip_prefix('接'))?
        .trim();
    let n = place.chars().count();
    let page_code = place.ends_with('版')
        || (place.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && place[1..].chars().all(|c| c.is_ascii_digit()));
    (page_code && (1..=5).contains(&n)).then(|| place.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn opening_marks_name_the_page_and_come_off() {
        use super::opening_mark;
        let got = opening_mark;
        assert_eq!(
            got("（上接第1版）会议强调，要把握时间节点。"),
            Some(("会议强调，要把握时间节点。".into(), "第1版".into()))
        );
        assert_eq!(
            got("会议强调（上接一版）"),
            Some(("会议强调".into(), "一版".into()))
        );
        assert_eq!(got("(接第2版)全市"), Some(("全市".into(), "第2版".into())));
        assert_eq!(got("（上接A1）全市"), Some(("全市".into(), "A1".into())));
        assert_eq!(
            got("上接第一版，全市共有"),
            Some(("全市共有".into(), "第一版".into()))
        );
        // Not a jump: brackets in the middle, or other words.
        assert_eq!(got("会议（上接第1版）强调"), None);
        assert_eq!(got("（记者 郭树勋）全市"), None);
        assert_eq!(got("上接下来的工作"), None);
    }
}
