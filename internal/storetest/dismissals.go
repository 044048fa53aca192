package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/dismissals"
)

// dismissalsBound is the bound of the stores of dismissals of the
// contract: small, so that the test fills one.
const dismissalsBound = 3

// testDismissals checks the store of dismissals: what one replica
// dismisses, another reads, replaces and undoes; texts are checked; the
// bound holds; the log names who did what, newest first.
func testDismissals(t *testing.T, open Open) {
	replica := open(t)
	a, b := replica().NewDismissals(dismissalsBound), replica().NewDismissals(dismissalsBound)
	t0 := time.Now().UTC().Truncate(time.Millisecond)

	first := dismissals.Dismissal{Site: "shop.example", Author: "ana@blibli.com", Why: " a seller's own shop ", Time: t0}
	if err := a.Dismiss(ctx(t), first); err != nil {
		t.Fatal(err)
	}
	got, ok, err := b.Get(ctx(t), "shop.example")
	first.Why = "a seller's own shop" // trimmed
	if err != nil || !ok || got != first {
		t.Fatalf("the other replica reads %+v, %v, %v; want %+v", got, ok, err, first)
	}
	if _, ok, err := b.Get(ctx(t), "other.example"); ok || err != nil {
		t.Errorf("a site never dismissed reads as dismissed: %v, %v", ok, err)
	}

	again := dismissals.Dismissal{Site: "shop.example", Author: "budi@blibli.com", Why: "checked again", Time: t0.Add(time.Minute)}
	if err := b.Dismiss(ctx(t), again); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := a.Get(ctx(t), "shop.example"); got != again {
		t.Errorf("a dismissal again reads %+v, want it to replace the first: %+v", got, again)
	}

	for _, bad := range []dismissals.Dismissal{
		{Site: "x.example", Author: "ana", Why: "  ", Time: t0},
		{Site: "x.example", Author: "ana", Why: strings.Repeat("é", dismissals.MaxWhyLength+1), Time: t0},
		{Site: "x.example", Author: "", Why: "fine", Time: t0},
		{Site: "", Author: "ana", Why: "fine", Time: t0},
		{Site: "x.example", Author: "ana", Why: "line\nbreak", Time: t0},
		{Site: "x.example", Author: "ana", Why: "turned \u202earound", Time: t0},
	} {
		var fieldErr *dismissals.FieldError
		if err := a.Dismiss(ctx(t), bad); !errors.As(err, &fieldErr) {
			t.Errorf("Dismiss(%+v) = %v, want a field error", bad, err)
		}
	}

	for i := range dismissalsBound - 1 {
		d := dismissals.Dismissal{Site: fmt.Sprintf("s%d.example", i), Author: "ana", Why: "fine", Time: t0}
		if err := a.Dismiss(ctx(t), d); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Dismiss(ctx(t), dismissals.Dismissal{Site: "one-too-many.example", Author: "ana", Why: "fine", Time: t0}); !errors.Is(err, dismissals.ErrFull) {
		t.Errorf("a dismissal past the bound: %v, want ErrFull", err)
	}
	if err := b.Dismiss(ctx(t), again); err != nil {
		t.Errorf("a full store refuses to dismiss a site it keeps again: %v", err)
	}
	list, err := b.List(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	var sites []string
	for _, d := range list {
		sites = append(sites, d.Site)
	}
	slices.Sort(sites)
	if want := []string{"s0.example", "s1.example", "shop.example"}; !slices.Equal(sites, want) {
		t.Errorf("List: %v, want %v", sites, want)
	}

	undo, err := dismissals.UndoChange("shop.example", "citra@blibli.com", "", t0.Add(2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if undone, err := a.Undo(ctx(t), undo); err != nil || undone != again {
		t.Errorf("Undo: %+v, %v; want %+v", undone, err, again)
	}
	if _, err := b.Undo(ctx(t), undo); !errors.Is(err, dismissals.ErrNotFound) {
		t.Errorf("undo again: %v, want ErrNotFound", err)
	}
	if _, ok, _ := b.Get(ctx(t), "shop.example"); ok {
		t.Error("an undone dismissal still reads as dismissed")
	}

	log, err := b.Log(ctx(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []dismissals.Change{undo, again.Change(), {Op: dismissals.OpDismiss, Site: "s1.example", Author: "ana", Why: "fine", Time: t0}}
	if !slices.Equal(log, want) {
		t.Errorf("Log(3):\n%+v\nwant\n%+v", log, want)
	}
	all, err := a.Log(ctx(t), 100)
	if err != nil || len(all) != 6 || all[len(all)-1] != first.Change() {
		t.Errorf("Log(100): %d changes, %v; want 6 ending with the first dismissal (trimmed)", len(all), err)
	}
}
