//go:build linux

package chromium_test

import (
	"os"
	"strconv"
	"time"
)

// processesOf returns the processes running the binary at path, waiting up
// to a second for ones that are on their way out.
func processesOf(path string) []int {
	deadline := time.Now().Add(time.Second)
	for {
		var pids []int
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			if exe, err := os.Readlink("/proc/" + e.Name() + "/exe"); err == nil && exe == path {
				pids = append(pids, pid)
			}
		}
		if len(pids) == 0 || time.Now().After(deadline) {
			return pids
		}
		time.Sleep(20 * time.Millisecond)
	}
}
