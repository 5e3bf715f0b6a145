// Command metrics-check reads what /metrics served with github.com/prometheus/common/expfmt, the
// parser of Prometheus's own client libraries and tools, which nobody on this project wrote. Its
// stdin is a JSON array of scrapes of one server, oldest first. Each must parse as the Prometheus
// text format, and hold what a scraper and its alerts rely on beyond the grammar: no series twice,
// counters named `_total` (and nothing else so), base units (seconds, bytes), histograms whose buckets
// add up, label values without control characters; and no counter may go down from one scrape to
// the next. It prints the families of the last scrape as JSON (name, type, each series' labels) for
// the caller's own checks and exits 0, or prints what is wrong and exits 1.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"sort"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

type family struct {
	Name   string              `json:"name"`
	Type   string              `json:"type"`
	Help   string              `json:"help"`
	Series []map[string]string `json:"series"`
}

// Units other than the base ones Prometheus names (seconds, bytes, ratios): a dashboard that adds
// or compares series expects every duration in seconds.
var nonBaseUnit = regexp.MustCompile(
	`(^|_)(milliseconds|microseconds|nanoseconds|minutes|hours|days|weeks|ms|us|ns|kilobytes|megabytes|gigabytes|kb|mb|gb|percent)(_|$)`)

// prom-client's default gauges of the event loop's handles, requests and resources: named `_total`
// though gauges, by the library every Node dashboard reads them from; renaming them breaks those.
var knownGaugesNamedTotal = map[string]bool{
	"nodejs_active_handles_total":   true,
	"nodejs_active_requests_total":  true,
	"nodejs_active_resources_total": true,
}

var problems []string
var reported = map[string]bool{}

func problem(format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	if !reported[text] {
		problems = append(problems, text)
		reported[text] = true
	}
}

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err.Error())
	}
	var scrapes []string
	if err := json.Unmarshal(input, &scrapes); err != nil || len(scrapes) == 0 {
		fail("stdin must be a JSON array of at least one scrape")
	}
	var previous map[string]float64
	var last map[string]*dto.MetricFamily
	for i, text := range scrapes {
		parser := expfmt.NewTextParser(model.LegacyValidation)
		families, err := parser.TextToMetricFamilies(strings.NewReader(text))
		if err != nil {
			fail(fmt.Sprintf("scrape %d does not parse: %v", i+1, err))
		}
		counters := check(i+1, families)
		for key, before := range previous {
			if now, ok := counters[key]; ok && now < before {
				problem("scrape %d: counter %s went down from %v to %v", i+1, key, before, now)
			}
		}
		previous, last = counters, families
	}
	if len(problems) > 0 {
		fail(strings.Join(problems, "\n"))
	}
	out := []family{}
	for _, mf := range last {
		f := family{Name: mf.GetName(), Type: strings.ToLower(mf.GetType().String()), Help: mf.GetHelp()}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			f.Series = append(f.Series, labels)
		}
		out = append(out, f)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail(err.Error())
	}
}

// check reports what is wrong in one scrape and returns the value of every monotonic series in it
// (counters, and histograms' counts, sums and buckets) by name and labels.
func check(scrape int, families map[string]*dto.MetricFamily) map[string]float64 {
	monotonic := map[string]float64{}
	for name, mf := range families {
		kind := mf.GetType()
		if mf.Help == nil {
			problem("%s has no HELP", name)
		}
		if kind == dto.MetricType_COUNTER && !strings.HasSuffix(name, "_total") {
			problem("counter %s is not named _total", name)
		}
		if kind != dto.MetricType_COUNTER && strings.HasSuffix(name, "_total") && !knownGaugesNamedTotal[name] {
			problem("%s is a %s named _total, as only counters are", name, kind)
		}
		if nonBaseUnit.MatchString(name) {
			problem("%s is not in base units (seconds, bytes)", name)
		}
		seen := map[string]bool{}
		for _, m := range mf.GetMetric() {
			key := name + series(m)
			if seen[key] {
				problem("scrape %d: series %s appears twice", scrape, key)
			}
			seen[key] = true
			for _, l := range m.GetLabel() {
				if strings.ContainsFunc(l.GetValue(), func(r rune) bool { return r < 0x20 || r == 0x7f }) {
					problem("scrape %d: %s has a control character in label %s: %q", scrape, key, l.GetName(), l.GetValue())
				}
			}
			switch kind {
			case dto.MetricType_COUNTER:
				monotonic[key] = m.GetCounter().GetValue()
			case dto.MetricType_HISTOGRAM:
				h := m.GetHistogram()
				monotonic[key+"_count"] = float64(h.GetSampleCount())
				monotonic[key+"_sum"] = h.GetSampleSum()
				bound, count := math.Inf(-1), uint64(0)
				for _, b := range h.GetBucket() {
					if b.GetUpperBound() <= bound {
						problem("scrape %d: %s has bucket le=%v after le=%v", scrape, key, b.GetUpperBound(), bound)
					}
					if b.GetCumulativeCount() < count {
						problem("scrape %d: %s bucket le=%v counts fewer than the one below it", scrape, key, b.GetUpperBound())
					}
					if h.GetSampleCount() < b.GetCumulativeCount() {
						problem("scrape %d: %s bucket le=%v counts more than _count", scrape, key, b.GetUpperBound())
					}
					bound, count = b.GetUpperBound(), b.GetCumulativeCount()
					monotonic[fmt.Sprintf("%s_bucket{le=%v}", key, bound)] = float64(count)
				}
				if !math.IsInf(bound, 1) || count != h.GetSampleCount() {
					problem("scrape %d: %s has no +Inf bucket equal to its _count", scrape, key)
				}
			}
		}
	}
	return monotonic
}

// series is a metric's labels in a canonical order: `{a="1",b="2"}`.
func series(m *dto.Metric) string {
	pairs := []string{}
	for _, l := range m.GetLabel() {
		pairs = append(pairs, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
	}
	sort.Strings(pairs)
	return "{" + strings.Join(pairs, ",") + "}"
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, message)
	os.Exit(1)
}
