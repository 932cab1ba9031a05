//! Redacting text a line at a time: what `hindsight redact` runs, with the same detector the
//! pipeline uses ([`hindsight_text::pii`]).

use std::io::{BufRead, Write};
use std::path::PathBuf;

use hindsight_text::pii::{PiiDetector, PiiSpan, Pseudonymizer};
use serde::Serialize;

use crate::error::{AppError, Result};

/// What `redact_lines` prints for each line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedactFormat {
    /// The redacted text, one line per input line.
    Text,
    /// One JSON object per input line: `line`, redacted `text`, and `spans` (type, start, end
    /// in characters of the input text).
    Json,
}

/// A line that could not be redacted (it was left out of the output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineProblem {
    /// 1-based line number.
    pub line: u64,
    /// Why.
    pub reason: String,
}

/// What `redact_lines` did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RedactSummary {
    /// Lines redacted and printed.
    pub lines: u64,
    /// Spans replaced in them.
    pub spans: u64,
    /// Lines left out, with the reason.
    pub problems: Vec<LineProblem>,
}

#[derive(Serialize)]
struct JsonLine<'a> {
    line: u64,
    text: &'a str,
    spans: &'a [PiiSpan],
}

/// Reads `input` line by line — each line a text, or a JSON object whose `text` field is the
/// text — and writes each text redacted to `output` in `format`. A line that is neither (invalid
/// JSON, no string `text`, bytes that are not UTF-8) is left out and reported; the rest go on.
pub fn redact_lines(
    input: impl BufRead,
    output: &mut impl Write,
    format: RedactFormat,
    pseudonyms: Option<&Pseudonymizer>,
) -> Result<RedactSummary> {
    let detector = PiiDetector::new();
    let mut summary = RedactSummary::default();
    let write_error = |source| AppError::Write { path: PathBuf::from("<stdout>"), source };
    for (index, line) in input.split(b'\n').enumerate() {
        let number = index as u64 + 1;
        let line = line.map_err(|source| AppError::Invalid { what: format!("cannot read stdin: {source}") })?;
        let text = match text_of_line(&line) {
            Ok(text) => text,
            Err(reason) => {
                summary.problems.push(LineProblem { line: number, reason });
                continue;
            }
        };
        let redaction = detector.redact(&text, pseudonyms);
        summary.lines += 1;
        summary.spans += redaction.spans.len() as u64;
        match format {
            RedactFormat::Text => writeln!(output, "{}", redaction.text).map_err(write_error)?,
            RedactFormat::Json => {
                let json = JsonLine { line: number, text: &redaction.text, spans: &redaction.spans };
                serde_json::to_writer(&mut *output, &json).map_err(|error| write_error(error.into()))?;
                writeln!(output).map_err(write_error)?;
            }
        }
    }
    output.flush().map_err(write_error)?;
    Ok(summary)
}

/// The text a line carries: the line itself, or the `text` field of a JSON object line.
fn text_of_line(line: &[u8]) -> std::result::Result<String, String> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let line = std::str::from_utf8(line)
        .map_err(|error| format!("text: not UTF-8 (invalid byte at column {})", error.valid_up_to() + 1))?;
    if !line.trim_start().starts_with('{') {
        return Ok(line.to_string());
    }
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|error| format!("text: the line starts like JSON but is not: {error}"))?;
    match value.get("text") {
        Some(serde_json::Value::String(text)) => Ok(text.clone()),
        Some(_) => Err("text: must be a string".to_string()),
        None => Err("text: missing (a JSON line needs a \"text\" field)".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;
    use hindsight_text::pii::Pseudonymizer;

    use super::{RedactFormat, redact_lines};

    fn run(input: &[u8], format: RedactFormat, pseudonyms: Option<&Pseudonymizer>) -> String {
        let mut output = Vec::new();
        let summary = redact_lines(input, &mut output, format, pseudonyms).expect("redacts");
        format!("{}--\n{summary:?}", String::from_utf8(output).expect("utf-8"))
    }

    #[test]
    fn plain_lines_and_json_lines_are_redacted_and_bad_lines_reported() {
        let input = b"Call me at 415-555-0134.\n{\"text\": \"I'm Sarah, sarah@x.io\", \"id\": 7}\n{\"id\": 8}\n{not json\n\xff\xfe\nNothing here.\n";
        expect![[r#"
            Call me at [PHONE].
            I'm [PERSON], [EMAIL]
            Nothing here.
            --
            RedactSummary { lines: 3, spans: 3, problems: [LineProblem { line: 3, reason: "text: missing (a JSON line needs a \"text\" field)" }, LineProblem { line: 4, reason: "text: the line starts like JSON but is not: key must be a string at line 1 column 2" }, LineProblem { line: 5, reason: "text: not UTF-8 (invalid byte at column 1)" }] }"#]]
        .assert_eq(&run(input, RedactFormat::Text, None));
    }

    #[test]
    fn json_output_gives_spans_in_characters_of_the_input() {
        expect![[r#"
            {"line":1,"text":"José: [PHONE]","spans":[{"type":"PHONE","start":6,"end":18}]}
            --
            RedactSummary { lines: 1, spans: 1, problems: [] }"#]]
        .assert_eq(&run("José: 415-555-0134".as_bytes(), RedactFormat::Json, None));
    }

    #[test]
    fn pseudonyms_tag_values_per_tenant() {
        let acme = Pseudonymizer::new(b"secret", "acme");
        let output =
            run(b"415-555-0134\nfour one five five five five oh one three four\n", RedactFormat::Text, Some(&acme));
        let lines: Vec<&str> = output.lines().collect();
        assert_eq!(lines[0], lines[1], "the same number in digits and in words joins");
        assert!(lines[0].starts_with("[PHONE_"), "{output}");
    }
}
