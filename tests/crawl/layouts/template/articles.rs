//! The articles the generated sites carry: the fixture pages saved as text.

/// An article of the fixtures: its headline and its paragraphs.
#[derive(Debug, Clone)]
pub struct Article {
    pub title: String,
    pub paragraphs: Vec<String>,
}

/// The fixture articles: the demo pages saved as text and the saved text
/// pages of fixtures/text, read by `extract_text` (date and chrome off).
pub fn articles() -> Vec<Article> {
    let mut files = Vec::new();
    for dir in ["demo", "text"] {
        let d = vanban::testdata::fixture(dir);
        files.extend(vanban::testdata::files_with_extension(&d, "txt"));
    }
    files
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).expect("fixture");
            let doc = vanban::extract::extract_text(&bytes).expect("fixture extracts");
            Article {
                title: doc.title,
                paragraphs: doc
                    .body
                    .lines()
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect(),
            }
        })
        .collect()
}
