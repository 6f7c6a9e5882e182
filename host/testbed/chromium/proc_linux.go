//go:build linux

package chromium

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"time"
)

// needsDisplayEnv reports whether a visible window needs DISPLAY or
// WAYLAND_DISPLAY, as it does on Linux.
func needsDisplayEnv() bool { return true }

// killLeftovers kills the processes still running with profile as their user
// data directory. Chromium passes --user-data-dir to each of its children,
// and a renderer or the zygote can outlive a killed browser and keep writing
// into the profile, which Close is about to remove. The native host needs no
// such care: it exits when the browser's end of its stdin closes.
func killLeftovers(profile string) {
	want := []byte("--user-data-dir=" + profile)
	deadline := time.Now().Add(2 * time.Second)
	// Look again until nothing is found: a child can fork just as its
	// parent dies.
	for quiet := 0; quiet < 3 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if killUsing(want) == 0 {
			quiet++
		} else {
			quiet = 0
		}
	}
}

func killUsing(arg []byte) int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil {
			continue
		}
		for a := range bytes.SplitSeq(cmdline, []byte{0}) {
			if bytes.Equal(a, arg) {
				syscall.Kill(pid, syscall.SIGKILL)
				n++
				break
			}
		}
	}
	return n
}
