package gateway_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/gateway/weburl"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// openAPI checks requests and responses against api/openapi.yaml.
type openAPI struct {
	doc    *openapi3.T
	router routers.Router
}

func loadOpenAPI(t *testing.T) *openAPI {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("api/openapi.yaml is not a valid OpenAPI description: %v", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &openAPI{doc: doc, router: router}
}

// call sends a request to h, the internal listener, and checks the
// response against the description, which must have a route for it. The
// body goes with contentType unless that is empty, and bearer as the token
// unless it is empty. It returns the status and the body.
func (o *openAPI) call(t *testing.T, h http.Handler, method, path, body, contentType, bearer string) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, "http://127.0.0.1:8081"+path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	route, params, err := o.router.FindRoute(req)
	if err != nil {
		t.Fatalf("the description has no route for %s %s: %v", method, path, err)
	}
	input := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, ExcludeRequestBody: true},
	}
	out := rec.Body.Bytes()
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input, Status: rec.Code, Header: rec.Header(), Body: io.NopCloser(bytes.NewReader(out)),
	})
	if err != nil {
		t.Errorf("the %d response to %s %s does not match api/openapi.yaml: %v\n%s", rec.Code, method, path, err, out)
	}
	return rec.Code, out
}

// TestOpenAPIEnumsNameTheVocabulary holds the API's enums to the words of
// package verdict: a new action, reason, threat, problem, rule action or
// signal kind fails here until api/openapi.yaml names it.
func TestOpenAPIEnumsNameTheVocabulary(t *testing.T) {
	api := loadOpenAPI(t)
	var reasons []string
	for _, r := range verdict.Reasons {
		reasons = append(reasons, string(r))
	}
	for _, th := range verdict.Threats {
		reasons = append(reasons, verdict.ThreatPrefix+string(th))
	}
	for _, p := range weburl.Problems {
		reasons = append(reasons, string(p))
	}
	tests := map[string][]string{
		"Action":     stringsOf(verdict.Actions),
		"RuleAction": stringsOf(verdict.RuleActions),
		"SignalKind": stringsOf(verdict.SignalKinds),
		"Reason":     reasons,
	}
	for name, want := range tests {
		schema := api.doc.Components.Schemas[name]
		if schema == nil || schema.Value == nil {
			t.Errorf("api/openapi.yaml has no schema %s", name)
			continue
		}
		var got []string
		for _, v := range schema.Value.Enum {
			got = append(got, fmt.Sprint(v))
		}
		slices.Sort(got)
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(got, want) {
			t.Errorf("schema %s enumerates %v, want %v", name, got, want)
		}
	}
}

func stringsOf[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
