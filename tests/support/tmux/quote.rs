//! Quoting for the two parsers between a test and the program: tmux's own command
//! line, and the `sh` that tmux hands single-string commands to.

/// `s` as one `sh` word: single-quoted, with each `'` written as `'\''`.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// `s` as one tmux argument. tmux splits commands at any argument *ending* in `;`
/// (so `a;` becomes `a` plus a new command) and reads a final `\;` as a literal `;`:
/// escape that last `;`, which leaves everything else untouched.
pub fn tmux_arg(s: &str) -> String {
    match s.strip_suffix(';') {
        Some(head) => format!("{head}\\;"),
        None => s.to_owned(),
    }
}
