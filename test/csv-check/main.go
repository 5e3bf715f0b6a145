// Command csv-check reads a CSV file on stdin with Go's encoding/csv, a reader nobody on this project
// wrote, in its strict mode: quotes must be well formed and every record must have as many fields as
// the first. It prints one JSON document, { "bom": bool, "crlf": bool, "records": [[…], …] }, where
// `bom` says the input began with a UTF-8 byte-order mark (removed before reading) and `crlf` that
// every line outside quoted fields ended with CR LF; it exits 1 with the reader's error otherwise.
//
// With -semicolon it reads the file as Excel does in a locale whose list separator is ';' (vi-VN, de,
// fr): fields split on ';', a quote taken as a plain character where it does not open a field
// (LazyQuotes), rows of any width. What it prints then is which fields such a spreadsheet would find.
package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	semicolon := flag.Bool("semicolon", false, "read as a ';' locale's spreadsheet does")
	flag.Parse()
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	bom := bytes.HasPrefix(input, []byte("\xef\xbb\xbf"))
	input = bytes.TrimPrefix(input, []byte("\xef\xbb\xbf"))

	reader := csv.NewReader(bytes.NewReader(input))
	reader.FieldsPerRecord = 0 // as many as the first record, for every record
	reader.LazyQuotes = false
	if *semicolon {
		reader.Comma = ';'
		reader.LazyQuotes = true
		reader.FieldsPerRecord = -1
	}
	records := [][]string{}
	ends := []int64{}
	for {
		record, err := reader.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fail(err)
		}
		records = append(records, record)
		ends = append(ends, reader.InputOffset())
	}

	// A record ends at the offset after its line break: CR LF there means a CR LF line end.
	crlf := len(records) > 0
	for _, end := range ends {
		if end < 2 || !bytes.Equal(input[end-2:end], []byte("\r\n")) {
			crlf = false
		}
	}
	out, err := json.Marshal(map[string]any{"bom": bom, "crlf": crlf, "records": records})
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
