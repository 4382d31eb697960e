package main

import (
	"runtime/debug"
	"testing"
	"testing/fstest"
)

func TestCgroupMemoryLimit(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files fstest.MapFS
		want  int64
		ok    bool
	}{
		{"v2 limit", fstest.MapFS{"memory.max": {Data: []byte("536870912\n")}}, 536870912, true},
		{"v2 unlimited", fstest.MapFS{"memory.max": {Data: []byte("max\n")}}, 0, false},
		{"v1 limit", fstest.MapFS{"memory/memory.limit_in_bytes": {Data: []byte("1073741824\n")}}, 1073741824, true},
		{"v1 unlimited", fstest.MapFS{"memory/memory.limit_in_bytes": {Data: []byte("9223372036854771712\n")}}, 0, false},
		{"no cgroup", fstest.MapFS{}, 0, false},
		{"garbage", fstest.MapFS{"memory.max": {Data: []byte("lots")}}, 0, false},
	} {
		got, ok := cgroupMemoryLimit(tc.files)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: %d, %v; want %d, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestApplyContainerMemoryLimit(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })
	limited := fstest.MapFS{"memory.max": {Data: []byte("1000000000")}}
	if got := applyContainerMemoryLimit(func(string) string { return "" }, limited); got != 900000000 {
		t.Errorf("without GOMEMLIMIT: set %d, want 900000000 (90%%)", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 900000000 {
		t.Errorf("the runtime's limit is %d", got)
	}
	if got := applyContainerMemoryLimit(func(k string) string { return map[string]string{"GOMEMLIMIT": "300MiB"}[k] }, limited); got != 0 {
		t.Errorf("with GOMEMLIMIT: set %d, want 0 (left to the runtime)", got)
	}
}
