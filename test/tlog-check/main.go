// Command tlog-check verifies what the verifiable-log routes answer with the Go checksum database's
// own libraries (golang.org/x/mod/sumdb/note and tlog), an implementation nobody on this project
// wrote. It reads one JSON document on stdin:
//
//	{ "key": "<verifier key>", "checkpoint": "<signed note>",
//	  "inclusions": [ { "leafIndex": 3, "leafData": "<base64 chain hash>", "hashes": ["<base64>", …] } ],
//	  "consistency": { "checkpoint": "<older signed note>", "hashes": ["<base64>", …] },
//	  "notes": ["<any other note the key signed>", …] }
//
// and prints one line per check; it exits 1 at the first check that fails.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type input struct {
	Key        string `json:"key"`
	Checkpoint string `json:"checkpoint"`
	Inclusions []struct {
		LeafIndex int64    `json:"leafIndex"`
		LeafData  string   `json:"leafData"`
		Hashes    []string `json:"hashes"`
	} `json:"inclusions"`
	Consistency *struct {
		Checkpoint string   `json:"checkpoint"`
		Hashes     []string `json:"hashes"`
	} `json:"consistency"`
	Notes []string `json:"notes"`
}

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "FAIL "+format+"\n", args...)
	os.Exit(1)
}

// open verifies the note's signature and parses the C2SP tlog-checkpoint body (tlog.ParseTree only
// reads the Go checksum database's own origin line, so the three lines are read here).
func open(text string, verifiers note.Verifiers) checkpoint {
	n, err := note.Open([]byte(text), verifiers)
	if err != nil {
		fail("note.Open: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 || lines[len(lines)-1] != "" {
		fail("checkpoint body: %q", n.Text)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 {
		fail("checkpoint tree size %q", lines[1])
	}
	return checkpoint{origin: lines[0], size: size, root: decodeHash(lines[2])}
}

func decodeHash(b64 string) tlog.Hash {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) != tlog.HashSize {
		fail("hash %q is not 32 bytes of standard base64", b64)
	}
	var h tlog.Hash
	copy(h[:], raw)
	return h
}

func decodeHashes(list []string) []tlog.Hash {
	out := make([]tlog.Hash, len(list))
	for i, s := range list {
		out[i] = decodeHash(s)
	}
	return out
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fail("reading input: %v", err)
	}
	verifier, err := note.NewVerifier(in.Key)
	if err != nil {
		fail("note.NewVerifier: %v", err)
	}
	verifiers := note.VerifierList(verifier)
	head := open(in.Checkpoint, verifiers)
	fmt.Printf("ok checkpoint %s size %d signed by %s\n", head.origin, head.size, verifier.Name())
	for _, inc := range in.Inclusions {
		data, err := base64.StdEncoding.DecodeString(inc.LeafData)
		if err != nil {
			fail("leaf data of %d: %v", inc.LeafIndex, err)
		}
		proof := tlog.RecordProof(decodeHashes(inc.Hashes))
		if err := tlog.CheckRecord(proof, head.size, head.root, inc.LeafIndex, tlog.RecordHash(data)); err != nil {
			fail("tlog.CheckRecord leaf %d in %d: %v", inc.LeafIndex, head.size, err)
		}
		fmt.Printf("ok inclusion leaf %d in size %d\n", inc.LeafIndex, head.size)
	}
	if c := in.Consistency; c != nil {
		old := open(c.Checkpoint, verifiers)
		proof := tlog.TreeProof(decodeHashes(c.Hashes))
		if err := tlog.CheckTree(proof, head.size, head.root, old.size, old.root); err != nil {
			fail("tlog.CheckTree %d -> %d: %v", old.size, head.size, err)
		}
		fmt.Printf("ok consistency %d -> %d\n", old.size, head.size)
	}
	for _, text := range in.Notes {
		n, err := note.Open([]byte(text), verifiers)
		if err != nil {
			fail("note.Open: %v", err)
		}
		fmt.Printf("ok note %q signed by %s\n", strings.SplitN(n.Text, "\n", 2)[0], verifier.Name())
	}
}
