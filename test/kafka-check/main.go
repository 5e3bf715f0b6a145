// Command kafka-check reads the relay's topics with franz-go, a Kafka client nobody on this project
// wrote, as a consumer in another service would: read_committed, from the start of every partition up
// to the end offsets the brokers list when it starts (or until nothing more comes). It prints one JSON
// line per record as the client decoded it (topic, partition, offset, key, headers in order, value),
// with the partition that Kafka's own (Java) partitioner gives the key and whether the record was
// written in a transaction, so the suites can check what an outside reader gets.
//
// Usage: kafka-check <brokers> <topic>[,<topic>...]
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

type header struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type line struct {
	Topic     string   `json:"topic"`
	Partition int32    `json:"partition"`
	Offset    int64    `json:"offset"`
	Key       *string  `json:"key"`
	Headers   []header `json:"headers"`
	Value     string   `json:"value"`
	// The partition of the key by Kafka's default partitioner (murmur2), for the topic's partition count.
	KeyPartition  int32 `json:"keyPartition"`
	Transactional bool  `json:"transactional"`
}

func main() {
	if len(os.Args) != 3 {
		fail("usage: kafka-check <brokers> <topic>[,<topic>...]")
	}
	brokers := strings.Split(os.Args[1], ",")
	topics := strings.Split(os.Args[2], ",")
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()

	admin, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	check(err, "connect")
	ends, err := kadm.NewClient(admin).ListEndOffsets(ctx, topics...)
	check(err, "list end offsets")
	check(ends.Error(), "list end offsets")
	admin.Close()
	want := map[string]map[int32]int64{}
	counts := map[string]int{}
	ends.Each(func(o kadm.ListedOffset) {
		if want[o.Topic] == nil {
			want[o.Topic] = map[int32]int64{}
		}
		want[o.Topic][o.Partition] = o.Offset
		counts[o.Topic]++
	})

	client, err := kgo.NewClient(
		kgo.SeedBrokers(brokers...),
		kgo.ConsumeTopics(topics...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
	)
	check(err, "connect")
	defer client.Close()
	partitioner := kgo.StickyKeyPartitioner(nil)
	out := json.NewEncoder(os.Stdout)
	next := map[string]map[int32]int64{}
	for !reached(want, next) {
		// Records of aborted transactions and transaction markers take offsets too, and a
		// read_committed consumer never gets them as records: an end offset behind such a tail is never
		// "reached". The relay is stopped before this runs, so a poll that brings nothing for 2 s means
		// there is nothing more to read; the suite compares what came with the event store.
		poll, stop := context.WithTimeout(ctx, 2*time.Second)
		fetches := client.PollFetches(poll)
		stop()
		if ctx.Err() != nil {
			fail(fmt.Sprintf("timed out before the end offsets %v; read up to %v", want, next))
		}
		if poll.Err() != nil && fetches.NumRecords() == 0 {
			break
		}
		fetches.EachError(func(topic string, partition int32, err error) {
			if err != context.DeadlineExceeded {
				fail(fmt.Sprintf("fetch %s/%d: %v", topic, partition, err))
			}
		})
		fetches.EachRecord(func(r *kgo.Record) {
			l := line{Topic: r.Topic, Partition: r.Partition, Offset: r.Offset, Value: string(r.Value),
				Headers: []header{}, Transactional: r.Attrs.IsTransactional()}
			if r.Key != nil {
				key := string(r.Key)
				l.Key = &key
				l.KeyPartition = int32(partitioner.ForTopic(r.Topic).Partition(&kgo.Record{Key: r.Key}, counts[r.Topic]))
			}
			for _, h := range r.Headers {
				l.Headers = append(l.Headers, header{h.Key, string(h.Value)})
			}
			check(out.Encode(l), "write")
			if next[r.Topic] == nil {
				next[r.Topic] = map[int32]int64{}
			}
			if r.Offset+1 > next[r.Topic][r.Partition] {
				next[r.Topic][r.Partition] = r.Offset + 1
			}
		})
	}
}

func reached(want, next map[string]map[int32]int64) bool {
	for topic, partitions := range want {
		for partition, end := range partitions {
			if end > 0 && next[topic][partition] < end {
				return false
			}
		}
	}
	return true
}

func check(err error, what string) {
	if err != nil {
		fail(fmt.Sprintf("%s: %v", what, err))
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "kafka-check:", message)
	os.Exit(1)
}
