//! docs/records.md is the reference users read: its examples must decode and its CSV column lists
//! must name every column the decoder knows.

use hindsight_ingest::decode_json;

fn records_md() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/records.md");
    std::fs::read_to_string(path).expect("docs/records.md exists")
}

fn fenced_blocks<'a>(markdown: &'a str, language: &str) -> Vec<&'a str> {
    let opening = format!("```{language}\n");
    markdown.split(&opening).skip(1).map(|rest| rest.split("```").next().expect("closed fence").trim()).collect()
}

#[test]
fn docs_examples_decode() {
    let markdown = records_md();
    let examples = fenced_blocks(&markdown, "json");
    assert!(examples.len() >= 6, "expected an example per record type, found {}", examples.len());
    let mut kinds = std::collections::BTreeSet::new();
    for example in examples {
        let decoded = decode_json(example, None).unwrap_or_else(|problems| panic!("{example}\n{problems:?}"));
        kinds.insert(decoded.record.kind());
    }
    assert_eq!(kinds.len(), 5, "every record type has an example: {kinds:?}");
}

#[test]
fn docs_list_every_csv_column() {
    let markdown = records_md();
    let mapping = markdown.split("## CSV column mapping").nth(1).expect("section exists");
    for column in hindsight_ingest::csv_columns() {
        assert!(mapping.contains(&format!("`{column}`")), "docs/records.md does not list CSV column `{column}`");
    }
}
