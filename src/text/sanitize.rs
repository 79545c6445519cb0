//! Text from files never reaches the terminal raw.

/// Remove control characters and escape sequences; keep `\n`; tabs become a space.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}
