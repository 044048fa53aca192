// Package kubernetes holds the Kustomize manifests; its test builds every
// overlay with Kustomize's own engine and holds the manifests to what
// README.md says of them.
package kubernetes

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// kinds are the kinds the manifests may hold, each with the type it must
// parse as, strictly: a field the type does not know fails the test.
var kinds = map[string]func() any{
	"apps/v1/Deployment":                      func() any { return &appsv1.Deployment{} },
	"apps/v1/StatefulSet":                     func() any { return &appsv1.StatefulSet{} },
	"v1/Service":                              func() any { return &corev1.Service{} },
	"v1/ConfigMap":                            func() any { return &corev1.ConfigMap{} },
	"autoscaling/v2/HorizontalPodAutoscaler":  func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"policy/v1/PodDisruptionBudget":           func() any { return &policyv1.PodDisruptionBudget{} },
	"networking.k8s.io/v1/NetworkPolicy":      func() any { return &networkingv1.NetworkPolicy{} },
	"monitoring.coreos.com/v1/ServiceMonitor": func() any { return &monitoringv1.ServiceMonitor{} },
}

// build runs Kustomize on dir and returns its objects, each parsed as its
// kind, by kind and name.
func build(t *testing.T, dir string) map[string]any {
	t.Helper()
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	out, err := resources.AsYaml()
	if err != nil {
		t.Fatal(err)
	}
	objects := map[string]any{}
	for _, doc := range strings.Split(string(out), "\n---\n") {
		js, err := yaml.YAMLToJSON([]byte(doc))
		if err != nil {
			t.Fatalf("%s: %v\n%s", dir, err, doc)
		}
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(js, &head); err != nil {
			t.Fatal(err)
		}
		newObject, ok := kinds[head.APIVersion+"/"+head.Kind]
		if !ok {
			t.Fatalf("%s: unexpected kind %s/%s (%s)", dir, head.APIVersion, head.Kind, head.Metadata.Name)
		}
		obj := newObject()
		dec := json.NewDecoder(bytes.NewReader(js))
		dec.DisallowUnknownFields()
		if err := dec.Decode(obj); err != nil {
			t.Fatalf("%s: %s %s does not parse as its kind: %v", dir, head.Kind, head.Metadata.Name, err)
		}
		key := head.Kind + "/" + head.Metadata.Name
		if strings.HasPrefix(key, "ConfigMap/") {
			key = "ConfigMap/" + strings.TrimSuffix(head.Metadata.Name, head.Metadata.Name[strings.LastIndexByte(head.Metadata.Name, '-'):])
		}
		objects[key] = obj
	}
	return objects
}

func get[T any](t *testing.T, objects map[string]any, key string) T {
	t.Helper()
	obj, ok := objects[key].(T)
	if !ok {
		t.Fatalf("no %s among %v", key, slices.Sorted(maps.Keys(objects)))
	}
	return obj
}

var overlays = []string{"overlays/single-redis", "overlays/sentinel"}

func TestOverlaysBuildAsTheirKinds(t *testing.T) {
	for _, dir := range append([]string{"base"}, overlays...) {
		t.Run(dir, func(t *testing.T) {
			objects := build(t, dir)
			for key := range objects {
				if strings.HasPrefix(key, "Secret/") {
					t.Errorf("%s holds a Secret; secrets are created apart", dir)
				}
			}
		})
	}
}

// The gateway runs with least privilege, probes the right endpoints, and
// has time to drain before it is killed.
func TestDeploymentKeepsItsPromises(t *testing.T) {
	for _, dir := range overlays {
		t.Run(dir, func(t *testing.T) {
			objects := build(t, dir)
			d := get[*appsv1.Deployment](t, objects, "Deployment/safelink")
			config := get[*corev1.ConfigMap](t, objects, "ConfigMap/safelink-config").Data
			pod := d.Spec.Template.Spec
			c := pod.Containers[0]
			sc := c.SecurityContext
			if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
				sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation ||
				sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) {
				t.Errorf("container security context %+v", sc)
			}
			if psc := pod.SecurityContext; psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser == 0 {
				t.Errorf("pod security context %+v", psc)
			}
			if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
				t.Error("the pod mounts a service-account token it does not need")
			}
			if p := c.LivenessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/healthz" {
				t.Errorf("liveness probe %+v", p)
			}
			if p := c.ReadinessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/readyz" || p.HTTPGet.Port.String() != "http" {
				t.Errorf("readiness probe %+v, want the public /readyz", p)
			}
			delay, err1 := time.ParseDuration(config["SAFELINK_SHUTDOWN_DELAY"])
			timeout, err2 := time.ParseDuration(config["SAFELINK_SHUTDOWN_TIMEOUT"])
			grace := time.Duration(*pod.TerminationGracePeriodSeconds) * time.Second
			if err1 != nil || err2 != nil || delay <= 0 || grace < delay+timeout+time.Second {
				t.Errorf("shutdown delay %q and timeout %q do not fit the grace period %v", config["SAFELINK_SHUTDOWN_DELAY"], config["SAFELINK_SHUTDOWN_TIMEOUT"], grace)
			}
			if config["SAFELINK_INTERNAL_ADDR"] != ":8081" {
				t.Errorf("SAFELINK_INTERNAL_ADDR = %q, want the pod's address", config["SAFELINK_INTERNAL_ADDR"])
			}
			if c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
				t.Errorf("resources %+v", c.Resources)
			}
			if !hasEnv(c, "SAFELINK_REDIS_URL") {
				t.Error("the overlay gives no SAFELINK_REDIS_URL")
			}
			if len(c.EnvFrom) != 2 || c.EnvFrom[1].SecretRef == nil || c.EnvFrom[1].SecretRef.Name != "safelink-secrets" {
				t.Errorf("envFrom %+v, want the config and the safelink-secrets Secret", c.EnvFrom)
			}
		})
	}
}

func hasEnv(c corev1.Container, name string) bool {
	return slices.ContainsFunc(c.Env, func(e corev1.EnvVar) bool { return e.Name == name })
}

// The Services, the autoscaler, the budget, the policy and the monitor all
// select the gateway's pods, and only them.
func TestSelectorsReachTheGateway(t *testing.T) {
	objects := build(t, "overlays/single-redis")
	d := get[*appsv1.Deployment](t, objects, "Deployment/safelink")
	pods := d.Spec.Template.Labels
	selects := func(what string, selector map[string]string) {
		t.Helper()
		if len(selector) == 0 {
			t.Errorf("%s selects every pod", what)
		}
		for k, v := range selector {
			if pods[k] != v {
				t.Errorf("%s selects %s=%s, which the gateway's pods (%v) do not carry", what, k, v, pods)
			}
		}
	}
	selects("the Deployment", d.Spec.Selector.MatchLabels)
	for _, name := range []string{"safelink", "safelink-internal"} {
		selects("Service "+name, get[*corev1.Service](t, objects, "Service/"+name).Spec.Selector)
	}
	selects("the PodDisruptionBudget", get[*policyv1.PodDisruptionBudget](t, objects, "PodDisruptionBudget/safelink").Spec.Selector.MatchLabels)
	np := get[*networkingv1.NetworkPolicy](t, objects, "NetworkPolicy/safelink")
	selects("the NetworkPolicy", np.Spec.PodSelector.MatchLabels)
	hpa := get[*autoscalingv2.HorizontalPodAutoscaler](t, objects, "HorizontalPodAutoscaler/safelink")
	if ref := hpa.Spec.ScaleTargetRef; ref.Kind != "Deployment" || ref.Name != d.Name {
		t.Errorf("the autoscaler scales %s/%s", ref.Kind, ref.Name)
	}
	internal := get[*corev1.Service](t, objects, "Service/safelink-internal")
	sm := get[*monitoringv1.ServiceMonitor](t, objects, "ServiceMonitor/safelink")
	for k, v := range sm.Spec.Selector.MatchLabels {
		if internal.Labels[k] != v {
			t.Errorf("the ServiceMonitor selects %s=%s, which the internal Service (%v) does not carry", k, v, internal.Labels)
		}
	}
	public := get[*corev1.Service](t, objects, "Service/safelink")
	for k, v := range sm.Spec.Selector.MatchLabels {
		if public.Labels[k] != v {
			return // the public Service is not scraped
		}
	}
	t.Error("the ServiceMonitor selects the public Service too")
}

// The internal port is reachable from pods of the cluster only; the
// public port from anywhere.
func TestNetworkPolicyKeepsTheInternalPortInside(t *testing.T) {
	np := get[*networkingv1.NetworkPolicy](t, build(t, "base"), "NetworkPolicy/safelink")
	for _, rule := range np.Spec.Ingress {
		for _, port := range rule.Ports {
			if port.Port.String() != "internal" {
				continue
			}
			if len(rule.From) == 0 {
				t.Error("the internal port is open to every address")
			}
			for _, peer := range rule.From {
				if peer.IPBlock != nil || peer.NamespaceSelector == nil {
					t.Errorf("the internal port admits %+v, which is not a pod of the cluster", peer)
				}
			}
		}
	}
}
