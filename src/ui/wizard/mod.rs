//! What the wizards look like: the frame they share draws them all.
mod frame;
