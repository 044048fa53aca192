//go:build unix

package signals_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used, user and kernel, every
// thread (the garbage collector's too). Unlike wall time, other processes
// on a busy machine do not inflate it.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
