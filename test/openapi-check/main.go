// Command openapi-check validates the OpenAPI document the API serves at /docs-json with
// github.com/getkin/kin-openapi, the validator Go's client and server generators build on, which
// nobody on this project wrote. It reads the document on stdin, prints "ok <version> <paths>" and
// exits 0 when the document is valid OpenAPI 3; otherwise it prints what is wrong and exits 1.
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/getkin/kin-openapi/openapi3"
)

func main() {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		fail(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		fail(err)
	}
	fmt.Println("ok", doc.OpenAPI, len(doc.Paths.Map()))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
