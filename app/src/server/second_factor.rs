//! The second factor: TOTP as RFC 6238 defines it (HMAC-SHA1, 6 digits, 30-second steps),
//! computed by `totp-rs`. Liaison adds the one-time rule: a step once accepted, and every step
//! before it, is never accepted again for that account.

use totp_rs::{Algorithm, Secret, TOTP};

pub const ISSUER: &str = "Liaison";
const DIGITS: usize = 6;
const STEP_SECONDS: u64 = 30;
/// Steps accepted either side of now, for a phone clock that is a little off.
const DRIFT_STEPS: i64 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeProblem {
    /// Not six digits.
    Malformed,
    /// Not the code of any step near now.
    Wrong,
    /// The code of a step already used (or older than one used).
    Used,
}

/// A fresh 160-bit secret, base32 as authenticator apps expect it.
pub fn new_secret() -> String {
    Secret::generate_secret().to_encoded().to_string()
}

fn totp(secret: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    TOTP::new(
        Algorithm::SHA1,
        DIGITS,
        0,
        STEP_SECONDS,
        bytes,
        Some(ISSUER.to_owned()),
        account.to_owned(),
    )
    .ok()
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn provisioning_uri(secret: &str, account: &str) -> Option<String> {
    totp(secret, account).map(|t| t.get_url())
}

/// The provisioning address as an SVG QR code, for inline use in a page.
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    // Drop the XML declaration: the SVG goes inside an HTML page.
    svg.find("<svg").map(|start| svg[start..].to_owned())
}

/// The digits of what the user typed, if it can be a code (spaces and dashes are allowed,
/// as apps show codes as `123 456`).
fn digits(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (code.len() == DIGITS && code.chars().all(|c| c.is_ascii_digit())).then_some(code)
}

/// Checks `input` against the steps around `now` (Unix seconds). On success returns the step
/// to store as the last one used.
pub fn verify(
    secret: &str,
    input: &str,
    last_step: Option<i64>,
    now: u64,
) -> Result<i64, CodeProblem> {
    let code = digits(input).ok_or(CodeProblem::Malformed)?;
    let totp = totp(secret, "").ok_or(CodeProblem::Wrong)?;
    let current = i64::try_from(now / STEP_SECONDS).unwrap_or(i64::MAX);
    let step = (current - DRIFT_STEPS..=current + DRIFT_STEPS)
        .filter(|step| *step >= 0)
        .find(|step| totp.check(&code, *step as u64 * STEP_SECONDS))
        .ok_or(CodeProblem::Wrong)?;
    match last_step {
        Some(last) if step <= last => Err(CodeProblem::Used),
        _ => Ok(step),
    }
}

/// The code for `at` (Unix seconds): what an authenticator app would show. For tests and the
/// demo; the server never needs to show a code.
pub fn code_at(secret: &str, at: u64) -> Option<String> {
    totp(secret, "").map(|t| t.generate(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 key, "12345678901234567890", in base32.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_are_those_of_rfc_6238_appendix_b() {
        // The RFC lists 8 digits; a 6-digit code is the last six of the same truncation.
        assert_eq!(code_at(RFC_SECRET, 59).as_deref(), Some("287082"));
        assert_eq!(
            code_at(RFC_SECRET, 1_111_111_109).as_deref(),
            Some("081804")
        );
        assert_eq!(
            code_at(RFC_SECRET, 1_234_567_890).as_deref(),
            Some("005924")
        );
    }

    #[test]
    fn a_current_code_is_accepted_once() {
        let now = 1_234_567_890;
        let code = code_at(RFC_SECRET, now).expect("code");
        let step = verify(RFC_SECRET, &code, None, now).expect("accepted");
        assert_eq!(step, (now / 30) as i64);
        assert_eq!(
            verify(RFC_SECRET, &code, Some(step), now),
            Err(CodeProblem::Used)
        );
    }

    #[test]
    fn a_code_older_than_the_last_used_one_is_refused_as_used() {
        let now = 1_234_567_890;
        let previous = code_at(RFC_SECRET, now - 30).expect("code");
        let current_step = (now / 30) as i64;
        assert_eq!(
            verify(RFC_SECRET, &previous, Some(current_step), now),
            Err(CodeProblem::Used)
        );
    }

    #[test]
    fn one_step_of_clock_drift_is_allowed_and_no_more() {
        let now = 1_234_567_890;
        for offset in [-30i64, 30] {
            let code = code_at(RFC_SECRET, (now as i64 + offset) as u64).expect("code");
            assert!(verify(RFC_SECRET, &code, None, now).is_ok(), "{offset}");
        }
        // A code from two steps ago has expired.
        let expired = code_at(RFC_SECRET, now - 60).expect("code");
        assert_eq!(
            verify(RFC_SECRET, &expired, None, now),
            Err(CodeProblem::Wrong)
        );
    }

    #[test]
    fn spaces_are_ignored_and_anything_but_six_digits_is_malformed() {
        let now = 1_234_567_890;
        let code = code_at(RFC_SECRET, now).expect("code");
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(verify(RFC_SECRET, &spaced, None, now).is_ok());
        for bad in ["", "12345", "1234567", "12a456", "１２３４５６"] {
            assert_eq!(
                verify(RFC_SECRET, bad, None, now),
                Err(CodeProblem::Malformed),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_new_secret_makes_a_scannable_provisioning_address() {
        let secret = new_secret();
        assert!(secret.len() >= 32, "160 bits in base32: {secret}");
        let uri = provisioning_uri(&secret, "jdevries").expect("uri");
        assert!(uri.starts_with("otpauth://totp/Liaison:jdevries?"), "{uri}");
        assert!(uri.contains(&format!("secret={secret}")), "{uri}");
        let svg = qr_svg(&uri).expect("svg");
        assert!(svg.starts_with("<svg"), "{svg:.40}");
    }
}
