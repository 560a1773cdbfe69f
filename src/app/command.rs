//! The `:` command line: pane and view names, and every action by name.

use super::action::{ALL, Action};
use super::swarm::view::SwarmView;
use super::tab::Tab;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Tab(Tab),
    View(SwarmView),
    Action(Action),
}

/// Every word the command line knows, in completion order.
pub fn words() -> Vec<&'static str> {
    let mut w: Vec<&'static str> = vec!["q"];
    w.extend(Tab::ALL.iter().map(|t| t.command()));
    w.extend(
        SwarmView::WITH_COMMANDS
            .iter()
            .filter_map(SwarmView::command),
    );
    w.extend(ALL.iter().map(|i| i.name));
    w
}

pub fn parse(line: &str) -> Result<Command, String> {
    let word = line.trim();
    if word == "q" || word == "q!" {
        return Ok(Command::Action(Action::Quit));
    }
    if let Some(t) = Tab::ALL.iter().find(|t| t.command() == word) {
        return Ok(Command::Tab(*t));
    }
    if let Some(v) = SwarmView::from_command(word) {
        return Ok(Command::View(v));
    }
    if let Some(a) = Action::from_name(word) {
        return Ok(Command::Action(a));
    }
    let candidates = completions(word);
    Err(match candidates.first() {
        Some(c) => format!("unknown command :{word} (did you mean :{c}?)"),
        None => format!("unknown command :{word} (try :help)"),
    })
}

pub fn completions(prefix: &str) -> Vec<&'static str> {
    let p = prefix.trim();
    let mut v: Vec<&'static str> = words().into_iter().filter(|w| w.starts_with(p)).collect();
    v.dedup();
    v
}

/// Complete to the longest prefix shared by every candidate.
pub fn complete(prefix: &str) -> String {
    let c = completions(prefix);
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

    #[test]
    fn parses_tabs_views_and_actions() {
        assert_eq!(parse("swarm"), Ok(Command::Tab(Tab::Swarm)));
        assert_eq!(parse(" stacks "), Ok(Command::View(SwarmView::Stacks)));
        assert_eq!(parse("q"), Ok(Command::Action(Action::Quit)));
        assert_eq!(parse("scale"), Ok(Command::Action(Action::Scale)));
        assert_eq!(parse("swarm-nodes"), Ok(Command::View(SwarmView::Nodes)));
    }

    #[test]
    fn unknown_commands_suggest_a_completion() {
        assert_eq!(
            parse("sec"),
            Err("unknown command :sec (did you mean :secrets?)".into())
        );
        assert!(parse("zzz").unwrap_err().contains("try :help"));
    }

    #[test]
    fn completion_extends_to_the_common_prefix() {
        assert_eq!(complete("sw"), "swarm");
        assert_eq!(complete("swarm-"), "swarm-nodes");
        assert_eq!(complete("sec"), "secrets");
        assert_eq!(complete("s"), "s");
        assert!(completions("s").contains(&"stacks"));
        assert!(completions("s").contains(&"scale"));
    }
}
