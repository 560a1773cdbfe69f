//! What the modal slot's windows look like: each implements `Render` here.
mod picker;
