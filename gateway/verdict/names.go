package verdict

import (
	"fmt"
	"slices"
	"strings"
)

// parseName returns the member of known spelled s. The error names what
// was asked for (such as "threat type") and every known spelling.
func parseName[T ~string](what string, known []T, s string) (T, error) {
	v := T(s)
	if !slices.Contains(known, v) {
		return "", fmt.Errorf("unknown %s %q (known: %s)", what, s, joinNames(known))
	}
	return v, nil
}

// joinNames returns names as a comma-separated list.
func joinNames[T ~string](names []T) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = string(n)
	}
	return strings.Join(out, ",")
}
