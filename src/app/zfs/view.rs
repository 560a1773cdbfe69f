//! Which ZFS list is on screen.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZfsView {
    Pools,
    /// One pool's vdev tree.
    Vdevs {
        pool: String,
    },
    Datasets,
    /// The snapshots of one dataset, or of all (`None`).
    Snapshots {
        dataset: Option<String>,
    },
    /// The ARC's figures, one per row.
    Arc,
}

impl ZfsView {
    pub const TOP: [ZfsView; 4] = [
        ZfsView::Pools,
        ZfsView::Datasets,
        ZfsView::Snapshots { dataset: None },
        ZfsView::Arc,
    ];

    pub fn label(&self) -> String {
        match self {
            ZfsView::Pools => "pools".into(),
            ZfsView::Vdevs { pool } => format!("{pool} (vdevs)"),
            ZfsView::Datasets => "datasets".into(),
            ZfsView::Snapshots { dataset: None } => "snapshots".into(),
            ZfsView::Snapshots { dataset: Some(d) } => format!("{d} (snapshots)"),
            ZfsView::Arc => "arc".into(),
        }
    }

    /// The `:` word that opens it at top level.
    pub fn command(&self) -> Option<&'static str> {
        Some(match self {
            ZfsView::Pools => "pools",
            ZfsView::Datasets => "datasets",
            ZfsView::Snapshots { dataset: None } => "snapshots",
            ZfsView::Arc => "arc",
            _ => return None,
        })
    }

    pub fn from_command(word: &str) -> Option<ZfsView> {
        ZfsView::TOP.into_iter().find(|v| v.command() == Some(word))
    }
}
