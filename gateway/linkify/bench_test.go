package linkify

import (
	"fmt"
	"strings"
	"testing"

	"github.com/blibli/safelink/gateway/linksign"
)

// benchSentences are chat lines without links, mixed into the benchmark
// messages.
var benchSentences = []string{
	"Halo kak, barangnya masih ready? 😊",
	"Ready kak, stok tinggal 3 ya.",
	"Harganya Rp150.000 sudah termasuk ongkir ke Jakarta?",
	"Belum kak, ongkir dihitung pas checkout.",
	"Oke kak.Saya mau yang warna hitam ukuran 42 🙏",
	"Bisa dikirim hari ini? Soalnya buat kado 🎁",
	"Bisa kak, pesanan sebelum jam 15.00 dikirim hari ini.",
	"Makasih banyak kak!! ⭐⭐⭐⭐⭐",
	"Is the warranty 1 year or 2 years?",
	"Garansi resmi 1 tahun kak, invoice.pdf nanti dikirim.",
}

// benchLinks are the links placed in the benchmark messages, three each.
var benchLinks = []string{
	"https://www.blibli.com/p/sepatu-lari-pria-hitam/ps--ABC-12345?ds=ABC-12345-00001&source=chat",
	"bit.ly/promo1212",
	"wa.me/6281234567890",
	"https://en.wikipedia.org/wiki/Foo_(bar)",
	"www.tokopedia.com/toko-sebelah/sepatu",
	"s.id/voucher-gratis",
}

// benchMessages returns n chat messages of 1 KiB with three links each.
func benchMessages(n int) []string {
	msgs := make([]string, n)
	for i := range msgs {
		var b strings.Builder
		for j := 0; b.Len() < 1024; j++ {
			if j%4 == 1 && j/4 < 3 {
				b.WriteString("cek " + benchLinks[(i+j/4)%len(benchLinks)] + " ya\n")
			}
			b.WriteString(benchSentences[(i+j)%len(benchSentences)])
			b.WriteString("\n")
		}
		msgs[i] = b.String()[:1024]
	}
	return msgs
}

func reportMessagesPerSecond(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

func BenchmarkFind(b *testing.B) {
	msgs := benchMessages(16)
	for _, m := range msgs {
		if n := len(Find(m)); n != 3 {
			b.Fatalf("benchmark message has %d links, want 3:\n%s", n, m)
		}
	}
	b.SetBytes(1024)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Find(msgs[i%len(msgs)])
	}
	reportMessagesPerSecond(b)
}

func BenchmarkRewrite(b *testing.B) {
	keys, err := linksign.ParseKeyring("k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	if err != nil {
		b.Fatal(err)
	}
	r := mustRewriter(b, base, keys)
	msgs := benchMessages(16)
	b.SetBytes(1024)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r.Rewrite(msgs[i%len(msgs)])
	}
	reportMessagesPerSecond(b)
}

// BenchmarkFindCrafted measures the worst cases found for the scan budget:
// a 4 KiB word of IP addresses and top-level domains, whose many short
// matches each make xurls read the rest of the word, and two 4 KiB host
// names, the kind of text xurls reads slowest.
func BenchmarkFindCrafted(b *testing.B) {
	for name, msg := range map[string]string{
		"matches": strings.Repeat("1.1.1.1.id-", 372),
		"hosts":   strings.Repeat("a.co.", 800) + " " + strings.Repeat("b.co.", 800),
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(msg)))
			for b.Loop() {
				Find(msg)
			}
			reportMessagesPerSecond(b)
		})
	}
}

// BenchmarkFindLength shows how finding grows with the length of a
// message: chat text with a link every 340 bytes or so.
func BenchmarkFindLength(b *testing.B) {
	long := strings.Join(benchMessages(8), "")
	for _, n := range []int{256, 1024, 4096} {
		msg := long[:n]
		b.Run(fmt.Sprintf("bytes=%d", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				Find(msg)
			}
		})
	}
}
