package gorillaconn

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

func TestPad(t *testing.T) {
	lengths := map[int]bool{}
	for i := range 200 {
		msg := []byte(`{"id":"1","type":"next","payload":{"data":{"n":` + string(rune('0'+i%10)) + `,"i":"` + string(rune('a'+i%26)) + string(rune('a'+i/26)) + `"}}}`)
		orig := bytes.Clone(msg)
		got := pad(bytes.Clone(msg))
		if !bytes.HasPrefix(got, orig) || len(got)-len(orig) > 31 {
			t.Fatalf("pad(%s) = %q: want the message and at most 31 bytes after it", orig, got)
		}
		if tail := got[len(orig):]; len(bytes.Trim(tail, " \t\n\r")) != 0 {
			t.Fatalf("pad appended %q, want JSON whitespace only", tail)
		}
		if !json.Valid(got) {
			t.Fatalf("pad(%s) is not valid JSON", orig)
		}
		if again := pad(bytes.Clone(msg)); !bytes.Equal(again, got) {
			t.Fatalf("pad is not a function of the content: %q then %q", got, again)
		}
		lengths[len(got)-len(orig)] = true
	}
	if len(lengths) < 16 { // 200 messages over 32 lengths
		t.Errorf("pad used %d distinct lengths over 200 messages, want them spread over 0..31", len(lengths))
	}
}

func TestOffersDeflate(t *testing.T) {
	tests := []struct {
		header []string
		want   bool
	}{
		{nil, false},
		{[]string{"permessage-deflate; client_max_window_bits"}, true}, // browsers
		{[]string{"x-webkit-deflate-frame"}, false},
		{[]string{"foo, Permessage-Deflate"}, true},
		{[]string{"foo", "permessage-deflate;server_no_context_takeover"}, true},
		{[]string{"permessage-deflated"}, false},
	}
	for _, tt := range tests {
		h := http.Header{}
		for _, v := range tt.header {
			h.Add("Sec-WebSocket-Extensions", v)
		}
		if got := offersDeflate(h); got != tt.want {
			t.Errorf("offersDeflate(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}
