//! What the cluster lets these credentials change, asked of the API server itself
//! (SelfSubjectAccessReview) once connected. The pane offers only the writes the
//! server would allow, and says why not; in read-only mode it says whether the
//! server, not just labdeck, keeps the cluster unchanged.

use super::kinds::Kind;
use crate::core::text::SafeText;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use kube::Client;
use kube::api::{Api, PostParams};
use std::collections::BTreeMap;

/// One permission a write needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Perm {
    ScaleDeployments,
    ScaleStatefulSets,
    PatchDeployments,
    PatchStatefulSets,
    PatchDaemonSets,
    DeletePods,
    EvictPods,
    PatchNodes,
    PatchHelmReleases,
    PatchKustomizations,
    ExecPods,
    ForwardPods,
}

impl Perm {
    pub const ALL: [Perm; 12] = [
        Perm::ScaleDeployments,
        Perm::ScaleStatefulSets,
        Perm::PatchDeployments,
        Perm::PatchStatefulSets,
        Perm::PatchDaemonSets,
        Perm::DeletePods,
        Perm::EvictPods,
        Perm::PatchNodes,
        Perm::PatchHelmReleases,
        Perm::PatchKustomizations,
        Perm::ExecPods,
        Perm::ForwardPods,
    ];

    /// (verb, group, resource, subresource) as RBAC names them.
    pub fn attributes(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Perm::ScaleDeployments => ("patch", "apps", "deployments", "scale"),
            Perm::ScaleStatefulSets => ("patch", "apps", "statefulsets", "scale"),
            Perm::PatchDeployments => ("patch", "apps", "deployments", ""),
            Perm::PatchStatefulSets => ("patch", "apps", "statefulsets", ""),
            Perm::PatchDaemonSets => ("patch", "apps", "daemonsets", ""),
            Perm::DeletePods => ("delete", "", "pods", ""),
            Perm::EvictPods => ("create", "", "pods", "eviction"),
            Perm::PatchNodes => ("patch", "", "nodes", ""),
            Perm::PatchHelmReleases => ("patch", "helm.toolkit.fluxcd.io", "helmreleases", ""),
            Perm::PatchKustomizations => {
                ("patch", "kustomize.toolkit.fluxcd.io", "kustomizations", "")
            }
            Perm::ExecPods => ("create", "", "pods", "exec"),
            Perm::ForwardPods => ("create", "", "pods", "portforward"),
        }
    }

    /// The custom kind it needs served, if any.
    fn needs(self) -> Option<Kind> {
        match self {
            Perm::PatchHelmReleases => Some(Kind::HelmReleases),
            Perm::PatchKustomizations => Some(Kind::Kustomizations),
            _ => None,
        }
    }

    /// `patch deployments/scale`: what the user is told they may not do.
    pub fn words(self) -> String {
        let (verb, _, res, sub) = self.attributes();
        if sub.is_empty() {
            format!("{verb} {res}")
        } else {
            format!("{verb} {res}/{sub}")
        }
    }
}

/// The server's answer to one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub allowed: bool,
    /// Why, in the server's words when it gives them (RBAC's reason), else ours.
    pub reason: SafeText,
}

/// The answers, per permission and namespace (`""`: every namespace).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Perms {
    pub answers: BTreeMap<(Perm, String), Answer>,
}

impl Perms {
    /// The answer for `perm` in namespace `ns`: the namespace's own when asked, else the
    /// cluster-wide one. `None`: not asked (a Flux kind the cluster does not serve).
    pub fn get(&self, perm: Perm, ns: &str) -> Option<&Answer> {
        self.answers
            .get(&(perm, ns.to_string()))
            .or_else(|| self.answers.get(&(perm, String::new())))
    }

    /// Why `perm` is denied in `ns`, if the server said it is.
    pub fn denied(&self, perm: Perm, ns: &str) -> Option<String> {
        self.get(perm, ns)
            .filter(|a| !a.allowed)
            .map(|a| a.reason.to_string())
    }

    /// Every answer is a no: the server itself keeps this cluster unchanged.
    pub fn denies_every_write(&self) -> bool {
        !self.answers.is_empty() && self.answers.values().all(|a| !a.allowed)
    }
}

/// Ask the server about every permission the writes need, cluster-wide and in each
/// of `namespaces`; the Flux ones only when `served` has their kind.
pub async fn review(client: &Client, namespaces: &[String], served: &[Kind]) -> Perms {
    let api: Api<SelfSubjectAccessReview> = Api::all(client.clone());
    let mut scopes = vec![String::new()];
    scopes.extend(namespaces.iter().cloned());
    let mut perms = Perms::default();
    for perm in Perm::ALL {
        if perm.needs().is_some_and(|k| !served.contains(&k)) {
            continue;
        }
        for ns in &scopes {
            // Nodes are cluster-scoped: one question does.
            if perm == Perm::PatchNodes && !ns.is_empty() {
                continue;
            }
            if let Some(a) = ask(&api, perm, ns).await {
                perms.answers.insert((perm, ns.clone()), a);
            }
        }
    }
    perms
}

/// One SelfSubjectAccessReview; `None` when the server did not answer it.
async fn ask(api: &Api<SelfSubjectAccessReview>, perm: Perm, ns: &str) -> Option<Answer> {
    let (verb, group, resource, sub) = perm.attributes();
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let review = SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                verb: Some(verb.into()),
                group: Some(group.into()),
                resource: Some(resource.into()),
                subresource: opt(sub),
                namespace: opt(ns),
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    let answered = api.create(&PostParams::default(), &review).await;
    let status = match answered {
        Ok(r) => r.status?,
        Err(e) => {
            tracing::debug!(error = %e, perm = ?perm, "access review failed");
            return None;
        }
    };
    let server = status
        .reason
        .filter(|r| !r.is_empty())
        .or(status.evaluation_error.filter(|r| !r.is_empty()));
    let scope = if ns.is_empty() {
        String::new()
    } else {
        format!(" in namespace {ns}")
    };
    let reason = match (status.allowed, server) {
        (_, Some(r)) => r,
        (true, None) => format!("may {}{scope}", perm.words()),
        (false, None) => format!(
            "RBAC does not let these credentials {}{scope}",
            perm.words()
        ),
    };
    Some(Answer {
        allowed: status.allowed,
        reason: SafeText::new(&reason),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(allowed: bool, reason: &str) -> Answer {
        Answer {
            allowed,
            reason: SafeText::new(reason),
        }
    }

    #[test]
    fn a_namespace_answer_wins_over_the_cluster_wide_one() {
        let mut p = Perms::default();
        p.answers
            .insert((Perm::DeletePods, String::new()), answer(false, "no"));
        p.answers
            .insert((Perm::DeletePods, "media".into()), answer(true, "yes"));
        assert_eq!(p.denied(Perm::DeletePods, "media"), None);
        assert_eq!(p.denied(Perm::DeletePods, "other").as_deref(), Some("no"));
        assert_eq!(
            p.denied(Perm::PatchNodes, ""),
            None,
            "not asked: not denied"
        );
        assert!(!p.denies_every_write());
        p.answers
            .insert((Perm::DeletePods, "media".into()), answer(false, "no"));
        assert!(p.denies_every_write());
        assert!(!Perms::default().denies_every_write(), "nothing known");
    }
}
