package gateway_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// openAPI checks requests and responses against api/openapi.yaml.
type openAPI struct {
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
	return &openAPI{router: router}
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
