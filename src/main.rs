//! labdeck: the TUI, or a headless command.

use clap::{Parser, Subcommand};
use labdeck::app::registry;
use labdeck::app::run::{Runtime, run};
use labdeck::app::state::State;
use labdeck::cli::status;
use labdeck::config::{keymap, paths::Paths, settings, theme};
use labdeck::core::access::{self, AccessMode};
use labdeck::ui::theme::Theme;

#[derive(Parser)]
#[command(
    name = "labdeck",
    version,
    about = "One terminal console for the hybrid homelab"
)]
struct Cli {
    /// Change nothing: every write is refused (also LABDECK_READ_ONLY=1 or read_only = true).
    #[arg(long, global = true)]
    read_only: bool,
    /// Theme name (default, light, ansi16, or one in <config dir>/themes).
    #[arg(long, global = true)]
    theme: Option<String>,
    /// Keymap name (default, vim, or one in <config dir>/keymaps).
    #[arg(long, global = true)]
    keymap: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Print a health summary; exit 0 healthy, 1 degraded, 2 a source unreachable,
    /// 64 a usage error.
    Status {
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Bring up the infrastructure tier from a bootstrap file (see examples/bootstrap).
    #[command(subcommand)]
    Bootstrap(BootstrapCommand),
    /// Compose files as a Swarm stack, as `docker stack` does, through the Engine API.
    #[command(subcommand)]
    Stack(StackCommand),
}

#[derive(Subcommand)]
enum StackCommand {
    /// Deploy (or update) the stack NAME from compose files, merged in order.
    Deploy {
        #[arg(short = 'c', long = "compose-file", required = true)]
        compose: Vec<std::path::PathBuf>,
        /// Remove the stack's services the files no longer have.
        #[arg(long)]
        prune: bool,
        name: String,
    },
    /// What a deploy would change; exit 0 nothing, 2 changes, 1 an error.
    Diff {
        #[arg(short = 'c', long = "compose-file", required = true)]
        compose: Vec<std::path::PathBuf>,
        #[arg(long)]
        prune: bool,
        name: String,
    },
    /// Remove the stack NAME: its services, networks, secrets and configs.
    Rm { name: String },
}

#[derive(Subcommand)]
enum BootstrapCommand {
    /// What would change; exit 0 nothing, 2 changes pending, 1 an error.
    Plan {
        #[arg(short = 'f', long = "file")]
        file: std::path::PathBuf,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Make it so, step by step, each checked first and journalled; asks unless --yes.
    Apply {
        #[arg(short = 'f', long = "file")]
        file: std::path::PathBuf,
        #[arg(long)]
        yes: bool,
    },
    /// Print a systemd unit that applies the file at boot, after docker.service.
    Unit {
        #[arg(short = 'f', long = "file")]
        file: std::path::PathBuf,
    },
}

/// A command-line usage error (sysexits.h).
const EX_USAGE: i32 = 64;

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version print and succeed; a usage error has its own code (64,
        // EX_USAGE) so monitoring never reads it as "unreachable" (2).
        Err(e) => {
            let _ = e.print();
            std::process::exit(if e.use_stderr() { EX_USAGE } else { 0 });
        }
    };
    let paths = Paths::from_env();
    let _log = init_logging(&paths);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    match cli.command {
        Some(Command::Bootstrap(cmd)) => {
            use labdeck::cli::bootstrap;
            let code = match cmd {
                BootstrapCommand::Unit { file } => {
                    let me = std::env::current_exe().unwrap_or_else(|_| "labdeck".into());
                    print!("{}", bootstrap::unit(&file, &me));
                    0
                }
                BootstrapCommand::Plan { file, json } => {
                    runtime.block_on(bootstrap::plan(&file, json, &paths.data_dir))
                }
                BootstrapCommand::Apply { file, yes } => {
                    let (settings, _) =
                        settings::Settings::load(&paths.config_dir, &registry::tables());
                    let env_ro = std::env::var("LABDECK_READ_ONLY").ok();
                    let ro = settings::read_only(cli.read_only, env_ro.as_deref(), &settings);
                    let mode = if ro {
                        AccessMode::ReadOnly
                    } else {
                        AccessMode::ReadWrite
                    };
                    let writer = access::decide(mode);
                    runtime.block_on(bootstrap::apply(&file, yes, writer, &paths.data_dir))
                }
            };
            std::process::exit(code);
        }
        Some(Command::Stack(cmd)) => {
            use labdeck::cli::stack;
            let writer = || {
                let (settings, _) =
                    settings::Settings::load(&paths.config_dir, &registry::tables());
                let env_ro = std::env::var("LABDECK_READ_ONLY").ok();
                let ro = settings::read_only(cli.read_only, env_ro.as_deref(), &settings);
                access::decide(if ro {
                    AccessMode::ReadOnly
                } else {
                    AccessMode::ReadWrite
                })
            };
            let code = match cmd {
                StackCommand::Deploy {
                    compose,
                    prune,
                    name,
                } => runtime.block_on(stack::deploy(&compose, &name, prune, writer())),
                StackCommand::Diff {
                    compose,
                    prune,
                    name,
                } => runtime.block_on(stack::diff(&compose, &name, prune)),
                StackCommand::Rm { name } => runtime.block_on(stack::rm(&name, writer())),
            };
            std::process::exit(code);
        }
        Some(Command::Status { json }) => {
            let (settings, _) = settings::Settings::load(&paths.config_dir, &registry::tables());
            let report = runtime.block_on(status::collect(&settings));
            std::process::exit(status::print(&report, json));
        }
        None => {
            let (settings, mut warnings) =
                settings::Settings::load(&paths.config_dir, &registry::tables());
            let env_ro = std::env::var("LABDECK_READ_ONLY").ok();
            let ro_reason = settings::read_only_reason(cli.read_only, env_ro.as_deref(), &settings);
            let mode = if ro_reason.is_some() {
                AccessMode::ReadOnly
            } else {
                AccessMode::ReadWrite
            };
            let var = |k: &str| std::env::var(k).ok();
            let no_color = var("NO_COLOR").is_some_and(|v| !v.is_empty());
            let wanted = cli.theme.or(settings.theme.clone());
            let (theme_name, depth) = theme::choose(
                wanted.as_deref(),
                var("TERM").as_deref(),
                var("COLORTERM").as_deref(),
                no_color,
            );
            let (spec, w) = theme::load(&paths.config_dir, &theme_name);
            warnings.extend(w);
            let keymap_name = cli.keymap.unwrap_or(settings.keymap.clone());
            let panes = registry::panes(&settings);
            warnings.extend(panes.iter().flat_map(|p| p.warnings()));
            let (keys, w) = keymap::load(&paths.config_dir, &keymap_name, &registry::vocab(&panes));
            warnings.extend(w);
            for w in &warnings {
                tracing::warn!(warning = %w, "config");
            }
            let rt = Runtime {
                writer: access::decide(mode),
                theme: Theme::resolve(&spec, depth),
                draw: labdeck::ui::draw,
            };
            let mut state = State::new(mode, keys, warnings, panes, registry::FIRST);
            if let Some(why) = ro_reason {
                state.shell.read_only_reason = why;
            }
            runtime.block_on(run(rt, state))?;
            // `run` waited for the plans' steps under way; watchers may be mid-request:
            // don't wait for them on the way out.
            runtime.shutdown_timeout(std::time::Duration::from_millis(100));
        }
    }
    Ok(())
}

/// Logs go to `<data dir>/labdeck.log`, never to the screen. `LABDECK_LOG` sets the filter.
fn init_logging(paths: &Paths) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    std::fs::create_dir_all(&paths.data_dir).ok()?;
    let file = tracing_appender::rolling::never(&paths.data_dir, "labdeck.log");
    // The default queue preallocates 128,000 lines (4 MB, a tenth of the whole app);
    // a few thousand carry any burst labdeck logs, and beyond them lines are dropped,
    // never the UI slowed.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(4096)
        .lossy(true)
        .finish(file);
    let filter = tracing_subscriber::EnvFilter::try_from_env("LABDECK_LOG")
        .unwrap_or_else(|_| "labdeck=info".into());
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .init();
    Some(guard)
}
