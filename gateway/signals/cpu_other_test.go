//go:build !unix

package signals_test

import "time"

// processCPU is not measured here: the benchmarks report wall time alone.
func processCPU() time.Duration { return 0 }
