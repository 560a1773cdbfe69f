//! Custom resources labdeck shows when a cluster serves them (Flux, KubeVirt,
//! k0smotron, MetalLB's pools, Multus's attachments), found through discovery. A cluster without them has no such views.

use super::kinds::Kind;
use super::model::FluxKind;
use kube::Client;
use kube::discovery::{ApiResource, Discovery};

/// The groups asked about: discovery reads only these.
const GROUPS: [&str; 7] = [
    "helm.toolkit.fluxcd.io",
    "kustomize.toolkit.fluxcd.io",
    "source.toolkit.fluxcd.io",
    "kubevirt.io",
    "k0smotron.io",
    "metallb.io",
    "k8s.cni.cncf.io",
];

/// A custom kind labdeck knows, by group and kind name.
pub fn known(group: &str, kind: &str) -> Option<Kind> {
    Some(match (group, kind) {
        ("helm.toolkit.fluxcd.io", "HelmRelease") => Kind::HelmReleases,
        ("kustomize.toolkit.fluxcd.io", "Kustomization") => Kind::Kustomizations,
        ("source.toolkit.fluxcd.io", "GitRepository") => Kind::GitRepositories,
        ("source.toolkit.fluxcd.io", "HelmRepository") => Kind::HelmRepositories,
        ("source.toolkit.fluxcd.io", "OCIRepository") => Kind::OciRepositories,
        ("kubevirt.io", "VirtualMachine") => Kind::VirtualMachines,
        ("kubevirt.io", "VirtualMachineInstance") => Kind::VirtualMachineInstances,
        ("k0smotron.io", "Cluster") => Kind::HostedClusters,
        ("metallb.io", "IPAddressPool") => Kind::AddressPools,
        ("k8s.cni.cncf.io", "NetworkAttachmentDefinition") => Kind::Attachments,
        _ => return None,
    })
}

pub fn flux_kind(kind: Kind) -> Option<FluxKind> {
    Some(match kind {
        Kind::HelmReleases => FluxKind::HelmRelease,
        Kind::Kustomizations => FluxKind::Kustomization,
        Kind::GitRepositories => FluxKind::GitRepository,
        Kind::HelmRepositories => FluxKind::HelmRepository,
        Kind::OciRepositories => FluxKind::OciRepository,
        _ => return None,
    })
}

/// The custom kinds the cluster serves, each at its preferred version.
pub async fn discover(client: Client) -> Result<Vec<(Kind, ApiResource)>, kube::Error> {
    let d = Discovery::new(client).filter(&GROUPS).run().await?;
    let mut found = Vec::new();
    for group in d.groups() {
        for (ar, _caps) in group.recommended_resources() {
            if let Some(kind) = known(&ar.group, &ar.kind) {
                found.push((kind, ar));
            }
        }
    }
    Ok(found)
}
