//! The Kubernetes pane's own verbs: what its keys and `:` words may name.

use crate::core::action::Verb;

crate::verbs! {
    /// The Kubernetes pane's verbs.
    pub enum KubeVerb {
        Namespace = "namespace", "Show only some namespaces", false;
        Events = "object-events", "Events of the selected object", false;
        Logs = "logs", "Logs (a workload's pods merged)", false;
        Previous = "logs-previous", "Logs of the container's previous run", false;
        Describe = "describe", "The object's YAML and its events", false;
        Yaml = "yaml", "The object's YAML", false;
        Scale = "scale", "Scale deployment / statefulset", true;
        Restart = "restart", "Rollout restart", true;
        DeletePod = "delete-pod", "Delete pod", true;
        Cordon = "cordon", "Cordon node", true;
        Uncordon = "uncordon", "Uncordon node", true;
        Drain = "drain", "Drain node (evict its pods)", true;
        Suspend = "suspend", "Suspend Flux reconciliation", true;
        Resume = "resume", "Resume Flux reconciliation", true;
        Reconcile = "reconcile", "Reconcile now (Flux)", true;
        Exec = "exec", "Shell in the pod's container", true;
        PortForward = "port-forward", "Forward a port to 127.0.0.1", true;
        StopForward = "stop-forward", "Stop the port-forward", false;
    }
}

/// The pane's tab: `tab-kube` shows it.
pub static TAB: Verb = Verb {
    name: "tab-kube",
    desc: "Kubernetes pane",
    writes: false,
};
