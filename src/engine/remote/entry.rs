//! One remote entry: an action's output (exit code, stdout, stderr), the root it was produced in, and the
//! key it is stored under, closed by a checksum and, when the writer holds the signing key
//! (`LINTMUX_REMOTE_CACHE_KEY`), a signature: blake3's keyed hash of everything before it. A reader with
//! the key takes only entries whose signature verifies; one without it checks the checksum alone. An entry
//! is bound to its key, so a valid entry copied under another key is refused too.
//!
//! `MAGIC, format, flags, key (64 hex digits)`, the output as the local cache keeps it
//! (`cache::push_output`), `blake3 of all that, [signature]` (integers little-endian).

use std::path::PathBuf;

use crate::engine::cache::{push_output, read_output};
use crate::model::JobOutput;

const MAGIC: &[u8; 4] = b"LMXE";
/// Bumped whenever what an entry means changes.
const FORMAT: u32 = 1;
const SIGNED: u8 = 1;
const KEY_LEN: usize = 64;
/// Where the output starts.
const HEADER: usize = 4 + 4 + 1 + KEY_LEN;

/// The key a signature is made with, derived from the shared secret.
pub(crate) struct SigningKey([u8; 32]);

impl SigningKey {
    pub(crate) fn new(secret: &str) -> SigningKey {
        SigningKey(blake3::derive_key(
            "lintmux remote result cache entry signature v1",
            secret.as_bytes(),
        ))
    }

    fn sign(&self, body: &[u8]) -> blake3::Hash {
        blake3::keyed_hash(&self.0, body)
    }
}

/// Why an entry that was there is not used.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Cut short, altered, or not an entry of this format.
    Damaged,
    /// The reader requires signatures and this entry has none.
    Unsigned,
    /// Signed with another key, or altered after signing.
    BadSignature,
    /// A valid entry of another key.
    OtherKey,
}

impl Refusal {
    pub(crate) fn as_str(&self) -> &'static str {
        match self {
            Refusal::Damaged => "damaged",
            Refusal::Unsigned => "unsigned",
            Refusal::BadSignature => "bad signature",
            Refusal::OtherKey => "stored under another key",
        }
    }
}

/// `out`, produced in `root`, as the entry of `key` (`None`: an output that ended without an exit code,
/// which is never stored, or a key that is not a result-cache key).
pub(crate) fn encode(key: &str, out: &JobOutput, root: &str, signing: Option<&SigningKey>) -> Option<Vec<u8>> {
    if key.len() != KEY_LEN {
        return None;
    }
    let mut b = Vec::with_capacity(HEADER + out.stdout.len() + out.stderr.len() + root.len() + 100);
    b.extend_from_slice(MAGIC);
    b.extend_from_slice(&FORMAT.to_le_bytes());
    b.push(if signing.is_some() { SIGNED } else { 0 });
    b.extend_from_slice(key.as_bytes());
    push_output(&mut b, out, root)?;
    let sum = blake3::hash(&b);
    let signature = signing.map(|s| s.sign(&b));
    b.extend_from_slice(sum.as_bytes());
    if let Some(sig) = signature {
        b.extend_from_slice(sig.as_bytes());
    }
    Some(b)
}

/// The output and producing root in `bytes`, read as the entry of `key`; `signing`: the reader requires a
/// signature made with this key.
pub(crate) fn decode(bytes: &[u8], key: &str, signing: Option<&SigningKey>) -> Result<(JobOutput, PathBuf), Refusal> {
    let flags = *bytes.get(8).ok_or(Refusal::Damaged)?;
    let trailer = if flags & SIGNED != 0 { 64 } else { 32 };
    let end = bytes.len().checked_sub(trailer).ok_or(Refusal::Damaged)?;
    let (body, rest) = bytes.split_at(end);
    let (sum, signature) = rest.split_at(32);
    if body.len() < HEADER + 16 || body[..4] != *MAGIC || blake3::hash(body).as_bytes() != sum {
        return Err(Refusal::Damaged);
    }
    if u32::from_le_bytes(body[4..8].try_into().map_err(|_| Refusal::Damaged)?) != FORMAT {
        return Err(Refusal::Damaged);
    }
    if let Some(signing) = signing {
        if signature.is_empty() {
            return Err(Refusal::Unsigned);
        }
        let expected: [u8; 32] = signature.try_into().map_err(|_| Refusal::Damaged)?;
        // blake3::Hash compares in constant time.
        if signing.sign(body) != blake3::Hash::from(expected) {
            return Err(Refusal::BadSignature);
        }
    }
    if &body[9..HEADER] != key.as_bytes() {
        return Err(Refusal::OtherKey);
    }
    read_output(&body[HEADER..]).ok_or(Refusal::Damaged)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::model::Exit;

    const KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const OTHER: &str = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

    fn refused(bytes: &[u8], key: &str, signing: Option<&SigningKey>) -> Option<Refusal> {
        decode(bytes, key, signing).err()
    }

    fn output() -> JobOutput {
        JobOutput {
            stdout: b"[{\"code\": \"F401\"}]".to_vec(),
            stderr: b"warning".to_vec(),
            exit: Exit::Code(1),
            duration: Duration::from_secs(3),
        }
    }

    #[test]
    fn round_trip_signed_and_unsigned() {
        let key = SigningKey::new("team secret");
        for signing in [None, Some(&key)] {
            let bytes = encode(KEY, &output(), "/builds/group/svc", signing).unwrap();
            let (out, root) = decode(&bytes, KEY, signing).unwrap();
            assert_eq!(
                (out.stdout, out.stderr, out.exit),
                (output().stdout, output().stderr, Exit::Code(1))
            );
            assert_eq!(root, PathBuf::from("/builds/group/svc"));
        }
    }

    #[test]
    fn damage_another_key_and_bad_signatures_are_refused() {
        let key = SigningKey::new("team secret");
        let signed = encode(KEY, &output(), "/r", Some(&key)).unwrap();
        let unsigned = encode(KEY, &output(), "/r", None).unwrap();
        assert_eq!(
            refused(&signed[..signed.len() / 2], KEY, Some(&key)),
            Some(Refusal::Damaged)
        );
        let mut flipped = signed.clone();
        flipped[HEADER + 2] ^= 1;
        assert_eq!(refused(&flipped, KEY, Some(&key)), Some(Refusal::Damaged));
        assert_eq!(refused(&unsigned, KEY, Some(&key)), Some(Refusal::Unsigned));
        let forged = encode(KEY, &output(), "/r", Some(&SigningKey::new("another"))).unwrap();
        assert_eq!(refused(&forged, KEY, Some(&key)), Some(Refusal::BadSignature));
        assert_eq!(refused(&signed, OTHER, Some(&key)), Some(Refusal::OtherKey));
        assert_eq!(refused(b"", KEY, None), Some(Refusal::Damaged));
        assert_eq!(refused(&[0; 40], KEY, None), Some(Refusal::Damaged));
        // A reader without the key checks the checksum of signed entries too.
        assert!(decode(&signed, KEY, None).is_ok());
        assert_eq!(refused(&flipped, KEY, None), Some(Refusal::Damaged));
    }

    #[test]
    fn an_output_without_exit_code_is_not_an_entry() {
        let out = JobOutput {
            exit: Exit::Signal(9),
            ..output()
        };
        assert!(encode(KEY, &out, "/r", None).is_none());
    }
}
