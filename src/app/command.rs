//! The `:` command line: pane names, the panes' own words (their views), and every
//! action by name.

use super::logs::LogVerb;
use super::state::State;
use crate::core::action::{ALL, Action, Verb};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Show pane `index`.
    Pane(usize),
    /// Show pane `index` and run its word.
    Word(usize, &'static str),
    Action(Action),
    /// Open the wizard of this word in the modal slot.
    Wizard(&'static str),
}

/// Every word the command line knows, in completion order: `q`, the panes, their
/// views, the shell's actions, then the shown pane's verbs and the log viewer's.
pub fn words(state: &State) -> Vec<&'static str> {
    let mut w: Vec<&'static str> = vec!["q"];
    w.extend(state.panes.iter().map(|p| p.id()));
    for p in &state.panes {
        w.extend(p.words());
    }
    w.extend(ALL.iter().map(|i| i.name));
    w.extend(super::wizard::WORDS.iter().map(|(w, _)| *w));
    w.extend(state.panes.iter().map(|p| p.tab().name));
    w.extend(verbs_here(state).map(|v| v.name));
    w
}

/// The verbs `:` can run here: the shown pane's and the log viewer's.
fn verbs_here(state: &State) -> impl Iterator<Item = &'static Verb> {
    state.pane().verbs().iter().chain(LogVerb::all())
}

/// An action by name, as `:` runs it here.
fn action_named(state: &State, word: &str) -> Option<Action> {
    Action::shell(word)
        .or_else(|| {
            state
                .panes
                .iter()
                .map(|p| p.tab())
                .find(|t| t.name == word)
                .map(Action::Jump)
        })
        .or_else(|| verbs_here(state).find(|v| v.name == word).map(Action::Verb))
}

/// The panes, the shown one first, then the rest in tab order.
fn shown_first(state: &State) -> impl Iterator<Item = &dyn super::pane::Pane> {
    shown_first_indexed(state).map(|(_, p)| p)
}

fn shown_first_indexed(state: &State) -> impl Iterator<Item = (usize, &dyn super::pane::Pane)> {
    let shown = state.active;
    std::iter::once((shown, state.pane())).chain(
        state
            .panes
            .iter()
            .enumerate()
            .filter(move |(i, _)| *i != shown)
            .map(|(i, p)| (i, p.as_ref())),
    )
}

/// A command line: its word (an alias resolved) and what follows it (`:scale 3`).
pub fn split(state: &State, line: &str) -> (String, Option<String>) {
    let line = line.trim();
    let (word, arg) = match line.split_once(char::is_whitespace) {
        Some((w, a)) => (w, Some(a.trim().to_string()).filter(|a| !a.is_empty())),
        None => (line, None),
    };
    // The shown pane's own words first (`:svc` in the Kubernetes pane is its services),
    // then each pane's in tab order.
    let word = shown_first(state)
        .flat_map(|p| p.aliases().iter())
        .find(|(alias, _)| *alias == word)
        .map_or(word, |(_, full)| *full);
    (word.to_string(), arg)
}

pub fn parse(state: &State, line: &str) -> Result<Command, String> {
    let (word, _) = split(state, line);
    let word = word.as_str();
    if word == "q" || word == "q!" {
        return Ok(Command::Action(Action::Quit));
    }
    if let Some(i) = state.index_of(word) {
        return Ok(Command::Pane(i));
    }
    for (i, p) in shown_first_indexed(state) {
        if let Some(w) = p.words().into_iter().find(|w| *w == word) {
            return Ok(Command::Word(i, w));
        }
    }
    if let Some((w, _)) = super::wizard::WORDS.iter().find(|(w, _)| *w == word) {
        return Ok(Command::Wizard(w));
    }
    if let Some(a) = action_named(state, word) {
        return Ok(Command::Action(a));
    }
    Err(match nearest(state, word) {
        Some(c) => format!("unknown command :{word} (did you mean :{c}?)"),
        None => format!("unknown command :{word} (try :help)"),
    })
}

/// What a mistyped word most likely meant: the first word it begins, else the word a
/// couple of typos away (`servcies`, `scael`), else nothing.
fn nearest(state: &State, word: &str) -> Option<&'static str> {
    if let Some(c) = completions(state, word).first() {
        return Some(c);
    }
    let most = (word.chars().count() / 3).clamp(1, 2);
    words(state)
        .into_iter()
        .map(|w| (strsim::damerau_levenshtein(word, w), w))
        .filter(|(d, _)| *d <= most)
        .min_by_key(|(d, _)| *d)
        .map(|(_, w)| w)
}

pub fn completions(state: &State, prefix: &str) -> Vec<&'static str> {
    let p = prefix.trim();
    let mut v: Vec<&'static str> = words(state)
        .into_iter()
        .filter(|w| w.starts_with(p))
        .collect();
    v.dedup();
    v
}

/// Complete to the longest prefix shared by every candidate.
pub fn complete(state: &State, prefix: &str) -> String {
    let c = completions(state, prefix);
    let Some(first) = c.first() else {
        return prefix.to_string();
    };
    let mut common = first.to_string();
    for w in &c[1..] {
        while !w.starts_with(&common) {
            common.pop();
        }
    }
    if common.len() < prefix.trim().len() {
        prefix.to_string()
    } else {
        common
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::update::tests::state;
    use crate::core::access::AccessMode;

    #[test]
    fn parses_panes_pane_words_and_actions() {
        let s = state(AccessMode::ReadWrite);
        let swarm = s.index_of("swarm").unwrap();
        assert_eq!(parse(&s, "swarm"), Ok(Command::Pane(swarm)));
        assert_eq!(parse(&s, " stacks "), Ok(Command::Word(swarm, "stacks")));
        assert_eq!(parse(&s, "q"), Ok(Command::Action(Action::Quit)));
        assert_eq!(
            parse(&s, "scale"),
            Ok(Command::Action(
                crate::app::swarm::verbs::SwarmVerb::Scale.act()
            ))
        );
        assert_eq!(
            parse(&s, "zfs"),
            Ok(Command::Pane(s.index_of("zfs").unwrap()))
        );
    }

    #[test]
    fn unknown_commands_suggest_a_completion() {
        let s = state(AccessMode::ReadWrite);
        assert_eq!(
            parse(&s, "sec"),
            Err("unknown command :sec (did you mean :secrets?)".into())
        );
        assert!(parse(&s, "zzz").unwrap_err().contains("try :help"));
        // Typos, not only beginnings.
        for (typed, meant) in [
            ("servcies", "services"),
            ("scael", "scale"),
            ("stakcs", "stacks"),
        ] {
            assert_eq!(
                parse(&s, typed),
                Err(format!("unknown command :{typed} (did you mean :{meant}?)"))
            );
        }
        assert!(
            parse(&s, "xyzzy").unwrap_err().contains("try :help"),
            "too far from any"
        );
    }

    #[test]
    fn completion_extends_to_the_common_prefix() {
        let s = state(AccessMode::ReadWrite);
        assert_eq!(complete(&s, "sw"), "swarm");
        assert_eq!(complete(&s, "swarm-"), "swarm-nodes");
        assert_eq!(complete(&s, "sec"), "secrets");
        assert_eq!(complete(&s, "s"), "s");
        assert!(completions(&s, "s").contains(&"stacks"));
        assert!(completions(&s, "s").contains(&"scale"));
    }
}
