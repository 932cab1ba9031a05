//! Small formatting helpers shared by the renderers.

use hindsight_stats::Rate;

/// `12.3%`.
pub(crate) fn percent(value: f64) -> String {
    format!("{:.1}%", value * 100.0)
}

/// `12.3% (95% CI 10.1–14.8%, 45/366)`, or `n/a (0 calls)`.
pub(crate) fn rate_with_interval(rate: Rate, confidence: f64) -> String {
    match (rate.estimate(), rate.wilson(confidence)) {
        (Some(estimate), Some(interval)) => format!(
            "{} ({:.0}% CI {:.1}–{:.1}%, {}/{})",
            percent(estimate),
            confidence * 100.0,
            interval.low * 100.0,
            interval.high * 100.0,
            rate.successes,
            rate.trials
        ),
        _ => format!("n/a ({} calls)", rate.trials),
    }
}

/// `12,345`: thousands separated, for reading counts at a glance.
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// An amount rounded to whole units with thousands separators (currency-neutral: the campaign's
/// currency).
pub(crate) fn money(value: f64) -> String {
    let rounded = value.round() as i64;
    let sign = if rounded < 0 { "-" } else { "" };
    format!("{sign}{}", thousands(rounded.unsigned_abs()))
}

#[cfg(test)]
mod tests {
    use hindsight_stats::Rate;

    use super::{money, rate_with_interval, thousands};

    #[test]
    fn numbers_carry_their_evidence() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(money(1234567.4), "1,234,567");
        assert_eq!(money(-999.6), "-1,000");
        assert_eq!(rate_with_interval(Rate::new(8, 10), 0.95), "80.0% (95% CI 49.0–94.3%, 8/10)");
        assert_eq!(rate_with_interval(Rate::default(), 0.95), "n/a (0 calls)");
    }
}
