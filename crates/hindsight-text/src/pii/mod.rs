//! Finding personal data in free text and replacing it with typed placeholders.
//!
//! [`PiiDetector`] runs a set of rules over a text, each producing spans of one [`PiiKind`]:
//!
//! | kind | found by |
//! |---|---|
//! | `EMAIL` | address pattern |
//! | `IBAN` | country code, check digits and groups, then the ISO 13616 mod-97 check |
//! | `CARD` / `NUMBER` | any run of 13–19 digits (spaces or dashes between groups): `CARD` when the Luhn check passes, `NUMBER` otherwise — redacted either way, so a mistyped card number still goes |
//! | `SSN` | `ddd-dd-dddd` |
//! | `IP_ADDRESS` | IPv4 (octets checked) and IPv6 |
//! | `PHONE` | North-American numbers in digits, and any run of 7–12 digits, written or spoken, in groups ("+44 20 7946 0958", "four one five, double five five, oh one three four") |
//! | `MONEY` | a currency sign or word with an amount ("$1,200", "40k dollars") |
//! | `DATE_OF_BIRTH` | a date after a cue ("born on", "date of birth", "DOB", "birthday"), or a numeric date in a birth-year range |
//! | `ADDRESS` | house number, capitalised street name and a street type, with an optional unit and city |
//! | `PERSON` | a cue ("my name is", "this is", "call me", "Ava here with", "Ava speaking"; "it's", "is this", "I'm" or a greeting such as "hello" before a listed given name), an honorific ("Dr. Patel"), or a common given name |
//!
//! Overlapping spans are merged into one (the kind listed first above wins), so a partial match
//! can never leave the rest of a number in the clear. Offsets are in characters of the input, as
//! `hindsight redact --format json` prints them.
//!
//! Detection is rule-based on purpose: it runs at tens of thousands of turns per second, needs no
//! model download, and every decision can be traced to a pattern. It misses what its rules do not
//! describe (names without a cue that are not on the list, addresses without a street type); the
//! tests measure recall on the simulator's planted values.

mod names;
mod spoken;

use std::collections::HashSet;

use hmac::{Hmac, Mac};
use regex::Regex;
use serde::Serialize;
use sha2::Sha256;

use crate::pii::names::{AMBIGUOUS_GIVEN_NAMES, GIVEN_NAMES};
use crate::pii::spoken::{SPOKEN_UNIT, spoken_digits};

/// A category of personal data, in merge priority order (earlier wins an overlap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PiiKind {
    /// An email address.
    Email,
    /// An international bank account number (checksum valid).
    Iban,
    /// A payment card number (Luhn valid).
    Card,
    /// A run of 13–19 digits that is not a valid card number: redacted all the same.
    Number,
    /// A US social security number.
    Ssn,
    /// An IPv4 or IPv6 address (before phones: "192.168.10.254" is also twelve digits).
    IpAddress,
    /// A phone number, in digits or spoken.
    Phone,
    /// A money amount.
    Money,
    /// A date of birth.
    DateOfBirth,
    /// A street address.
    Address,
    /// A person's name.
    Person,
}

impl PiiKind {
    /// The placeholder's label: `PHONE` for `[PHONE]`.
    pub fn label(self) -> &'static str {
        match self {
            PiiKind::Email => "EMAIL",
            PiiKind::Iban => "IBAN",
            PiiKind::Card => "CARD",
            PiiKind::Number => "NUMBER",
            PiiKind::Ssn => "SSN",
            PiiKind::Phone => "PHONE",
            PiiKind::IpAddress => "IP_ADDRESS",
            PiiKind::Money => "MONEY",
            PiiKind::DateOfBirth => "DATE_OF_BIRTH",
            PiiKind::Address => "ADDRESS",
            PiiKind::Person => "PERSON",
        }
    }
}

/// One piece of personal data found in a text: its kind and where it is, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PiiSpan {
    /// What it is.
    #[serde(rename = "type")]
    pub kind: PiiKind,
    /// First character (counted in Unicode scalar values of the input).
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// A redacted text and the spans that were replaced (offsets in the original text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redaction {
    /// The text with every span replaced by its placeholder.
    pub text: String,
    /// The spans found, in order.
    pub spans: Vec<PiiSpan>,
}

/// A span in bytes, while rules run.
#[derive(Debug, Clone, Copy)]
struct ByteSpan {
    kind: PiiKind,
    start: usize,
    end: usize,
}

/// Replaces values with stable per-tenant tags instead of bare placeholders: the same phone
/// number said twice, in digits or in words, becomes the same `[PHONE_1a2b3c4d]` in every call of
/// one tenant, and a different tag in another tenant. The tag is a keyed hash (HMAC-SHA-256) of
/// the normalised value, so without the key it cannot be reversed or matched across tenants.
#[derive(Clone)]
pub struct Pseudonymizer {
    tenant_key: Vec<u8>,
}

impl std::fmt::Debug for Pseudonymizer {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Pseudonymizer { .. }") // never print key material
    }
}

impl Pseudonymizer {
    /// A pseudonymizer for `tenant`, keyed by `secret` (which should be long and random).
    pub fn new(secret: &[u8], tenant: &str) -> Pseudonymizer {
        Pseudonymizer { tenant_key: hmac_sha256(secret, tenant.as_bytes()) }
    }

    /// The tag of `value` as a `kind`: 8 hex digits.
    pub fn tag(&self, kind: PiiKind, value: &str) -> String {
        let mut message = kind.label().as_bytes().to_vec();
        message.push(0);
        message.extend_from_slice(normalized(kind, value).as_bytes());
        hmac_sha256(&self.tenant_key, &message)[..4].iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// The form two mentions of one value share: digits only for numbers (spoken ones spelled out,
/// a leading country code 1 dropped from 11-digit phones), lowercase words otherwise.
fn normalized(kind: PiiKind, value: &str) -> String {
    let lower = value.to_lowercase();
    match kind {
        PiiKind::Phone | PiiKind::Card | PiiKind::Number | PiiKind::Ssn => {
            let digits = spoken_digits(&lower.replace(['(', ')', '+'], " "));
            match digits.strip_prefix('1') {
                Some(rest) if kind == PiiKind::Phone && digits.len() == 11 => rest.to_string(),
                _ => digits,
            }
        }
        _ => lower.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// The compiled rules. Build once (compiling the patterns takes milliseconds) and share: the
/// detector is immutable and `Sync`.
#[derive(Debug)]
pub struct PiiDetector {
    email: Regex,
    iban: Regex,
    digit_run: Regex,
    ssn: Regex,
    phone: Regex,
    spoken_run: Regex,
    grouped_thousands: Regex,
    ipv4: Regex,
    ipv6: Regex,
    money: Regex,
    birth_date_after_cue: Regex,
    numeric_birth_date: Regex,
    address: Regex,
    name_after_cue: Regex,
    listed_name_after_cue: Regex,
    honorific_name: Regex,
    name_before_cue: Regex,
    capitalized_word: Regex,
    following_capitalized_word: Regex,
    given_names: HashSet<&'static str>,
    ambiguous_given_names: HashSet<&'static str>,
}

impl Default for PiiDetector {
    fn default() -> Self {
        PiiDetector::new()
    }
}

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|\
                      Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec";

/// Capitalised words a name cue can be followed by that are not names.
const NOT_NAMES: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "The",
    "A",
    "An",
    "It",
    "That",
    "We",
    "Our",
    "Your",
    "My",
    "This",
    "I",
    "Yes",
    "No",
    "Not",
    "Just",
    "Really",
    "Sure",
    "Okay",
];

fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("the PII patterns are fixed and valid")
}

impl PiiDetector {
    /// Compiles the rules.
    pub fn new() -> PiiDetector {
        let name = r"[A-Z][a-z'’\-]+";
        PiiDetector {
            email: compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"),
            iban: compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"),
            digit_run: compile(r"\b\d(?:[ \-]?\d){12,18}\b"),
            ssn: compile(r"\b\d{3}-\d{2}-\d{4}\b"),
            phone: compile(r"(?:\+\d{1,3}[ .\-]?)?(?:\(\d{3}\) ?|\b\d{3}[ .\-]?)\d{3}[ .\-]?\d{4}\b"),
            spoken_run: compile(&format!(r"(?i)\+?\b(?:{SPOKEN_UNIT})(?:[\s,.\-]+(?:{SPOKEN_UNIT}))*")),
            grouped_thousands: compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$"),
            ipv4: compile(r"\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b"),
            ipv6: compile(
                r"\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b|\b(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?\b",
            ),
            money: compile(
                r"(?i)[$€£¥]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|bn|thousand|million|billion)\b)?|\b\d[\d,]*(?:\.\d+)?\s?(?:k\s)?(?:dollars|bucks|euros|pounds|usd|eur|gbp)\b",
            ),
            birth_date_after_cue: compile(&format!(
                r"(?i:\bborn(?:\s+on)?|\bdate\s+of\s+birth(?:\s+is)?|\bd\.?o\.?b\.?:?|\bbirthday(?:\s+is)?)\s+(\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\.?,?\s+\d{{4}})"
            )),
            numeric_birth_date: compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:19[2-9]\d|200\d|201[0-2])\b"),
            address: compile(
                r"\b\d{1,6}\s+(?:[A-Z][a-zA-Z]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq)\b\.?(?:,?\s*(?:Apt|Apartment|Suite|Unit)\.?\s*#?\w+)?(?:,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)?",
            ),
            name_after_cue: compile(&format!(
                r"(?i:\bmy\s+name\s+is|\bname's|\bthis\s+is|\bcall\s+me|\bspeaking\s+with|\bask\s+for)\s+({name}(?:\s+{name}){{0,2}})"
            )),
            listed_name_after_cue: compile(&format!(
                r"(?i:\bit's|\bit\s+is|\bis\s+this|\bi'm|\bi\s+am|\bspeaking,|\bhi|\bhello|\bhey|\bmorning|\bafternoon|\bevening|\bthanks|\bthank\s+you|\bbye),?\s+({name})(?:\s+({name}))?"
            )),
            honorific_name: compile(&format!(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+{name}(?:\s+{name})?")),
            name_before_cue: compile(&format!(r"\b({name})\s+(?i:here\s+(?:with|from|at)|speaking)\b")),
            capitalized_word: compile(&format!(r"\b{name}")),
            following_capitalized_word: compile(&format!(r"^\s+({name})")),
            given_names: GIVEN_NAMES.iter().copied().collect(),
            ambiguous_given_names: AMBIGUOUS_GIVEN_NAMES.iter().copied().collect(),
        }
    }

    /// Every piece of personal data in `text`, merged and in order, with character offsets.
    pub fn detect(&self, text: &str) -> Vec<PiiSpan> {
        to_char_spans(text, &merged(self.byte_spans(text)))
    }

    /// `text` with every span replaced by `[KIND]`, or by `[KIND_tag]` when `pseudonyms` is given.
    pub fn redact(&self, text: &str, pseudonyms: Option<&Pseudonymizer>) -> Redaction {
        let spans = merged(self.byte_spans(text));
        let mut redacted = String::with_capacity(text.len());
        let mut copied_up_to = 0;
        for span in &spans {
            redacted.push_str(&text[copied_up_to..span.start]);
            redacted.push('[');
            redacted.push_str(span.kind.label());
            if let Some(pseudonyms) = pseudonyms {
                redacted.push('_');
                redacted.push_str(&pseudonyms.tag(span.kind, &text[span.start..span.end]));
            }
            redacted.push(']');
            copied_up_to = span.end;
        }
        redacted.push_str(&text[copied_up_to..]);
        Redaction { text: redacted, spans: to_char_spans(text, &spans) }
    }

    fn byte_spans(&self, text: &str) -> Vec<ByteSpan> {
        let mut spans = Vec::new();
        let mut add = |kind: PiiKind, start: usize, end: usize| spans.push(ByteSpan { kind, start, end });
        let whole = |regex: &Regex| matches(regex, text);

        // Most turns hold no digit and no "@"; the rules that need one are skipped for them
        // (the prefilter halves redaction time on call transcripts).
        let has_digit = text.bytes().any(|byte| byte.is_ascii_digit());
        if text.contains('@') {
            for (start, end) in whole(&self.email) {
                add(PiiKind::Email, start, end);
            }
        }
        if has_digit {
            self.numbers(text, &mut add);
        }
        for (start, end) in whole(&self.spoken_run) {
            if self.grouped_thousands.is_match(&text[start..end]) {
                continue; // "1,200,000 customers" is a quantity, not a phone number
            }
            let digits = spoken_digits(&text[start..end].to_lowercase()).len();
            let kind = match digits {
                0..=6 => continue,
                7..=12 => PiiKind::Phone,
                // Spoken card-length runs fail closed like written ones.
                _ => PiiKind::Number,
            };
            add(kind, start, end);
        }
        self.names(text, &mut add);
        spans
    }

    /// The rules that only match text with a digit in it.
    fn numbers(&self, text: &str, add: &mut impl FnMut(PiiKind, usize, usize)) {
        let whole = |regex: &Regex| matches(regex, text);
        for (start, end) in whole(&self.iban) {
            if iban_checksum_holds(&text[start..end]) {
                add(PiiKind::Iban, start, end);
            }
        }
        for (start, end) in whole(&self.digit_run) {
            let kind = if luhn_holds(&text[start..end]) { PiiKind::Card } else { PiiKind::Number };
            add(kind, start, end);
        }
        for (start, end) in whole(&self.ssn) {
            add(PiiKind::Ssn, start, end);
        }
        for (start, end) in whole(&self.phone) {
            add(PiiKind::Phone, start, end);
        }
        for (start, end) in whole(&self.ipv4).into_iter().chain(whole(&self.ipv6)) {
            add(PiiKind::IpAddress, start, end);
        }
        for (start, end) in whole(&self.money) {
            add(PiiKind::Money, start, end);
        }
        for captures in self.birth_date_after_cue.captures_iter(text) {
            let date = captures.get(1).expect("the date group always takes part");
            add(PiiKind::DateOfBirth, date.start(), date.end());
        }
        for (start, end) in whole(&self.numeric_birth_date) {
            add(PiiKind::DateOfBirth, start, end);
        }
        for (start, end) in whole(&self.address) {
            add(PiiKind::Address, start, end);
        }
    }

    fn names(&self, text: &str, add: &mut impl FnMut(PiiKind, usize, usize)) {
        let is_name_word = |word: &str| !NOT_NAMES.contains(&word);
        for captures in self.name_after_cue.captures_iter(text) {
            let name = captures.get(1).expect("the name group always takes part");
            // Keep the leading words that can be names ("this is Sarah Johnson" → both;
            // "this is Tuesday" → none).
            let mut end = None;
            let mut search_from = 0;
            for word in name.as_str().split_whitespace() {
                if !is_name_word(word) {
                    break;
                }
                let word_start = search_from + name.as_str()[search_from..].find(word).expect("a word of this text");
                search_from = word_start + word.len();
                end = Some(name.start() + search_from);
            }
            if let Some(end) = end {
                add(PiiKind::Person, name.start(), end);
            }
        }
        for captures in self.listed_name_after_cue.captures_iter(text) {
            let first = captures.get(1).expect("the first name group always takes part");
            let lower = first.as_str().to_lowercase();
            if !self.given_names.contains(lower.as_str()) && !self.ambiguous_given_names.contains(lower.as_str()) {
                continue;
            }
            let end = match captures.get(2) {
                Some(last) if is_name_word(last.as_str()) => last.end(),
                _ => first.end(),
            };
            add(PiiKind::Person, first.start(), end);
        }
        for captures in self.name_before_cue.captures_iter(text) {
            let name = captures.get(1).expect("the name group always takes part");
            if is_name_word(name.as_str()) {
                add(PiiKind::Person, name.start(), name.end());
            }
        }
        for found in self.honorific_name.find_iter(text) {
            add(PiiKind::Person, found.start(), found.end());
        }
        // One capitalised word at a time (a pair match would swallow "Robert" in "Hello Robert"),
        // extended by the next capitalised word as the surname.
        for first in self.capitalized_word.find_iter(text) {
            if !self.given_names.contains(first.as_str().to_lowercase().as_str()) {
                continue;
            }
            let end = match self.following_capitalized_word.captures(&text[first.end()..]) {
                Some(captures) if is_name_word(&captures[1]) => first.end() + captures[0].len(),
                _ => first.end(),
            };
            add(PiiKind::Person, first.start(), end);
        }
    }
}

/// Where `regex` matches in `text`, as byte ranges.
fn matches(regex: &Regex, text: &str) -> Vec<(usize, usize)> {
    regex.find_iter(text).map(|found| (found.start(), found.end())).collect()
}

/// Spans sorted and merged: overlapping spans become one covering both, of the higher-priority
/// kind, so no part of a value is left out.
fn merged(mut spans: Vec<ByteSpan>) -> Vec<ByteSpan> {
    spans.sort_by_key(|span| (span.start, std::cmp::Reverse(span.end)));
    let mut merged: Vec<ByteSpan> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start < last.end => {
                last.end = last.end.max(span.end);
                last.kind = last.kind.min(span.kind);
            }
            _ => merged.push(span),
        }
    }
    merged
}

/// Byte spans (on character boundaries) as character offsets.
fn to_char_spans(text: &str, spans: &[ByteSpan]) -> Vec<PiiSpan> {
    let mut result = Vec::with_capacity(spans.len());
    let mut chars_before = 0;
    let mut counted_up_to = 0;
    let mut count_to = |byte: usize| {
        chars_before += text[counted_up_to..byte].chars().count();
        counted_up_to = byte;
        chars_before
    };
    for span in spans {
        let start = count_to(span.start);
        let end = count_to(span.end);
        result.push(PiiSpan { kind: span.kind, start, end });
    }
    result
}

/// The Luhn check of the digits in `number`.
pub(crate) fn luhn_holds(number: &str) -> bool {
    let digits: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(position, &digit)| match position % 2 {
            0 => digit,
            _ if digit * 2 > 9 => digit * 2 - 9,
            _ => digit * 2,
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The ISO 13616 check: move the first four characters to the end, letters to numbers
/// (A = 10 … Z = 35), and the result mod 97 must be 1.
pub(crate) fn iban_checksum_holds(candidate: &str) -> bool {
    let compact: Vec<char> = candidate.chars().filter(|c| !c.is_whitespace()).collect();
    if !(15..=34).contains(&compact.len()) {
        return false;
    }
    let rearranged = compact[4..].iter().chain(&compact[..4]);
    let mut remainder: u32 = 0;
    for character in rearranged {
        let value = match character.to_digit(36) {
            Some(value) => value,
            None => return false,
        };
        remainder = if value < 10 { (remainder * 10 + value) % 97 } else { (remainder * 100 + value) % 97 };
    }
    remainder == 1
}

#[cfg(test)]
mod tests;
