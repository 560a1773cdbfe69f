//! A Kubernetes API server for labdeck's tests and benchmarks.
