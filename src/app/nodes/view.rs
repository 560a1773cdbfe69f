//! Which list the Nodes pane shows.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodesView {
    /// Every machine, one row each.
    Hosts,
    /// What runs on one machine, and its links.
    Host { name: String },
    /// Which dataset holds each workload's data (`:storagemap`).
    Storage,
}

impl NodesView {
    pub fn label(&self) -> String {
        match self {
            NodesView::Hosts => "hosts".into(),
            NodesView::Host { name } => name.clone(),
            NodesView::Storage => "storage map".into(),
        }
    }
}
