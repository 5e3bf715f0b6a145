// Command openapi-check holds the OpenAPI document the API serves at /docs-json to
// github.com/getkin/kin-openapi, the validator Go's client and server generators build on, which
// nobody on this project wrote.
//
// With no argument it reads the document on stdin, prints "ok <version> <paths>" and exits 0 when
// the document is valid OpenAPI 3; otherwise it prints what is wrong and exits 1.
//
// With the argument "exchanges" it reads {"document", "exchanges": [...]} on stdin: real requests
// sent to the server and the answers it gave. Each request goes through openapi3filter's
// ValidateRequest and each answer through ValidateResponse (an undocumented status is an error), and
// it prints {"operations", "covered", "findings"} as JSON: every operation of the document, the
// statuses each one was seen answering, and one finding per way an exchange departs from the
// document. An exchange with "request": "invalid" is one the server refused as malformed: the
// document must refuse it too (else it hides a rule a client cannot know); "skip" is a refusal the
// document cannot express (a rule across fields, a state of the data). The answers' object
// schemas that list their properties are read as closed (closeObjects): an answer's field the
// document does not name is a finding, since no generated client reads it. An answer with a body
// the document gives no schema is one too: ValidateResponse alone passes it whatever it holds.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

type exchange struct {
	Name            string            `json:"name"`
	Method          string            `json:"method"`
	Path            string            `json:"path"` // with its query string
	RequestHeaders  map[string]string `json:"requestHeaders"`
	RequestBody     *string           `json:"requestBody"`
	Request         string            `json:"request"` // "valid" (default), "invalid" or "skip"
	Status          int               `json:"status"`
	ResponseHeaders map[string]string `json:"responseHeaders"`
	ResponseBody    string            `json:"responseBody"`
	// A stream that never ends (text/event-stream) is read for its headers only.
	SkipResponseBody bool `json:"skipResponseBody"`
}

type finding struct {
	Exchange string `json:"exchange"`
	Part     string `json:"part"`
	Error    string `json:"error"`
}

type report struct {
	Operations []string         `json:"operations"`
	Covered    map[string][]int `json:"covered"`
	Findings   []finding        `json:"findings"`
}

func main() {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	if len(os.Args) > 1 && os.Args[1] == "exchanges" {
		checkExchanges(data)
		return
	}
	doc := load(data)
	fmt.Println("ok", doc.OpenAPI, len(doc.Paths.Map()))
}

func load(data []byte) *openapi3.T {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		fail(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		fail(err)
	}
	return doc
}

func checkExchanges(data []byte) {
	var input struct {
		Document  json.RawMessage `json:"document"`
		Exchanges []exchange      `json:"exchanges"`
	}
	if err := json.Unmarshal(data, &input); err != nil {
		fail(err)
	}
	doc := load(input.Document)
	closeObjects(doc)
	router, err := legacy.NewRouter(doc)
	if err != nil {
		fail(err)
	}
	// The answers a browser or an SSE client reads as text.
	openapi3filter.RegisterBodyDecoder("text/event-stream", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)

	out := report{Covered: map[string][]int{}, Findings: []finding{}}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			out.Operations = append(out.Operations, method+" "+path)
		}
	}
	sort.Strings(out.Operations)
	for _, x := range input.Exchanges {
		route, status, problems := check(router, x)
		if route != "" && !contains(out.Covered[route], status) {
			out.Covered[route] = append(out.Covered[route], status)
		}
		out.Findings = append(out.Findings, problems...)
	}
	encoded, _ := json.MarshalIndent(out, "", " ")
	fmt.Println(string(encoded))
}

// closeObjects makes every object schema of an answer that names its properties refuse any other,
// where it says nothing itself: a field the server sends and the document does not name is a field
// no generated client reads. Request bodies are left as the document has them, so that an unknown
// field the server refuses is a finding when the document takes it.
func closeObjects(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(ref *openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		schema := ref.Value
		seen[schema] = true
		if len(schema.Properties) > 0 && schema.AdditionalProperties.Has == nil &&
			schema.AdditionalProperties.Schema == nil {
			closed := false
			schema.AdditionalProperties.Has = &closed
		}
		for _, property := range schema.Properties {
			walk(property)
		}
		walk(schema.Items)
		walk(schema.AdditionalProperties.Schema)
		for _, list := range []openapi3.SchemaRefs{schema.AllOf, schema.OneOf, schema.AnyOf} {
			for _, each := range list {
				walk(each)
			}
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, operation := range item.Operations() {
			for _, response := range operation.Responses.Map() {
				if response.Value != nil {
					for _, media := range response.Value.Content {
						walk(media.Schema)
					}
				}
			}
		}
	}
}

func check(router routers.Router, x exchange) (string, int, []finding) {
	found := func(part string, err error) []finding {
		return []finding{{Exchange: x.Name, Part: part, Error: err.Error()}}
	}
	target, err := url.Parse("http://api.local" + x.Path)
	if err != nil {
		return "", 0, found("request", err)
	}
	var body io.Reader = http.NoBody
	if x.RequestBody != nil {
		body = strings.NewReader(*x.RequestBody)
	}
	req, err := http.NewRequest(x.Method, target.String(), body)
	if err != nil {
		return "", 0, found("request", err)
	}
	for name, value := range x.RequestHeaders {
		req.Header.Set(name, value)
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		return "", 0, found("route", fmt.Errorf("%s %s: %w", x.Method, target.Path, err))
	}
	name := x.Method + " " + route.Path
	requestInput := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options:    requestOptions(),
	}
	var findings []finding
	requestErr := openapi3filter.ValidateRequest(context.Background(), requestInput)
	switch x.Request {
	case "invalid":
		if requestErr == nil {
			findings = append(findings, found("request", fmt.Errorf(
				"the server refused it with %d but the document takes it", x.Status))...)
		}
	case "skip":
	default:
		if requestErr != nil {
			findings = append(findings, found("request", requestErr)...)
		}
	}

	findings = append(findings, undescribed(route, x)...)

	header := http.Header{}
	for key, value := range x.ResponseHeaders {
		header.Set(key, value)
	}
	responseErr := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: requestInput,
		Status:                 x.Status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader([]byte(x.ResponseBody))),
		Options:                responseOptions(x.SkipResponseBody),
	})
	if responseErr != nil {
		findings = append(findings, found("response", fmt.Errorf("%d: %w", x.Status, responseErr))...)
	}
	return name, x.Status, findings
}

func requestOptions() *openapi3filter.Options {
	options := &openapi3filter.Options{
		MultiError:                        true,
		RejectWhenRequestBodyNotSpecified: true,
		AuthenticationFunc:                bearer,
	}
	options.WithCustomSchemaErrorFunc(briefly)
	return options
}

func responseOptions(skipBody bool) *openapi3filter.Options {
	options := &openapi3filter.Options{
		MultiError:            true,
		IncludeResponseStatus: true,
		ExcludeResponseBody:   skipBody,
	}
	options.WithCustomSchemaErrorFunc(briefly)
	return options
}

// briefly says where in the body and why, without the whole schema and value (a page long each).
func briefly(err *openapi3.SchemaError) string {
	return "/" + strings.Join(err.JSONPointer(), "/") + ": " + err.Reason
}

// undescribed finds an answer with a body where the document describes none, or no schema for it:
// ValidateResponse passes such a body whatever it holds, and a generated client has no type for it.
func undescribed(route *routers.Route, x exchange) []finding {
	response := route.Operation.Responses.Status(x.Status)
	if response == nil || response.Value == nil || (x.ResponseBody == "" && !x.SkipResponseBody) {
		return nil
	}
	mediaType := strings.TrimSpace(strings.Split(x.ResponseHeaders["content-type"], ";")[0])
	content := response.Value.Content
	if len(content) == 0 {
		return []finding{{Exchange: x.Name, Part: "response", Error: fmt.Sprintf(
			"%d: the answer has a %s body, the document describes none", x.Status, mediaType)}}
	}
	if media := content.Get(mediaType); media != nil && media.Schema == nil {
		return []finding{{Exchange: x.Name, Part: "response", Error: fmt.Sprintf(
			"%d: the document gives the %s body no schema", x.Status, mediaType)}}
	}
	return nil
}

// bearer is what the document's security schemes ask of a request: a bearer token, or one in the
// query where a route takes it there (whether the token is good is the server's business; its 401 is
// a documented answer).
func bearer(_ context.Context, input *openapi3filter.AuthenticationInput) error {
	if input.SecurityScheme.Type == "http" && input.SecurityScheme.Scheme == "bearer" {
		auth := input.RequestValidationInput.Request.Header.Get("Authorization")
		if strings.HasPrefix(auth, "Bearer ") {
			return nil
		}
		return fmt.Errorf("no bearer token")
	}
	if input.SecurityScheme.Type == "apiKey" && input.SecurityScheme.In == "query" {
		if input.RequestValidationInput.Request.URL.Query().Get(input.SecurityScheme.Name) != "" {
			return nil
		}
		return fmt.Errorf("no %s in the query", input.SecurityScheme.Name)
	}
	return fmt.Errorf("unknown security scheme %s", input.SecuritySchemeName)
}

func contains(list []int, value int) bool {
	for _, v := range list {
		if v == value {
			return true
		}
	}
	return false
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
