//! Numbers said as words: "four one five, five five five, oh one three four", "double five".
//!
//! Speech-to-text writes a phone number the caller spells out digit by digit as words. A regex
//! finds runs of digit words (and digit groups, since transcribers mix "four one five 555"); this
//! module counts how many digits a run stands for and spells them out, so a run of seven or more
//! digits can be treated like the same number written in digits.

/// The digit a single spoken word stands for.
fn digit_of(word: &str) -> Option<char> {
    Some(match word {
        "zero" | "oh" | "o" => '0',
        "one" => '1',
        "two" => '2',
        "three" => '3',
        "four" => '4',
        "five" => '5',
        "six" => '6',
        "seven" => '7',
        "eight" => '8',
        "nine" => '9',
        _ => return None,
    })
}

/// The regex alternative for one spoken unit: an optional "double"/"triple" and a digit word,
/// or a group of written digits.
pub(crate) const SPOKEN_UNIT: &str =
    r"(?:(?:double|triple)\s+)?(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b|\d+";

/// The digits a run of spoken units stands for ("double five oh" → "550"), lowercase input.
pub(crate) fn spoken_digits(run: &str) -> String {
    let mut digits = String::new();
    let mut repeat = 1;
    for word in run.split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '.').filter(|w| !w.is_empty()) {
        match word {
            "double" => repeat = 2,
            "triple" => repeat = 3,
            _ if word.chars().all(|c| c.is_ascii_digit()) => {
                digits.push_str(word);
                repeat = 1;
            }
            _ => {
                if let Some(digit) = digit_of(word) {
                    digits.extend(std::iter::repeat_n(digit, repeat));
                }
                repeat = 1;
            }
        }
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::spoken_digits;

    #[test]
    fn spoken_runs_spell_out_their_digits() {
        assert_eq!(spoken_digits("four one five, five five five, oh one three four"), "4155550134");
        assert_eq!(spoken_digits("four one five, double five five, oh one three four"), "4155550134");
        assert_eq!(spoken_digits("triple five 0134"), "5550134");
        assert_eq!(spoken_digits("zero o oh"), "000");
    }
}
