package replay

import (
	"testing"
	"time"
)

func TestMemoryTTL(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	m := NewMemory()
	m.now = func() time.Time { return now }
	ctx := t.Context()
	if err := m.Put(ctx, "k", []byte("v"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := m.Get(ctx, "k"); err != nil || !ok || string(v) != "v" {
		t.Errorf("Get before expiry = %q, %v, %v, want v, true, nil", v, ok, err)
	}
	if _, ok, _ := m.Get(ctx, "other"); ok {
		t.Error("Get(other) found a value")
	}
	now = now.Add(time.Minute)
	if _, ok, _ := m.Get(ctx, "k"); ok {
		t.Error("Get after expiry found the value")
	}
}
