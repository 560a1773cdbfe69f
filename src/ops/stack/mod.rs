//! Compose files deployed as Swarm stacks through the Engine API, as `docker stack
//! deploy` would deploy them: read (`load`), converted (`convert`) into what the
//! Engine is asked to hold (`desired`). The Engine has no stack API and the CLI is
//! not needed at run time.
pub mod compare;
pub mod convert;
pub mod deploy;
pub mod desired;
pub mod env_file;
pub mod gate;
pub mod interpolate;
pub mod keys;
pub mod load;
pub mod merge;
pub mod read;
pub mod roll_back;
pub mod short;
pub mod tree;
