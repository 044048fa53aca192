package linksign

import "testing"

const benchTarget = "https://www.blibli.com/p/sepatu-lari-pria-hitam/ps--ABC-12345?ds=ABC-12345-00001&source=chat"

func BenchmarkSign(b *testing.B) {
	k := mustParse(b, "k2:"+secretB+",k1:"+secretA)
	b.ReportAllocs()
	for b.Loop() {
		k.Sign(benchTarget, "")
	}
}

func BenchmarkVerify(b *testing.B) {
	k := mustParse(b, "k2:"+secretB+",k1:"+secretA)
	sig := k.Sign(benchTarget, "")
	b.ReportAllocs()
	for b.Loop() {
		if err := k.Verify(benchTarget, "", sig); err != nil {
			b.Fatal(err)
		}
	}
}
