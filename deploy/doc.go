// Package deploy holds finpro-bff's Kubernetes manifests (a kustomization of a
// Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget and
// ConfigMap, plus an example Secret and an optional NetworkPolicy). It has no
// Go code: its tests parse the manifests and check them against the
// service's configuration and health routes. docs/operations.md explains how
// to run them.
package deploy
