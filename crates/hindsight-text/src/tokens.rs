//! Normalization, words, sentences and n-grams (Unicode-aware, via `unicode-segmentation`).

use unicode_segmentation::UnicodeSegmentation;

/// Lowercase, typographic quotes and dashes made plain, whitespace collapsed to single spaces.
pub fn normalize(text: &str) -> String {
    let plain: String = text
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            other => other,
        })
        .collect();
    plain.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words of `text`, normalized (UAX #29 word boundaries: punctuation dropped, "don't" kept
/// whole, "café" one word).
pub fn words(text: &str) -> Vec<String> {
    normalized_words(&normalize(text)).map(str::to_string).collect()
}

/// The words of text already [`normalize`]d, borrowed from it: what [`words`] returns, without an
/// allocation per word (for miners that hash every word of a million calls).
pub fn normalized_words(normalized: &str) -> impl Iterator<Item = &str> {
    normalized.unicode_words()
}

/// The sentences of `text` (UAX #29 sentence boundaries), trimmed; only those with a letter or
/// digit are kept.
pub fn sentences(text: &str) -> Vec<&str> {
    if is_one_sentence(text) {
        return vec![text.trim()];
    }
    text.unicode_sentences().map(str::trim).filter(|sentence| !sentence.is_empty()).collect()
}

/// Whether UAX #29 would find exactly one sentence in `text`, decided without running the
/// segmenter (it was the costliest step of phrase mining). Only ASCII text is judged: there a
/// sentence can end only after `.`, `!`, `?` or a line break, so a text with none of them before
/// its final run of terminators and closing punctuation (`?")`) is one sentence. Anything else
/// goes to the segmenter.
fn is_one_sentence(text: &str) -> bool {
    let body = text.trim_end_matches(|c: char| c.is_ascii_whitespace());
    if !body.is_ascii() || !body.bytes().any(|byte| byte.is_ascii_alphanumeric()) {
        return false;
    }
    match body.bytes().position(|byte| matches!(byte, b'.' | b'!' | b'?' | b'\n' | b'\r' | b'\x0b' | b'\x0c')) {
        None => true,
        Some(first) => body.as_bytes()[first..]
            .iter()
            .all(|byte| matches!(byte, b'.' | b'!' | b'?' | b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}')),
    }
}

/// The `n`-grams of `words`, each joined by single spaces; none when `n` is 0 or longer than
/// the text.
pub fn ngrams(words: &[String], n: usize) -> Vec<String> {
    if n == 0 || n > words.len() {
        return Vec::new();
    }
    words.windows(n).map(|window| window.join(" ")).collect()
}

#[cfg(test)]
mod tests {
    use unicode_segmentation::UnicodeSegmentation;

    use super::{ngrams, normalize, sentences, words};

    /// The fast path must agree with the segmenter wherever it answers.
    #[test]
    fn sentences_agree_with_the_segmenter() {
        let segmenter = |text: &str| -> Vec<String> {
            text.unicode_sentences().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
        };
        for text in [
            "Hello there",
            "Hello there.",
            "Is that right?\")  ",
            "Really?!.",
            "Mr. Fox jumped. The dog.",
            "one. two",
            "one\ntwo",
            "wait...",
            "...",
            "  ",
            "",
            "3.5 percent",
            "Okay! Great.",
            "caf\u{e9} au lait.",
            "Hello. )",
            "it's done\u{3002}next",
        ] {
            let fast: Vec<String> = sentences(text).into_iter().map(str::to_string).collect();
            assert_eq!(fast, segmenter(text), "{text:?}");
        }
    }

    #[test]
    fn words_sentences_and_ngrams() {
        assert_eq!(normalize("  It’s   GREAT — really "), "it's great - really");
        // UAX #29 splits "9:30" at the colon.
        assert_eq!(
            words("Don't worry, the café opens at 9:30!"),
            ["don't", "worry", "the", "café", "opens", "at", "9", "30"]
        );
        assert_eq!(
            sentences("Hi there. How many seats do you have? Great!"),
            ["Hi there.", "How many seats do you have?", "Great!"]
        );
        let tokens = words("we help teams grow");
        assert_eq!(ngrams(&tokens, 2), ["we help", "help teams", "teams grow"]);
        assert_eq!(ngrams(&tokens, 4), ["we help teams grow"]);
        assert!(ngrams(&tokens, 5).is_empty());
        assert!(ngrams(&tokens, 0).is_empty());
    }
}
