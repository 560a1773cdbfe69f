use super::*;

fn fixture<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = format!(
        "{}/tests/fixtures/docker-1.41/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn services_from_engine_1_41() {
    let raw: Vec<api::Service> = fixture("services");
    let mut services: Vec<Service> = raw.iter().map(service).collect();
    services.sort_by(|a, b| a.name.cmp(&b.name));
    let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["fx_broken", "fx_web"]);
    let web = &services[1];
    assert_eq!(web.stack.as_ref().map(SafeText::as_str), Some("fx"));
    assert_eq!(web.mode, ServiceMode::Replicated(2));
    assert_eq!(web.image.as_str(), "local/busybox:1");
    assert_eq!(web.ports.len(), 1);
    assert_eq!((web.ports[0].published, web.ports[0].target), (18080, 8080));
    assert_eq!(web.ports[0].protocol.as_str(), "tcp");
    assert_eq!(web.secret_ids.len(), 1);
    assert!(web.version > 0);
    assert!(web.created.is_some());
}

#[test]
fn tasks_carry_failures_and_exit_codes() {
    let raw: Vec<api::Task> = fixture("tasks");
    let tasks: Vec<Task> = raw.iter().map(task).collect();
    let failed: Vec<&Task> = tasks
        .iter()
        .filter(|t| t.state.as_str() == "failed")
        .collect();
    assert!(!failed.is_empty());
    for t in &failed {
        assert_eq!(
            t.error.as_ref().map(SafeText::as_str),
            Some("task: non-zero exit (3)")
        );
        assert_eq!(t.exit_code, Some(3));
        assert_eq!(t.desired_state.as_str(), "shutdown");
        assert!(t.is_failing());
    }
    assert!(
        tasks
            .iter()
            .all(|t| t.slot.is_some() && t.node_id.is_some() && t.timestamp.is_some())
    );
}

#[test]
fn nodes_networks_secrets_and_containers() {
    let nodes: Vec<api::Node> = fixture("nodes");
    let n = node(&nodes[0]);
    assert_eq!(n.role.as_str(), "manager");
    assert_eq!(n.state.as_str(), "ready");
    assert_eq!(n.availability.as_str(), "active");
    assert!(n.leader);
    assert!(n.engine_version.as_str().starts_with("20.10"));

    let nets: Vec<Network> = fixture::<Vec<api::Network>>("networks")
        .iter()
        .map(network)
        .collect();
    let ingress = nets.iter().find(|n| n.ingress).expect("ingress network");
    assert_eq!(ingress.driver.as_str(), "overlay");
    assert_eq!(ingress.scope.as_str(), "swarm");
    assert!(!ingress.subnets.is_empty());
    let fx = nets
        .iter()
        .find(|n| n.name.as_str() == "fx_default")
        .expect("stack network");
    assert_eq!(fx.stack.as_ref().map(SafeText::as_str), Some("fx"));

    let secrets: Vec<api::Secret> = fixture("secrets");
    let s = secret(&secrets[0]);
    assert_eq!(s.name.as_str(), "fx_fx_token");
    assert!(s.created.is_some());

    let containers: Vec<api::ContainerSummary> = fixture("containers_json");
    let now = crate::core::time::Timestamp(1_700_000_000);
    let c: Vec<Container> = containers.iter().map(|x| container(x, now)).collect();
    // Statuses split around their durations, so they keep counting on screen.
    assert!(c.iter().any(|c| c.status.as_str() == "Up "
        && c.status_after.as_str() == " (health: starting)"
        && c.status_since == Some(crate::core::time::Timestamp(now.0 - 11))));
    assert!(
        c.iter()
            .any(|c| c.status.as_str() == "Created" && c.status_since.is_none())
    );
    assert!(c.iter().all(|c| !c.name.as_str().starts_with('/')));
    assert!(c.iter().any(|c| c.image.as_str() == "local/busybox:1"));
}

#[test]
fn hostile_names_are_cleaned_at_the_door() {
    let raw = r#"{"ID":"x","Spec":{"Name":"evil\u001b]52;c;aGFjaw==\u0007svc","Labels":{"com.docker.stack.namespace":"st\u001b[2Jack"}}}"#;
    let s: api::Service = serde_json::from_str(raw).unwrap();
    let s = service(&s);
    assert_eq!(s.name.as_str(), "evil␛svc");
    assert_eq!(s.stack.unwrap().as_str(), "st␛ack");
}

/// Objects with nothing in them convert to what the engine's own defaults mean, never
/// to made-up values.
#[test]
fn empty_objects_convert_to_the_engine_s_defaults() {
    let s = service(&api::Service::default());
    assert_eq!(
        s.mode,
        ServiceMode::Replicated(1),
        "the engine's default mode"
    );
    assert_eq!(
        (s.name.as_str(), s.stack.as_ref(), s.version),
        ("", None, 0)
    );
    assert!(s.ports.is_empty() && s.secret_ids.is_empty() && !s.has_previous_spec);
    let t = task(&api::Task::default());
    assert_eq!((t.slot, t.node_id, t.exit_code), (None, None, None));
    assert!(t.error.is_none());
    let n = node(&api::Node::default());
    assert!(!n.leader && n.reachability.is_none());
    assert_eq!((n.cpus, n.memory), (0, 0));
    let net = network(&api::Network::default());
    assert!(!net.attachable && !net.internal && !net.ingress && net.subnets.is_empty());
    assert_eq!(secret(&api::Secret::default()).name.as_str(), "");
    assert_eq!(config(&api::Config::default()).name.as_str(), "");
    let c = container(
        &api::ContainerSummary::default(),
        crate::core::time::Timestamp(0),
    );
    assert_eq!(
        (c.name.as_str(), c.project.as_ref(), c.created),
        ("", None, None)
    );
    assert_eq!((c.status.as_str(), c.status_since), ("", None));
}

#[test]
fn digests_are_dropped_from_images() {
    assert_eq!(image_without_digest("caddy:2@sha256:abc"), "caddy:2");
    assert_eq!(image_without_digest("caddy:2"), "caddy:2");
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    /// JSON values shaped loosely like engine objects: right keys, any values.
    fn engine_like() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            ".{0,12}".prop_map(serde_json::Value::from),
        ];
        let keys = prop_oneof![
            Just("ID"),
            Just("Spec"),
            Just("Name"),
            Just("Labels"),
            Just("Mode"),
            Just("Replicated"),
            Just("Replicas"),
            Just("Endpoint"),
            Just("Ports"),
            Just("PublishedPort"),
            Just("Status"),
            Just("Timestamp"),
            Just("Slot"),
            Just("TaskTemplate"),
            Just("ContainerSpec"),
            Just("Image"),
        ];
        leaf.prop_recursive(4, 32, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::btree_map(keys.clone(), inner, 0..6).prop_map(|m| {
                    serde_json::Value::Object(
                        m.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
                    )
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn odd_engine_json_never_panics(v in engine_like()) {
            // Deserialising may fail (an error, shown as such); converting what did
            // deserialise must not panic whatever the values.
            // What comes out is clean and says no more than came in.
            let clean = |t: &SafeText| !t.as_str().chars().any(char::is_control);
            if let Ok(s) = serde_json::from_value::<api::Service>(v.clone()) {
                let s = service(&s);
                prop_assert!(clean(&s.name) && clean(&s.image));
                prop_assert!(!s.image.as_str().contains('@'), "digests are dropped");
            }
            if let Ok(raw) = serde_json::from_value::<api::Task>(v.clone()) {
                let t = task(&raw);
                prop_assert!(clean(&t.state) && clean(&t.message));
                prop_assert_eq!(t.slot.is_some(), raw.slot.is_some_and(|s| s >= 0));
            }
            if let Ok(n) = serde_json::from_value::<api::Node>(v.clone()) {
                prop_assert!(clean(&node(&n).hostname));
            }
            if let Ok(c) = serde_json::from_value::<api::ContainerSummary>(v) {
                let c = container(&c, crate::core::time::Timestamp(0));
                prop_assert!(clean(&c.name) && clean(&c.status) && clean(&c.status_after));
            }
        }
    }
}

#[test]
fn a_container_s_host_folders_are_its_binds_and_volumes_not_its_tmpfs() {
    let raw = r#"{"Id":"c1","Names":["/media-sonarr-1"],"Mounts":[
        {"Type":"bind","Source":"/mnt/tank/media","Destination":"/tv","Mode":"","RW":true,"Propagation":"rprivate"},
        {"Type":"volume","Name":"config","Source":"/mnt/.ix-apps/docker/volumes/config/_data","Destination":"/config","Driver":"local","Mode":"z","RW":true,"Propagation":""},
        {"Type":"tmpfs","Source":"","Destination":"/tmp","Mode":"","RW":true,"Propagation":""}]}"#;
    let c: api::ContainerSummary = serde_json::from_str(raw).unwrap();
    let c = container(&c, crate::core::time::Timestamp(0));
    let paths: Vec<&str> = c.host_paths.iter().map(|p| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/mnt/tank/media",
            "/mnt/.ix-apps/docker/volumes/config/_data"
        ]
    );
}

#[test]
fn a_service_s_host_folders_are_its_binds_and_its_local_volumes_bound_to_a_folder() {
    let raw = r#"{"ID":"s1","Spec":{"Name":"media_sonarr","TaskTemplate":{"ContainerSpec":{"Image":"x","Mounts":[
        {"Type":"bind","Source":"/mnt/tank/media/tv","Target":"/tv"},
        {"Type":"volume","Source":"config","Target":"/config","VolumeOptions":{"DriverConfig":{"Name":"local",
            "Options":{"type":"none","o":"bind","device":"/mnt/tank/apps/sonarr"}}}},
        {"Type":"volume","Source":"cache","Target":"/cache"},
        {"Type":"volume","Source":"nfs","Target":"/nfs","VolumeOptions":{"DriverConfig":{"Name":"local",
            "Options":{"type":"nfs","o":"addr=10.0.0.5","device":":/export/media"}}}},
        {"Type":"tmpfs","Target":"/tmp"}]}}}}"#;
    let s: api::Service = serde_json::from_str(raw).unwrap();
    let s = service(&s);
    let paths: Vec<&str> = s.host_paths.iter().map(|p| p.as_str()).collect();
    assert_eq!(
        paths,
        ["/mnt/tank/media/tv", "/mnt/tank/apps/sonarr"],
        "a plain named volume and an NFS volume are not host folders"
    );
}
