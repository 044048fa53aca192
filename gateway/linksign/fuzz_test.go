package linksign

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// FuzzSignature checks signing and verification over a rotated keyring:
// a target's own signatures (by the new and the old key) verify for it and
// for no other target, a key missing from a keyring verifies nothing, any
// other signature is refused, and Check agrees with Verify.
func FuzzSignature(f *testing.F) {
	old := mustParse(f, "k1:"+secretA)
	rotated := mustParse(f, "k2:"+secretB+",k1:"+secretA)
	f.Add("https://bit.ly/x", "https://bit.ly/y", "k1.-2rs3MdFRWf-opHS6110iQ")
	f.Add("https://bit.ly/x", "https://bit.ly/x", "k1.-2rs3MdFRWf-opHS6110iR")
	f.Add("", "x", "k2.AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("https://пример.рф/путь", "https://xn--e1afmkfd.xn--p1ai/путь", ".")
	f.Fuzz(func(t *testing.T, target, other, sig string) {
		oldSig, newSig := old.Sign(target, ""), rotated.Sign(target, "")
		for _, s := range []string{oldSig, newSig} {
			if err := rotated.Verify(target, "", s); err != nil {
				t.Fatalf("Verify(%q, %q) = %v for its own signature", target, s, err)
			}
			if other != target && rotated.Verify(other, "", s) == nil {
				t.Fatalf("signature %q of %q verifies for %q", s, target, other)
			}
		}
		if old.Verify(target, "", newSig) == nil {
			t.Fatalf("signature %q by a key missing from the keyring verifies", newSig)
		}
		valid := sig == oldSig || sig == newSig
		if err := rotated.Verify(target, "", sig); (err == nil) != valid {
			t.Fatalf("Verify(%q, %q) = %v; own signatures are %q and %q", target, sig, err, oldSig, newSig)
		}
		want := Tampered
		switch {
		case sig == "":
			want = Unsigned
		case valid:
			want = SignedValid
		}
		if got := rotated.Check(target, "", sig); got != want {
			t.Fatalf("Check(%q, %q) = %v, want %v", target, sig, got, want)
		}
	})
}

// FuzzParseKeyring checks the parser of SAFELINK_SIGNING_KEYS: it never
// panics; neither its errors nor a printed keyring repeat a secret; what it
// accepts has unique, URL-safe key ids in spec order; its first key signs,
// and each key verifies what it signs alone, so rotation keeps old links
// valid.
func FuzzParseKeyring(f *testing.F) {
	f.Add("k1:" + secretA)
	f.Add(" k2:" + secretB + " , k1:" + secretA + " ")
	f.Add("k1:" + strings.TrimRight(secretA, "="))
	f.Add("k1:" + secretA + ",k1:" + secretB)
	f.Add("k.1:" + secretA)
	f.Add("k1:MTIz")
	f.Add("k1:" + secretA + ",")
	f.Add("k1:" + secretA + ":" + secretB)
	f.Add("k1:" + strings.ReplaceAll(secretA, "+", "-"))
	f.Fuzz(func(t *testing.T, spec string) {
		k, err := ParseKeyring(spec)
		if err != nil {
			checkNoSecret(t, spec, err.Error())
			return
		}
		checkNoSecret(t, spec, k.String())
		entries := strings.Split(spec, ",")
		ids := k.KeyIDs()
		if len(ids) != len(entries) {
			t.Fatalf("ParseKeyring(%q) has %d keys for %d entries", spec, len(ids), len(entries))
		}
		for i, id := range ids {
			if id == "" || len(id) > maxKeyIDLen || !isKeyID(id) || slices.Contains(ids[:i], id) {
				t.Fatalf("ParseKeyring(%q) gave key ids %q", spec, ids)
			}
			if want, _, _ := strings.Cut(strings.TrimSpace(entries[i]), ":"); id != want {
				t.Fatalf("ParseKeyring(%q): key %d is %q, want %q", spec, i, id, want)
			}
		}
		const target = "https://www.blibli.com/p/sepatu?id=7"
		sig := k.Sign(target, "")
		if !strings.HasPrefix(sig, ids[0]+".") || k.Verify(target, "", sig) != nil {
			t.Fatalf("ParseKeyring(%q) signs %q, which it does not verify", spec, sig)
		}
		for _, entry := range entries {
			alone := mustParse(t, entry)
			if err := k.Verify(target, "", alone.Sign(target, "")); err != nil {
				t.Fatalf("ParseKeyring(%q) does not verify what its key %q signs: %v", spec, alone.KeyIDs()[0], err)
			}
		}
	})
}

// checkNoSecret fails if text, without the key ids it quotes, repeats the
// secret of an entry of spec that appears nowhere else in it.
func checkNoSecret(t *testing.T, spec, text string) {
	t.Helper()
	for entry := range strings.SplitSeq(spec, ",") {
		id, _, _ := strings.Cut(strings.TrimSpace(entry), ":")
		text = strings.ReplaceAll(text, strconv.Quote(id), "")
	}
	for entry := range strings.SplitSeq(spec, ",") {
		_, secret, found := strings.Cut(strings.TrimSpace(entry), ":")
		if !found || len(secret) < 8 || strings.Count(spec, secret) > 1 {
			continue
		}
		if strings.Contains(text, secret) {
			t.Fatalf("ParseKeyring(%q): %q repeats the secret %q", spec, text, secret)
		}
	}
}

// FuzzContextBinding checks that a signature binds its message context: it
// verifies for the target and context it was made for and for no other
// pair, whatever bytes either holds.
func FuzzContextBinding(f *testing.F) {
	k := mustParse(f, "k1:"+secretA)
	f.Add("https://bit.ly/x", "credential-request", "https://bit.ly/x", "")
	f.Add("https://bit.ly/x", "", "credential-request\x00https://bit.ly/x", "")
	f.Add("b", "a", "a\x00b", "")
	f.Fuzz(func(t *testing.T, target, context, otherTarget, otherContext string) {
		if strings.IndexByte(context, 0) >= 0 {
			return // Sign refuses it
		}
		sig := k.Sign(target, context)
		if err := k.Verify(target, context, sig); err != nil {
			t.Fatalf("Verify(%q, %q) of its own signature: %v", target, context, err)
		}
		same := otherTarget == target && otherContext == context
		if err := k.Verify(otherTarget, otherContext, sig); (err == nil) != same {
			t.Fatalf("Verify(%q, %q) = %v for the signature of (%q, %q)", otherTarget, otherContext, err, target, context)
		}
	})
}
