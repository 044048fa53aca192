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
		r.Rewrite(msgs[i%len(msgs)], "")
	}
	reportMessagesPerSecond(b)
}

// lengthKinds are the kinds of text BenchmarkFindLength grows: chat with
// a link every 340 bytes or so, chat without links, and words crafted
// against a finder: dotted numbers and top-level domains (what made xurls'
// expression read the rest of a word after each of its many matches), host
// names, open brackets in a path, schemes, and e-mail addresses.
var lengthKinds = []struct {
	name string
	unit string
}{
	{"chat", strings.Join(benchMessages(8), "")},
	{"plain", "Halo kak, barangnya masih ready? Bisa kirim hari ini? "},
	{"dotted", "1.1.1.1.id-"},
	{"hosts", "a.co."},
	{"brackets", "https://x.com/((a)"},
	{"schemes", "https://"},
	{"emails", "budi@gmail.com,"},
}

// BenchmarkFindLength shows how finding grows with the length of a
// message: linear, when the throughput (MB/s) stays the same from 1 KiB to
// 64 KiB, the rewrite API's largest message.
func BenchmarkFindLength(b *testing.B) {
	for _, kind := range lengthKinds {
		for _, n := range []int{1 << 10, 16 << 10, 64 << 10} {
			msg := strings.Repeat(kind.unit, n/len(kind.unit)+1)[:n]
			b.Run(fmt.Sprintf("%s/bytes=%d", kind.name, n), func(b *testing.B) {
				b.SetBytes(int64(n))
				b.ReportAllocs()
				for b.Loop() {
					Find(msg)
				}
			})
		}
	}
}
