//! Personal data the simulated people say out loud, in the shapes real transcripts carry it.

use rand::Rng;
use rand::seq::IndexedRandom;

use crate::vocab::{CITIES, DIGIT_WORDS, EMAIL_DOMAINS, STREETS};

/// A phone number as digits, in one of the ways speech-to-text writes it.
pub fn phone_digits(rng: &mut impl Rng) -> String {
    let area = rng.random_range(201..990);
    let exchange = 555;
    let line = rng.random_range(100..10_000);
    match rng.random_range(0..3) {
        0 => format!("{area}-{exchange}-{line:04}"),
        1 => format!("({area}) {exchange} {line:04}"),
        _ => format!("{area}{exchange}{line:04}"),
    }
}

/// A phone number as spoken words: "four one five, five five five, oh one three four", with the
/// "double five" and "oh" habits of real callers.
pub fn phone_spoken(rng: &mut impl Rng) -> String {
    let digits: Vec<u32> = phone_digits(rng).chars().filter_map(|c| c.to_digit(10)).collect();
    let groups = [&digits[0..3], &digits[3..6], &digits[6..10]];
    let say_oh = rng.random_bool(0.6);
    let say_double = rng.random_bool(0.5);
    let spoken_groups: Vec<String> = groups
        .iter()
        .map(|group| {
            let mut words = Vec::new();
            let mut index = 0;
            while index < group.len() {
                let digit = group[index] as usize;
                let word = if digit == 0 && say_oh { "oh" } else { DIGIT_WORDS[digit] };
                if say_double && index + 1 < group.len() && group[index + 1] == group[index] {
                    words.push(format!("double {word}"));
                    index += 2;
                } else {
                    words.push(word.to_string());
                    index += 1;
                }
            }
            words.join(" ")
        })
        .collect();
    spoken_groups.join(", ")
}

/// An email address built from the person's name.
pub fn email(first: &str, last: &str, rng: &mut impl Rng) -> String {
    let domain = EMAIL_DOMAINS.choose(rng).expect("non-empty list");
    let first = first.to_lowercase();
    let last = last.to_lowercase();
    match rng.random_range(0..3) {
        0 => format!("{first}.{last}@{domain}"),
        1 => format!("{first}{last}{}@{domain}", rng.random_range(1..99)),
        _ => format!("{}{last}@{domain}", &first[..1]),
    }
}

/// A Luhn-valid 16-digit card number, grouped in fours or run together.
pub fn card_number(rng: &mut impl Rng) -> String {
    let mut digits: Vec<u32> = vec![4];
    digits.extend((0..14).map(|_| rng.random_range(0..10)));
    digits.push(luhn_check_digit(&digits));
    let text: String = digits.iter().map(|d| char::from_digit(*d, 10).expect("digit")).collect();
    if rng.random_bool(0.7) {
        text.as_bytes().chunks(4).map(|chunk| std::str::from_utf8(chunk).expect("ascii")).collect::<Vec<_>>().join(" ")
    } else {
        text
    }
}

/// The digit that makes `payload` + digit pass the Luhn check.
pub fn luhn_check_digit(payload: &[u32]) -> u32 {
    let sum: u32 = payload
        .iter()
        .rev()
        .enumerate()
        .map(|(position, digit)| {
            if position % 2 == 0 {
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                *digit
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

/// A US social security number in its usual written form (never area 000, 666 or 9xx).
pub fn ssn(rng: &mut impl Rng) -> String {
    let mut area = rng.random_range(1..900);
    if area == 666 {
        area = 667;
    }
    format!("{area:03}-{:02}-{:04}", rng.random_range(1..100), rng.random_range(1..10_000))
}

/// A street address: number, street, and sometimes the city.
pub fn street_address(rng: &mut impl Rng) -> String {
    let street = STREETS.choose(rng).expect("non-empty list");
    let number = rng.random_range(12..9_900);
    if rng.random_bool(0.5) {
        format!("{number} {street}, {}", CITIES.choose(rng).expect("non-empty list"))
    } else {
        format!("{number} {street}")
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::{card_number, luhn_check_digit, phone_spoken};

    fn luhn_valid(number: &str) -> bool {
        let digits: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
        let (payload, check) = digits.split_at(digits.len() - 1);
        luhn_check_digit(payload) == check[0]
    }

    #[test]
    fn card_numbers_pass_the_luhn_check() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        // 4111 1111 1111 1111 is the canonical valid test number.
        assert!(luhn_valid("4111111111111111"));
        assert!(!luhn_valid("4111111111111112"));
        for _ in 0..100 {
            let number = card_number(&mut rng);
            assert!(luhn_valid(&number), "{number}");
        }
    }

    #[test]
    fn spoken_phone_numbers_use_only_number_words() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for _ in 0..50 {
            let spoken = phone_spoken(&mut rng);
            for word in spoken.split([' ', ',']).filter(|w| !w.is_empty()) {
                assert!(
                    super::DIGIT_WORDS.contains(&word) || word == "oh" || word == "double",
                    "unexpected word {word:?} in {spoken:?}"
                );
            }
        }
    }
}
