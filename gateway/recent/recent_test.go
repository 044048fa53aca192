package recent

import (
	"strings"
	"testing"
)

func TestMapStaysBounded(t *testing.T) {
	const max = 8
	m := New[int](max, 16)
	for i := range 3*max + 1 {
		m.Put(strings.Repeat("k", i%16+1), i)
		if m.Len() > max {
			t.Fatalf("the map holds %d entries, at most %d wanted", m.Len(), max)
		}
	}
	m.Put("a", 1)
	if v, ok := m.Get("a"); !ok || v != 1 {
		t.Errorf("Get(a) = %d, %v just after Put", v, ok)
	}
	long := strings.Repeat("x", 17)
	m.Put(long, 2)
	if _, ok := m.Get(long); ok {
		t.Error("a key longer than the bound was kept")
	}
	unbounded := New[int](max, 0)
	unbounded.Put(long, 3)
	if v, ok := unbounded.Get(long); !ok || v != 3 {
		t.Errorf("without a key bound, Get = %d, %v", v, ok)
	}
}
