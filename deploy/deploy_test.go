package deploy_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
)

// manifest is the part of every Kubernetes object the tests read.
type manifest struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name   string            `yaml:"name"`
		Labels map[string]string `yaml:"labels"`
	} `yaml:"metadata"`
}

type kustomization struct {
	Resources []string `yaml:"resources"`
}

type probe struct {
	HTTPGet *struct {
		Path string `yaml:"path"`
		Port any    `yaml:"port"` // a name or a number
	} `yaml:"httpGet"`
}

type deployment struct {
	Spec struct {
		Replicas int `yaml:"replicas"`
		Selector struct {
			MatchLabels map[string]string `yaml:"matchLabels"`
		} `yaml:"selector"`
		Template struct {
			Metadata struct {
				Labels map[string]string `yaml:"labels"`
			} `yaml:"metadata"`
			Spec struct {
				TerminationGracePeriodSeconds int `yaml:"terminationGracePeriodSeconds"`
				SecurityContext               struct {
					RunAsNonRoot   bool `yaml:"runAsNonRoot"`
					RunAsUser      int  `yaml:"runAsUser"`
					SeccompProfile struct {
						Type string `yaml:"type"`
					} `yaml:"seccompProfile"`
				} `yaml:"securityContext"`
				Containers []struct {
					Name  string `yaml:"name"`
					Ports []struct {
						Name          string `yaml:"name"`
						ContainerPort int    `yaml:"containerPort"`
					} `yaml:"ports"`
					EnvFrom []struct {
						ConfigMapRef *struct {
							Name string `yaml:"name"`
						} `yaml:"configMapRef"`
					} `yaml:"envFrom"`
					Env []struct {
						Name      string `yaml:"name"`
						Value     string `yaml:"value"`
						ValueFrom *struct {
							SecretKeyRef *struct {
								Name     string `yaml:"name"`
								Key      string `yaml:"key"`
								Optional bool   `yaml:"optional"`
							} `yaml:"secretKeyRef"`
						} `yaml:"valueFrom"`
					} `yaml:"env"`
					StartupProbe   probe `yaml:"startupProbe"`
					ReadinessProbe probe `yaml:"readinessProbe"`
					LivenessProbe  probe `yaml:"livenessProbe"`
					Lifecycle      struct {
						PreStop struct {
							Sleep *struct {
								Seconds int `yaml:"seconds"`
							} `yaml:"sleep"`
						} `yaml:"preStop"`
					} `yaml:"lifecycle"`
					SecurityContext struct {
						AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
						ReadOnlyRootFilesystem   bool  `yaml:"readOnlyRootFilesystem"`
						Capabilities             struct {
							Drop []string `yaml:"drop"`
						} `yaml:"capabilities"`
					} `yaml:"securityContext"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type configMap struct {
	Data map[string]string `yaml:"data"`
}

type secret struct {
	Data       map[string]string `yaml:"data"`
	StringData map[string]string `yaml:"stringData"`
}

// manifestFiles lists the YAML files of this directory.
func manifestFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no *.yaml manifests in deploy/")
	}
	return files
}

// decode parses file into v, failing the test on any error.
func decode(t *testing.T, file string, v any) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
}

func TestManifestsParse(t *testing.T) {
	for _, f := range manifestFiles(t) {
		t.Run(f, func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), "\n---") {
				t.Errorf("%s holds more than one document; keep one object per file", f)
			}
			var m manifest
			decode(t, f, &m)
			if m.APIVersion == "" || m.Kind == "" {
				t.Errorf("%s: apiVersion = %q, kind = %q, want both set", f, m.APIVersion, m.Kind)
			}
			if m.Kind == "Kustomization" {
				return
			}
			if m.Metadata.Name != "finpro-bff" {
				t.Errorf("%s: metadata.name = %q, want finpro-bff", f, m.Metadata.Name)
			}
			if got := m.Metadata.Labels["app.kubernetes.io/name"]; got != "finpro-bff" {
				t.Errorf("%s: label app.kubernetes.io/name = %q, want finpro-bff", f, got)
			}
		})
	}
}

func TestKustomizationResources(t *testing.T) {
	var k kustomization
	decode(t, "kustomization.yaml", &k)
	notApplied := []string{"kustomization.yaml", "secret.example.yaml", "networkpolicy.yaml"}
	for _, r := range k.Resources {
		if _, err := os.Stat(r); err != nil {
			t.Errorf("kustomization.yaml lists %s: %v", r, err)
		}
		if slices.Contains(notApplied, r) {
			t.Errorf("kustomization.yaml lists %s, which must not be applied by default", r)
		}
	}
	for _, f := range manifestFiles(t) {
		if !slices.Contains(notApplied, f) && !slices.Contains(k.Resources, f) {
			t.Errorf("%s is not listed in kustomization.yaml's resources", f)
		}
	}
}

// readDeployment returns the Deployment's only container's spec and the pod spec.
func readDeployment(t *testing.T) deployment {
	t.Helper()
	var d deployment
	decode(t, "deployment.yaml", &d)
	if n := len(d.Spec.Template.Spec.Containers); n != 1 {
		t.Fatalf("deployment.yaml has %d containers, want 1", n)
	}
	return d
}

func TestDeploymentProbes(t *testing.T) {
	d := readDeployment(t)
	c := d.Spec.Template.Spec.Containers[0]
	var portName string
	for _, p := range c.Ports {
		if p.ContainerPort == 8080 {
			portName = p.Name
		}
	}
	if portName == "" {
		t.Fatalf("container ports = %+v, want 8080 (ADDR's port)", c.Ports)
	}
	for _, tt := range []struct {
		name     string
		probe    probe
		wantPath string
	}{
		{"startupProbe", c.StartupProbe, "/healthz"},
		{"livenessProbe", c.LivenessProbe, "/healthz"},
		{"readinessProbe", c.ReadinessProbe, "/readyz"},
	} {
		if tt.probe.HTTPGet == nil {
			t.Errorf("%s: no httpGet", tt.name)
			continue
		}
		if tt.probe.HTTPGet.Path != tt.wantPath {
			t.Errorf("%s path = %q, want %q", tt.name, tt.probe.HTTPGet.Path, tt.wantPath)
		}
		if port := strings.TrimSpace(toString(tt.probe.HTTPGet.Port)); port != portName && port != "8080" {
			t.Errorf("%s port = %q, want %q or 8080", tt.name, port, portName)
		}
	}

	var svc struct {
		Spec struct {
			Selector map[string]string `yaml:"selector"`
			Ports    []struct {
				Port       int `yaml:"port"`
				TargetPort any `yaml:"targetPort"`
			} `yaml:"ports"`
		} `yaml:"spec"`
	}
	decode(t, "service.yaml", &svc)
	if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].Port != 80 {
		t.Fatalf("service ports = %+v, want one port 80", svc.Spec.Ports)
	}
	if got := toString(svc.Spec.Ports[0].TargetPort); got != portName && got != "8080" {
		t.Errorf("service targetPort = %q, want %q or 8080", got, portName)
	}
	if !subset(svc.Spec.Selector, d.Spec.Template.Metadata.Labels) {
		t.Errorf("service selector %v does not select pod labels %v", svc.Spec.Selector, d.Spec.Template.Metadata.Labels)
	}
}

func TestDeploymentShutdownAndSecurity(t *testing.T) {
	d := readDeployment(t)
	pod := d.Spec.Template.Spec
	c := pod.Containers[0]
	if d.Spec.Replicas < 2 {
		t.Errorf("replicas = %d, want at least 2", d.Spec.Replicas)
	}
	if !subset(d.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels) {
		t.Errorf("selector %v does not match pod labels %v", d.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels)
	}

	var cm configMap
	decode(t, "configmap.yaml", &cm)
	shutdown, err := time.ParseDuration(cm.Data["SHUTDOWN_TIMEOUT"])
	if err != nil {
		t.Fatalf("configmap SHUTDOWN_TIMEOUT: %v", err)
	}
	if c.Lifecycle.PreStop.Sleep == nil || c.Lifecycle.PreStop.Sleep.Seconds <= 0 {
		t.Fatal("no preStop sleep: load balancers need time to stop sending traffic")
	}
	preStop := time.Duration(c.Lifecycle.PreStop.Sleep.Seconds) * time.Second
	grace := time.Duration(pod.TerminationGracePeriodSeconds) * time.Second
	if grace <= preStop+shutdown {
		t.Errorf("terminationGracePeriodSeconds = %v, want > preStop %v + SHUTDOWN_TIMEOUT %v", grace, preStop, shutdown)
	}

	if !pod.SecurityContext.RunAsNonRoot || pod.SecurityContext.RunAsUser != 65532 {
		t.Errorf("pod securityContext runAsNonRoot = %v, runAsUser = %d, want true, 65532", pod.SecurityContext.RunAsNonRoot, pod.SecurityContext.RunAsUser)
	}
	if pod.SecurityContext.SeccompProfile.Type != "RuntimeDefault" {
		t.Errorf("seccompProfile = %q, want RuntimeDefault", pod.SecurityContext.SeccompProfile.Type)
	}
	sc := c.SecurityContext
	if !sc.ReadOnlyRootFilesystem {
		t.Error("readOnlyRootFilesystem = false, want true")
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		t.Error("allowPrivilegeEscalation is not false")
	}
	if !slices.Equal(sc.Capabilities.Drop, []string{"ALL"}) {
		t.Errorf("capabilities.drop = %q, want [ALL]", sc.Capabilities.Drop)
	}

	for _, tt := range []struct{ file, kind string }{{"pdb.yaml", "PodDisruptionBudget"}, {"hpa.yaml", "HorizontalPodAutoscaler"}} {
		var m manifest
		decode(t, tt.file, &m)
		if m.Kind != tt.kind {
			t.Errorf("%s kind = %q, want %q", tt.file, m.Kind, tt.kind)
		}
	}
	var pdb struct {
		Spec struct {
			Selector struct {
				MatchLabels map[string]string `yaml:"matchLabels"`
			} `yaml:"selector"`
		} `yaml:"spec"`
	}
	decode(t, "pdb.yaml", &pdb)
	if len(pdb.Spec.Selector.MatchLabels) == 0 || !subset(pdb.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels) {
		t.Errorf("PDB selector %v does not select pod labels %v", pdb.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels)
	}
	var hpa struct {
		Spec struct {
			ScaleTargetRef struct {
				Kind string `yaml:"kind"`
				Name string `yaml:"name"`
			} `yaml:"scaleTargetRef"`
			MinReplicas int `yaml:"minReplicas"`
			MaxReplicas int `yaml:"maxReplicas"`
		} `yaml:"spec"`
	}
	decode(t, "hpa.yaml", &hpa)
	if hpa.Spec.ScaleTargetRef.Kind != "Deployment" || hpa.Spec.ScaleTargetRef.Name != "finpro-bff" {
		t.Errorf("HPA scaleTargetRef = %+v, want Deployment finpro-bff", hpa.Spec.ScaleTargetRef)
	}
	if hpa.Spec.MinReplicas < d.Spec.Replicas || hpa.Spec.MaxReplicas < hpa.Spec.MinReplicas {
		t.Errorf("HPA min/max = %d/%d, want min >= replicas (%d) and max >= min", hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas, d.Spec.Replicas)
	}
}

// placeholder matches the values secret.example.yaml may hold.
var placeholder = regexp.MustCompile(`^(REPLACE_ME|<[a-z0-9-]+>)?$`)

func TestSecretExampleHasOnlyPlaceholders(t *testing.T) {
	var m manifest
	decode(t, "secret.example.yaml", &m)
	if m.Kind != "Secret" {
		t.Fatalf("secret.example.yaml kind = %q, want Secret", m.Kind)
	}
	var s secret
	decode(t, "secret.example.yaml", &s)
	if len(s.Data) > 0 {
		t.Errorf("secret.example.yaml has base64 data keys %v; use stringData placeholders only", keys(s.Data))
	}
	for k, v := range s.StringData {
		if !placeholder.MatchString(v) {
			// The value itself is not printed: it may be a real secret.
			t.Errorf("secret.example.yaml %s is not a placeholder (want REPLACE_ME)", k)
		}
	}
	// Every secret the Deployment requires is shown in the example.
	c := readDeployment(t).Spec.Template.Spec.Containers[0]
	for _, e := range c.Env {
		if e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil || e.ValueFrom.SecretKeyRef.Optional {
			continue
		}
		ref := e.ValueFrom.SecretKeyRef
		if ref.Name != m.Metadata.Name {
			t.Errorf("env %s reads secret %q, want %q", e.Name, ref.Name, m.Metadata.Name)
		}
		if _, ok := s.StringData[ref.Key]; !ok {
			t.Errorf("env %s needs key %s, which secret.example.yaml does not show", e.Name, ref.Key)
		}
	}
}

// runtimeEnv are variables the Go runtime reads, not internal/config.
var runtimeEnv = []string{"GOMEMLIMIT", "GOMAXPROCS", "GOGC", "GODEBUG"}

func TestEnvNamesAreSettings(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "internal", "config", "config.go"))
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) bool { return strings.Contains(string(src), strconv.Quote(name)) }

	var cm configMap
	decode(t, "configmap.yaml", &cm)
	if len(cm.Data) == 0 {
		t.Fatal("configmap.yaml has no data")
	}
	names := keys(cm.Data)
	c := readDeployment(t).Spec.Template.Spec.Containers[0]
	for _, e := range c.Env {
		if !slices.Contains(runtimeEnv, e.Name) {
			names = append(names, e.Name)
		}
	}
	for _, n := range names {
		if !read(n) {
			t.Errorf("%s is set in deploy/ but internal/config does not read it", n)
		}
	}
	for _, secretName := range []string{"FINPRO_CLIENT_SECRET", "FINPRO_WEBHOOK_SECRET", "JWT_HS256_SECRET"} {
		if _, ok := cm.Data[secretName]; ok {
			t.Errorf("configmap.yaml sets %s; secrets belong in the Secret", secretName)
		}
	}
	if _, err := time.ParseDuration(cm.Data["FINPRO_TIMEOUT"]); err != nil {
		t.Errorf("configmap FINPRO_TIMEOUT: %v", err)
	}
	if u := cm.Data["NATS_URL"]; !strings.HasPrefix(u, "nats://") && !strings.HasPrefix(u, "tls://") {
		t.Errorf("configmap NATS_URL = %q, want an external nats:// or tls:// cluster", u)
	}
}

func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	final := src[strings.LastIndex(src, "\nFROM "):]
	for _, want := range []string{
		"FROM gcr.io/distroless/static-debian12:nonroot",
		"USER 65532:65532",
		"EXPOSE 8080",
		`ENTRYPOINT ["/finpro-bff"]`,
	} {
		if !strings.Contains(final, want) {
			t.Errorf("Dockerfile's final stage lacks %q", want)
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `-ldflags "-s -w"`, "go mod download", "npm ci", "web/playground/dist"} {
		if !strings.Contains(src, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	// The Go image must be at least go.mod's go version: the official images
	// set GOTOOLCHAIN=local and do not download a newer toolchain.
	gomod, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(gomod)
	argLine := regexp.MustCompile(`(?m)^ARG GO_VERSION=(\S+)$`).FindStringSubmatch(src)
	if goLine == nil || argLine == nil {
		t.Fatalf("go.mod go line = %q, Dockerfile ARG GO_VERSION = %q, want both", goLine, argLine)
	}
	if got, want := argLine[1], string(goLine[1]); versionLess(got, want) {
		t.Errorf("Dockerfile GO_VERSION = %s, want at least go.mod's %s", got, want)
	}
	// Files the build stages copy by path must exist (the playground's npm
	// project may land later; its files are checked once it does).
	for _, p := range []string{"go.mod", "go.sum"} {
		if _, err := os.Stat(filepath.Join("..", p)); err != nil {
			t.Errorf("Dockerfile copies %s: %v", p, err)
		}
	}
	if _, err := os.Stat(filepath.Join("..", "web", "playground")); err == nil {
		for _, p := range []string{"package.json", "package-lock.json"} {
			if _, err := os.Stat(filepath.Join("..", "web", "playground", p)); err != nil {
				t.Errorf("Dockerfile copies web/playground/%s: %v", p, err)
			}
		}
	}
}

// versionLess reports whether the dotted Go version a is older than b; a
// missing part counts as 0 ("1.26" < "1.26.8").
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(as), len(bs)) {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case uint64:
		return strconv.FormatUint(v, 10)
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	default:
		return ""
	}
}

// subset reports whether every pair of sub is in super.
func subset(sub, super map[string]string) bool {
	for k, v := range sub {
		if super[k] != v {
			return false
		}
	}
	return len(sub) > 0
}

func keys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// TestAdminPort checks the operator listener's wiring: ADMIN_ADDR's port is
// the container port named admin, the scrape annotations point at it, the
// Service does not expose it, and the NetworkPolicy lets only the monitoring
// namespace reach it (and not the API port).
func TestAdminPort(t *testing.T) {
	var cm configMap
	decode(t, "configmap.yaml", &cm)
	addr := cm.Data["ADMIN_ADDR"]
	_, portText, ok := strings.Cut(addr, ":")
	port, err := strconv.Atoi(portText)
	if !ok || err != nil || strings.HasPrefix(addr, "127.") {
		t.Fatalf("configmap ADMIN_ADDR = %q, want :<port> on the pod IP for Prometheus", addr)
	}

	var d struct {
		Spec struct {
			Template struct {
				Metadata struct {
					Annotations map[string]string `yaml:"annotations"`
				} `yaml:"metadata"`
				Spec struct {
					Containers []struct {
						Ports []struct {
							Name          string `yaml:"name"`
							ContainerPort int    `yaml:"containerPort"`
						} `yaml:"ports"`
					} `yaml:"containers"`
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	decode(t, "deployment.yaml", &d)
	var adminPort int
	for _, p := range d.Spec.Template.Spec.Containers[0].Ports {
		if p.Name == "admin" {
			adminPort = p.ContainerPort
		}
	}
	if adminPort != port {
		t.Errorf("container port admin = %d, want ADMIN_ADDR's %d", adminPort, port)
	}
	ann := d.Spec.Template.Metadata.Annotations
	if ann["prometheus.io/scrape"] != "true" || ann["prometheus.io/port"] != strconv.Itoa(port) || ann["prometheus.io/path"] != "/metrics" {
		t.Errorf("pod annotations %v, want prometheus.io/scrape true, port %d, path /metrics", ann, port)
	}

	var svc struct {
		Spec struct {
			Ports []struct {
				TargetPort any `yaml:"targetPort"`
			} `yaml:"ports"`
		} `yaml:"spec"`
	}
	decode(t, "service.yaml", &svc)
	for _, p := range svc.Spec.Ports {
		if tp := toString(p.TargetPort); tp == "admin" || tp == strconv.Itoa(port) {
			t.Errorf("service exposes the admin port (%s)", tp)
		}
	}

	var np struct {
		Spec struct {
			Ingress []struct {
				From []struct {
					NamespaceSelector struct {
						MatchLabels map[string]string `yaml:"matchLabels"`
					} `yaml:"namespaceSelector"`
				} `yaml:"from"`
				Ports []struct {
					Port int `yaml:"port"`
				} `yaml:"ports"`
			} `yaml:"ingress"`
		} `yaml:"spec"`
	}
	decode(t, "networkpolicy.yaml", &np)
	reach := map[int][]string{} // port -> namespaces allowed
	for _, rule := range np.Spec.Ingress {
		for _, p := range rule.Ports {
			for _, f := range rule.From {
				reach[p.Port] = append(reach[p.Port], f.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"])
			}
		}
	}
	if got := reach[port]; !slices.Equal(got, []string{"monitoring"}) {
		t.Errorf("networkpolicy lets %v reach the admin port %d, want only monitoring", got, port)
	}
	if got := reach[8080]; slices.Contains(got, "monitoring") || len(got) == 0 {
		t.Errorf("networkpolicy lets %v reach the API port 8080, want the ingress controller only", got)
	}
}
