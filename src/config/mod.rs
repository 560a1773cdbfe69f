//! Where labdeck keeps its files and what the user put there: paths, `config.toml`,
//! themes and keymaps. Pure data out: no terminal types here (the `ui` and `app`
//! layers turn specs into styles and key events). `directories` is used only here.
//!
//! Every loader returns its value plus warnings instead of failing: a broken user
//! file must never stop labdeck from starting, and the user must see why it was
//! ignored. Warnings are `SafeText` because they quote the user's files.
pub mod inventory;
pub mod keymap;
pub mod paths;
pub mod settings;
pub mod theme;

mod user_file;

#[cfg(test)]
mod shipped_tests;
