use expect_test::{Expect, expect};

use crate::pii::{PiiDetector, PiiKind, Pseudonymizer, iban_checksum_holds, luhn_holds};

/// Redacts `input` and compares the redacted text and the spans (`KIND start..end "original"`).
fn check(input: &str, expected: Expect) {
    let redaction = PiiDetector::new().redact(input, None);
    let characters: Vec<char> = input.chars().collect();
    let spans: Vec<String> = redaction
        .spans
        .iter()
        .map(|span| {
            let original: String = characters[span.start..span.end].iter().collect();
            format!("{} {}..{} {original:?}", span.kind.label(), span.start, span.end)
        })
        .collect();
    expected.assert_eq(&format!("{}\n{}", redaction.text, spans.join("\n")));
}

#[test]
fn emails() {
    check(
        "You can send it to sarah.johnson@gmail.com, or SJ+work@acme.co.uk.",
        expect![[r#"
            You can send it to [EMAIL], or [EMAIL].
            EMAIL 19..42 "sarah.johnson@gmail.com"
            EMAIL 47..65 "SJ+work@acme.co.uk""#]],
    );
}

#[test]
fn phones_in_digits() {
    check(
        "Sure, it's 415-555-0134. Or (415) 555 0199, or +44 20 7946 0958, or 4155550100.",
        expect![[r#"
            Sure, it's [PHONE]. Or [PHONE], or [PHONE], or [PHONE].
            PHONE 11..23 "415-555-0134"
            PHONE 28..42 "(415) 555 0199"
            PHONE 47..63 "+44 20 7946 0958"
            PHONE 68..78 "4155550100""#]],
    );
}

#[test]
fn phones_spoken_as_words() {
    check(
        "Sure, it's four one five, double five five, oh one three four. Call after two.",
        expect![[r#"
            Sure, it's [PHONE]. Call after two.
            PHONE 11..61 "four one five, double five five, oh one three four""#]],
    );
    check(
        "Five five five, one two one two works, or Nine Eight Seven 654 3210.",
        expect![[r#"
            [PHONE] works, or [PHONE].
            PHONE 0..31 "Five five five, one two one two"
            PHONE 42..67 "Nine Eight Seven 654 3210""#]],
    );
}

#[test]
fn short_spoken_numbers_are_left_alone() {
    check(
        "We have two or three locations and one, maybe two, trucks.",
        expect![[r#"
            We have two or three locations and one, maybe two, trucks.
        "#]],
    );
}

#[test]
fn quantities_are_not_phone_numbers_but_amounts_are_money() {
    check(
        "We serve 1,200,000 customers and raised $1,200,000.",
        expect![[r#"
            We serve 1,200,000 customers and raised [MONEY].
            MONEY 40..50 "$1,200,000""#]],
    );
}

#[test]
fn card_numbers_fail_closed() {
    check(
        "My card is 4111 1111 1111 1111, the old one was 4111-1111-1111-1112, account 12345678901234.",
        expect![[r#"
            My card is [CARD], the old one was [NUMBER], account [NUMBER].
            CARD 11..30 "4111 1111 1111 1111"
            NUMBER 48..67 "4111-1111-1111-1112"
            NUMBER 77..91 "12345678901234""#]],
    );
}

#[test]
fn ssns_ibans_and_ip_addresses() {
    check(
        "My social is 123-45-6789. Wire it to GB82 WEST 1234 5698 7654 32 from 192.168.10.254 or 2001:db8::8a2e:370:7334.",
        expect![[r#"
            My social is [SSN]. Wire it to [IBAN] from [IP_ADDRESS] or [IP_ADDRESS].
            SSN 13..24 "123-45-6789"
            IBAN 37..64 "GB82 WEST 1234 5698 7654 32"
            IP_ADDRESS 70..84 "192.168.10.254"
            IP_ADDRESS 88..111 "2001:db8::8a2e:370:7334""#]],
    );
}

#[test]
fn a_wrong_iban_checksum_is_not_an_iban() {
    assert!(iban_checksum_holds("GB82 WEST 1234 5698 7654 32"));
    assert!(iban_checksum_holds("DE89370400440532013000"));
    assert!(!iban_checksum_holds("GB83 WEST 1234 5698 7654 32"));
    assert!(luhn_holds("4111 1111 1111 1111"));
    assert!(!luhn_holds("4111 1111 1111 1112"));
}

#[test]
fn addresses_dates_of_birth_and_money() {
    check(
        "We're over at 1420 Maple Avenue, Springfield. I was born on March 3rd, 1985, or 03/03/1985. It's $1,200 a month, about 40k dollars a year.",
        expect![[r#"
            We're over at [ADDRESS]. I was born on [DATE_OF_BIRTH], or [DATE_OF_BIRTH]. It's [MONEY] a month, about [MONEY] a year.
            ADDRESS 14..44 "1420 Maple Avenue, Springfield"
            DATE_OF_BIRTH 60..75 "March 3rd, 1985"
            DATE_OF_BIRTH 80..90 "03/03/1985"
            MONEY 97..103 "$1,200"
            MONEY 119..130 "40k dollars""#]],
    );
}

#[test]
fn appointment_dates_are_not_dates_of_birth() {
    check(
        "Tuesday at 10:30 AM works, so 12/01/2026 it is.",
        expect![[r#"
            Tuesday at 10:30 AM works, so 12/01/2026 it is.
        "#]],
    );
}

#[test]
fn person_names_after_cues_honorifics_and_from_the_list() {
    check(
        "Hi, this is Alex Moreno from Acme. Yes, this is Sarah Johnson. Speaking, it's Grace. Dr. Patel said Priya would call.",
        expect![[r#"
            Hi, this is [PERSON] from Acme. Yes, this is [PERSON]. Speaking, it's [PERSON]. [PERSON] said [PERSON] would call.
            PERSON 12..23 "Alex Moreno"
            PERSON 48..61 "Sarah Johnson"
            PERSON 78..83 "Grace"
            PERSON 85..94 "Dr. Patel"
            PERSON 100..105 "Priya""#]],
    );
}

#[test]
fn a_listed_name_after_another_capitalised_word_is_found() {
    check(
        "Hello Robert, Ava here with Clearpath. Thanks, Maria Lopez. Zed speaking.",
        expect![[r#"
            Hello [PERSON], [PERSON] here with Clearpath. Thanks, [PERSON]. [PERSON] speaking.
            PERSON 6..12 "Robert"
            PERSON 14..17 "Ava"
            PERSON 47..58 "Maria Lopez"
            PERSON 60..63 "Zed""#]],
    );
}

#[test]
fn everyday_words_that_are_names_need_a_cue() {
    check(
        "Will that work? Grace period is thirty days. This is Tuesday, right? My name is Will. Hello Grace! Is this Hope? Is this right?",
        expect![[r#"
            Will that work? Grace period is thirty days. This is Tuesday, right? My name is [PERSON]. Hello [PERSON]! Is this [PERSON]? Is this right?
            PERSON 80..84 "Will"
            PERSON 92..97 "Grace"
            PERSON 107..111 "Hope""#]],
    );
}

#[test]
fn offsets_count_characters_not_bytes() {
    check(
        "Café für Sarah — call 415-555-0134.",
        expect![[r#"
            Café für [PERSON] — call [PHONE].
            PERSON 9..14 "Sarah"
            PHONE 22..34 "415-555-0134""#]],
    );
}

#[test]
fn pseudonyms_are_stable_per_tenant_and_join_digits_with_words() {
    let detector = PiiDetector::new();
    let acme = Pseudonymizer::new(b"a long random secret", "acme");
    let globex = Pseudonymizer::new(b"a long random secret", "globex");
    let written = detector.redact("It's 415-555-0134.", Some(&acme)).text;
    let spoken = detector.redact("It's four one five, five five five, oh one three four.", Some(&acme)).text;
    let other_tenant = detector.redact("It's 415-555-0134.", Some(&globex)).text;
    assert_eq!(written, spoken, "the same number, written or said, gets the same tag");
    assert_ne!(written, other_tenant, "another tenant gets another tag");
    assert!(written.starts_with("It's [PHONE_") && written.len() == "It's [PHONE_12345678].".len(), "{written}");
    assert_eq!(acme.tag(PiiKind::Person, "Sarah  Johnson"), acme.tag(PiiKind::Person, "sarah johnson"));
}
