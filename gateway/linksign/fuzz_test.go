package linksign

import "testing"

func FuzzSignature(f *testing.F) {
	old := mustParse(f, "k1:"+secretA)
	rotated := mustParse(f, "k2:"+secretB+",k1:"+secretA)
	f.Add("https://bit.ly/x", "https://bit.ly/y", "k1.-2rs3MdFRWf-opHS6110iQ")
	f.Add("https://bit.ly/x", "https://bit.ly/x", "k1.-2rs3MdFRWf-opHS6110iR")
	f.Add("", "x", "k2.AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("https://пример.рф/путь", "https://xn--e1afmkfd.xn--p1ai/путь", ".")
	f.Fuzz(func(t *testing.T, target, other, sig string) {
		oldSig, newSig := old.Sign(target), rotated.Sign(target)
		for _, s := range []string{oldSig, newSig} {
			if err := rotated.Verify(target, s); err != nil {
				t.Fatalf("Verify(%q, %q) = %v for its own signature", target, s, err)
			}
			if other != target && rotated.Verify(other, s) == nil {
				t.Fatalf("signature %q of %q verifies for %q", s, target, other)
			}
		}
		if old.Verify(target, newSig) == nil {
			t.Fatalf("signature %q by a key missing from the keyring verifies", newSig)
		}
		valid := sig == oldSig || sig == newSig
		if err := rotated.Verify(target, sig); (err == nil) != valid {
			t.Fatalf("Verify(%q, %q) = %v; own signatures are %q and %q", target, sig, err, oldSig, newSig)
		}
		want := Tampered
		switch {
		case sig == "":
			want = Unsigned
		case valid:
			want = SignedValid
		}
		if got := rotated.Check(target, sig); got != want {
			t.Fatalf("Check(%q, %q) = %v, want %v", target, sig, got, want)
		}
	})
}
