//! Password rules (OWASP ASVS 5.0 §6.2: length, no composition rules, not a common password)
//! and argon2id hashing, which runs on the blocking pool so it never stalls the async runtime.

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use std::{collections::HashSet, sync::LazyLock};

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .collect()
});

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("must be at least {MIN_LENGTH} characters")]
    TooShort,
    #[error("may be at most {MAX_LENGTH} characters")]
    TooLong,
    #[error("is one of the most commonly used passwords; choose another")]
    Common,
    #[error("must not contain your user name")]
    ContainsUsername,
}

/// What is wrong with a new password, in the user's language. The locale files spell out
/// [`MIN_LENGTH`] and [`MAX_LENGTH`]; a test keeps them in step.
pub fn message(problem: PasswordProblem, locale: crate::i18n::Locale) -> String {
    use crate::i18n::*;
    match problem {
        PasswordProblem::TooShort => td_string!(locale, err_password_too_short).to_string(),
        PasswordProblem::TooLong => td_string!(locale, err_password_too_long).to_string(),
        PasswordProblem::Common => td_string!(locale, err_password_common).to_string(),
        PasswordProblem::ContainsUsername => {
            td_string!(locale, err_password_contains_username).to_string()
        }
    }
}

/// Checks a new password. Length counts characters, not bytes, so that any script counts fairly.
pub fn check(candidate: &str, username: &str) -> Result<(), PasswordProblem> {
    let length = candidate.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordProblem::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(PasswordProblem::TooLong);
    }
    let lowered = candidate.to_lowercase();
    if COMMON.contains(lowered.as_str()) {
        return Err(PasswordProblem::Common);
    }
    if !username.is_empty() && lowered.contains(&username.to_lowercase()) {
        return Err(PasswordProblem::ContainsUsername);
    }
    Ok(())
}

/// argon2id with the crate's defaults (m = 19456 KiB, t = 2, p = 1) and a fresh salt.
pub async fn hash(password: String) -> Result<String, HashError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|_| HashError)
    })
    .await
    .map_err(|_| HashError)?
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed")]
pub struct HashError;

/// A hash of no one's password, checked when the user does not exist or has no password yet,
/// so that a wrong user name takes as long as a wrong password.
static DECOY: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(b"decoy password that never matches", &salt)
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

/// True only when `stored` is present and `password` matches it.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let present = stored.is_some();
        let phc = stored.unwrap_or_else(|| DECOY.clone());
        let matches = PasswordHash::new(&phc)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        present && matches
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_messages_state_the_limits_in_every_language() {
        use crate::i18n::Locale;
        for locale in [Locale::nl, Locale::en] {
            assert!(message(PasswordProblem::TooShort, locale).contains(&MIN_LENGTH.to_string()));
            assert!(message(PasswordProblem::TooLong, locale).contains(&MAX_LENGTH.to_string()));
        }
    }

    use super::*;

    #[test]
    fn length_counts_characters_and_has_both_limits() {
        assert_eq!(check("short", "u"), Err(PasswordProblem::TooShort));
        assert_eq!(check("ééééééééééé", "u"), Err(PasswordProblem::TooShort)); // 11 chars, 22 bytes
        assert_eq!(check("éééééééééééé", "u"), Ok(()));
        assert_eq!(check(&"x".repeat(129), "u"), Err(PasswordProblem::TooLong));
        assert_eq!(check(&"correct horse ".repeat(4), "u"), Ok(())); // 56 characters, spaces fine
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert_eq!(check("password1234", "u"), Err(PasswordProblem::Common));
        assert_eq!(check("PassWord1234", "u"), Err(PasswordProblem::Common));
        assert_eq!(check("qwertyuiopasdfgh", "u"), Err(PasswordProblem::Common));
    }

    #[test]
    fn the_user_name_may_not_be_the_password() {
        assert_eq!(
            check("my name is j.devries!", "j.devries"),
            Err(PasswordProblem::ContainsUsername)
        );
    }

    #[tokio::test]
    async fn a_hash_verifies_its_own_password_only() {
        let stored = hash("blue tulips at dawn".into()).await.expect("hashed");
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify("blue tulips at dawn".into(), Some(stored.clone())).await);
        assert!(!verify("blue tulips at dusk".into(), Some(stored)).await);
        assert!(!verify("decoy password that never matches".into(), None).await);
    }
}
