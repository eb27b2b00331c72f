//! API tokens: `lsn_<lookup>_<secret>`. The lookup finds the row; only a SHA-256 hash of the
//! secret is stored, and it is compared in constant time. A token is 256 bits of randomness,
//! so a plain hash (no salt, no slow hash) is what a password would not be allowed: enough.

use crate::error::AppError;
use sha2::{Digest, Sha256};

const PREFIX: &str = "lsn_";
const LOOKUP_BYTES: usize = 8;
const SECRET_BYTES: usize = 32;

/// A token as issued: the text to hand over once, its lookup and the hash to store.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub text: String,
    pub lookup: String,
    pub secret_hash: String,
}

pub fn issue() -> Result<NewToken, AppError> {
    let mut lookup = [0u8; LOOKUP_BYTES];
    let mut secret = [0u8; SECRET_BYTES];
    getrandom::fill(&mut lookup).map_err(AppError::failed("drawing an API token"))?;
    getrandom::fill(&mut secret).map_err(AppError::failed("drawing an API token"))?;
    let (lookup, secret) = (hex::encode(lookup), hex::encode(secret));
    Ok(NewToken {
        text: format!("{PREFIX}{lookup}_{secret}"),
        secret_hash: hash(&secret),
        lookup,
    })
}

/// A presented token split into lookup and secret, if it has the shape of one.
pub fn parse(text: &str) -> Option<(&str, &str)> {
    let (lookup, secret) = text.strip_prefix(PREFIX)?.split_once('_')?;
    let hex_of = |s: &str, bytes: usize| {
        s.len() == bytes * 2
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    (hex_of(lookup, LOOKUP_BYTES) && hex_of(secret, SECRET_BYTES)).then_some((lookup, secret))
}

pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Whether `secret` is the one whose hash was stored, in time independent of where they differ.
pub fn matches(secret: &str, stored_hash: &str) -> bool {
    let presented = hash(secret);
    presented.len() == stored_hash.len()
        && presented
            .bytes()
            .zip(stored_hash.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issued_token_parses_back_to_its_lookup_and_matches_its_hash() {
        let token = issue().unwrap();
        let (lookup, secret) = parse(&token.text).unwrap();
        assert_eq!(lookup, token.lookup);
        assert!(matches(secret, &token.secret_hash));
        let other = issue().unwrap();
        assert_ne!(other.text, token.text);
        assert!(!matches(secret, &other.secret_hash));
    }

    #[test]
    fn anything_else_is_not_a_token() {
        let token = issue().unwrap().text;
        for bad in [
            "",
            "lsn_",
            "Bearer x",
            &token[1..],
            &token[..token.len() - 1],
            &token.to_uppercase(),
            &token.replace('_', "-"),
            &format!("{token}0"),
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_secret_one_character_off_does_not_match() {
        let token = issue().unwrap();
        let (_, secret) = parse(&token.text).unwrap();
        let mut off = secret.to_owned();
        let last = if off.ends_with('0') { "1" } else { "0" };
        off.replace_range(off.len() - 1.., last);
        assert!(!matches(&off, &token.secret_hash));
        assert!(!matches(secret, ""));
    }
}
