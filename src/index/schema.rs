//! The tantivy schema: one document per article.

use super::analyzer::{BIGRAM, JIEBA};
use super::pinyin::{INITIALS, PINYIN};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Handles to every field.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub(crate) id: Field,
    /// Which version of which file a document came from (`build::filekey`). The index
    /// itself thus records what it holds, so an update converges whatever happened.
    pub(crate) filekey: Field,
    pub(crate) issue: Field,
    pub(crate) title: Field,
    pub(crate) title_jieba: Field,
    /// Kicker and subtitle.
    pub(crate) deck: Field,
    pub(crate) byline: Field,
    pub(crate) body: Field,
    /// YYYYMMDD.
    pub(crate) date: Field,
    /// The file's path in the library (stored only).
    pub(crate) file: Field,
    /// The paper's name, normalised (for `paper:`; stored as printed in `paper_name`).
    pub(crate) paper: Field,
    pub(crate) paper_name: Field,
    /// The page as a [`page_key`] (for `page:`), stored as printed in `page_name`.
    pub(crate) page: Field,
    pub(crate) page_name: Field,
    /// 1 when the date was worked out from the text (stored only).
    pub(crate) date_inferred: Field,
    /// Title and byline as Han characters and their readings, and as initials (see
    /// `pinyin`).
    pub(crate) pinyin: Field,
    pub(crate) initials: Field,
}

impl Fields {
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: f("id")?,
            filekey: f("filekey")?,
            issue: f("issue")?,
            title: f("title")?,
            title_jieba: f("title_jieba")?,
            deck: f("deck")?,
            byline: f("byline")?,
            body: f("body")?,
            date: f(DATE)?,
            file: f("file")?,
            paper: f("paper")?,
            paper_name: f("paper_name")?,
            page: f("page")?,
            page_name: f("page_name")?,
            date_inferred: f("date_inferred")?,
            pinyin: f("pinyin")?,
            initials: f("initials")?,
        })
    }
}

/// The issue date's field (a fast field: results can be ordered by it).
pub(crate) const DATE: &str = "date";

pub fn build_schema() -> Schema {
    let bigram = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(BIGRAM)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored { o.set_stored() } else { o }
    };
    let jieba = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(JIEBA)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let mut b = Schema::builder();
    // Stored only: an article is never looked up by its id in the index.
    b.add_text_field("id", STORED);
    b.add_text_field("filekey", STRING);
    b.add_text_field("issue", STORED);
    b.add_text_field("title", bigram(true));
    // jieba only on titles: over bodies it was most of the build time, and the body's
    // bigram BM25 already ranks.
    b.add_text_field("title_jieba", jieba);
    b.add_text_field("deck", bigram(false));
    b.add_text_field("byline", bigram(true));
    b.add_text_field("body", bigram(true));
    b.add_i64_field(DATE, INDEXED | FAST | STORED);
    b.add_text_field("file", STORED);
    b.add_text_field("paper", STRING);
    b.add_text_field("paper_name", STORED);
    b.add_text_field("page", STRING);
    b.add_text_field("page_name", STORED);
    b.add_u64_field("date_inferred", STORED);
    let phrases = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    b.add_text_field("pinyin", phrases(PINYIN));
    b.add_text_field("initials", phrases(INITIALS));
    b.build()
}

/// A page number as `page:` matches it: `A05`, `a5`, `A5` → `a5`; `02`, `2` → `2`.
/// `None` when it is not a page number.
pub(crate) fn page_key(s: &str) -> Option<String> {
    let s = s.trim();
    let digits = s.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let section = &s[..s.len() - digits.len()];
    let n: u32 = digits.parse().ok()?;
    Some(format!("{}{n}", section.to_ascii_lowercase()))
}

/// A date as stored in the `date` field.
pub(crate) fn date_key(d: crate::archive::Date) -> i64 {
    d.year as i64 * 10_000 + d.month as i64 * 100 + d.day as i64
}

pub(crate) fn date_from_key(k: i64) -> Option<crate::archive::Date> {
    let y = u16::try_from(k / 10_000).ok()?;
    crate::archive::Date::new(y, (k / 100 % 100) as u8, (k % 100) as u8)
}
