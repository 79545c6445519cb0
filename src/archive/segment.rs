//! Splitting a page into articles. (Placeholder.)

use super::model::{Article, Issue};

/// Parse one page of decoded text into an issue.
pub fn parse_page(rel: &str, text: &str) -> Issue {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let name = name.rsplit_once('.').map_or(name, |(s, _)| s).to_string();
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| p.replace('\n', ""))
        .filter(|p| !p.trim().is_empty())
        .collect();
    let title = paragraphs.first().cloned().unwrap_or_default();
    Issue {
        file: rel.to_string(),
        name: name.clone(),
        date: None,
        date_inferred: false,
        articles: vec![Article {
            id: format!(
                "{:012x}",
                blake3::hash(text.as_bytes()).as_bytes()[0] as u64
            ),
            file: rel.to_string(),
            issue: name,
            date: None,
            date_inferred: false,
            title,
            title_inferred: true,
            subtitle: None,
            kicker: None,
            byline: None,
            paragraphs,
            continued: None,
        }],
    }
}
