//! What the wizards look like: each implements `Render` here.
mod bootstrap;
