//! The writes of a stack deploy, as the Engine API takes them: networks, secrets and
//! configs made, services created or updated from raw spec JSON, services removed.
//! Each is a method of the `SwarmWriter`, so each needs the `Writer`.

use super::stack_state::LiveService;
use super::transport::{self, RawResponse};
use super::writer::SwarmWriter;
use serde_json::{Value, json};
use std::collections::BTreeMap;

impl SwarmWriter {
    /// Make a network from the Engine's create body.
    pub async fn create_network_raw(&self, body: &Value) -> Result<String, String> {
        self.post("networks/create", body).await.map(|r| id_of(&r))
    }

    /// Make a secret or a config (`kind`: `secrets` or `configs`).
    pub async fn create_object_raw(
        &self,
        kind: &str,
        name: &str,
        data: &[u8],
        labels: &BTreeMap<String, String>,
    ) -> Result<String, String> {
        use base64::Engine;
        let data = base64::engine::general_purpose::STANDARD.encode(data);
        let body = json!({"Name": name, "Labels": labels, "Data": data});
        self.post(&format!("{kind}/create"), &body)
            .await
            .map(|r| id_of(&r))
    }

    /// Remove a secret or config by ID.
    pub async fn remove_object(&self, kind: &str, id: &str) -> Result<(), String> {
        let path = format!("{}/{kind}/{id}", self.api);
        let r = self
            .transport
            .send(&self.writer, "DELETE", &path, None)
            .await?;
        ok(&r).map(|_| ())
    }

    /// Create a service, or update `live` to `spec` (its `ForceUpdate` kept, as the CLI
    /// keeps it, so an unchanged spec restarts nothing).
    pub async fn put_service(
        &self,
        spec: &Value,
        live: Option<&LiveService>,
    ) -> Result<String, String> {
        match live {
            None => self.post("services/create", spec).await.map(|r| id_of(&r)),
            Some(l) => {
                let mut spec = spec.clone();
                spec["TaskTemplate"]["ForceUpdate"] = l.spec["TaskTemplate"]["ForceUpdate"].clone();
                let path = format!("services/{}/update?version={}", l.id, l.version);
                self.post(&path, &spec).await.map(|_| l.id.clone())
            }
        }
    }

    /// Roll a service back to its previous spec.
    pub async fn roll_back_service(&self, live: &LiveService) -> Result<(), String> {
        let path = format!(
            "services/{}/update?version={}&rollback=previous",
            live.id, live.version
        );
        self.post(&path, &live.spec).await.map(|_| ())
    }

    pub async fn remove_service(&self, id: &str) -> Result<(), String> {
        let path = format!("{}/services/{id}", self.api);
        let r = self
            .transport
            .send(&self.writer, "DELETE", &path, None)
            .await?;
        ok(&r).map(|_| ())
    }

    async fn post(&self, what: &str, body: &Value) -> Result<RawResponse, String> {
        let path = format!("{}/{what}", self.api);
        let body = serde_json::to_vec(body).map_err(|e| e.to_string())?;
        let r = self
            .transport
            .send(&self.writer, "POST", &path, Some(&body))
            .await?;
        ok(&r)?;
        Ok(r)
    }
}

fn ok(r: &RawResponse) -> Result<&RawResponse, String> {
    if (200..300).contains(&r.status) {
        Ok(r)
    } else {
        Err(format!(
            "engine said {}: {}",
            r.status,
            transport::error_message(r)
        ))
    }
}

fn id_of(r: &RawResponse) -> String {
    serde_json::from_slice::<Value>(&r.body)
        .ok()
        .and_then(|v| {
            v.get("ID")
                .or_else(|| v.get("Id"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_default()
}
