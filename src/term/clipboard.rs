//! Copy to the user's clipboard with OSC 52: the terminal (or tmux, or the terminal at
//! the far end of ssh) sets its clipboard from the sequence, so a copy works where no
//! local clipboard program could. Only labdeck writes this, for a copy the user asked
//! for; text from outside never reaches the terminal as a sequence (SafeText).

use base64::Engine;

/// The sequence that puts `text` on the clipboard (`c`), terminated by BEL, which more
/// terminals accept than ST.
pub fn osc52(text: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{b64}\x07")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_travels_base64_encoded_so_no_byte_of_it_is_a_control() {
        assert_eq!(osc52("media_plex"), "\x1b]52;c;bWVkaWFfcGxleA==\x07");
        // A name with an escape in it is carried, never interpreted.
        let s = osc52("a\x1b]52;c;evil\x07");
        assert_eq!(s.matches('\x1b').count(), 1);
        assert_eq!(s.matches('\x07').count(), 1);
    }
}
