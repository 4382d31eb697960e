package main

import (
	"io/fs"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// The Go heap may use memoryLimitTenths tenths of the container's memory
// limit when GOMEMLIMIT is not set: the rest is for stacks, the embedded NATS
// server's buffers and what the kernel counts against the cgroup.
const memoryLimitTenths = 9

// applyContainerMemoryLimit sets Go's soft memory limit from the cgroup's
// when GOMEMLIMIT is not set, so that GOGC=400 (defaultGOGC) cannot grow the
// heap past what the container may use: near the limit the collector works
// harder instead of the kernel killing the process. It returns the limit
// set, 0 when none was (GOMEMLIMIT set, no cgroup limit, not Linux).
func applyContainerMemoryLimit(getenv func(string) string, root fs.FS) int64 {
	if getenv("GOMEMLIMIT") != "" {
		return 0
	}
	limit, ok := cgroupMemoryLimit(root)
	if !ok {
		return 0
	}
	set := limit / 10 * memoryLimitTenths
	debug.SetMemoryLimit(set)
	return set
}

// cgroupMemoryLimit reads the memory limit of the process's cgroup, v2
// (memory.max) or v1 (memory/memory.limit_in_bytes), from root (the host's
// /sys/fs/cgroup). "max" and v1's page-rounded MaxInt64 mean no limit.
func cgroupMemoryLimit(root fs.FS) (int64, bool) {
	for _, name := range []string{"memory.max", "memory/memory.limit_in_bytes"} {
		b, err := fs.ReadFile(root, name)
		if err != nil {
			continue
		}
		s := strings.TrimSpace(string(b))
		if s == "max" {
			return 0, false
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 || n >= math.MaxInt64/2 {
			return 0, false
		}
		return n, true
	}
	return 0, false
}

// cgroupFS is the cgroup hierarchy of the host.
func cgroupFS() fs.FS { return os.DirFS("/sys/fs/cgroup") }
