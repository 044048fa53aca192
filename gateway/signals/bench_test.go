package signals_test

import (
	"fmt"
	"strings"
	"testing"
)

// chat is a mix of everyday messages and scam messages, repeated to the
// sizes the benchmarks measure.
const chat = "kak barangnya ready? mau order 2, kirim hari ini bisa? " +
	"harganya Rp 150.000 udah termasuk ongkir ke bandung 40115 ya kak. " +
	"kak barusan ada kode OTP masuk, tolong kirim ke saya ya biar pesanan diproses. " +
	"lanjut di wa aja 0812-3456-7890, transfer langsung ke rekening saya bca 1234567890. " +
	"ini aplikasi lacak paketnya kak, install dulu: Lacak_Paket.apk 🙏 "

// everyday is chat with no signal but a link to a chat app, as most
// messages are, at the 1 KiB of the load benchmark's rewrite scenario.
var everyday = repeatTo("Halo kak, barangnya masih ada? Aku mau pesan yang warna biru ukuran 42 ya. "+
	"Kemarin aku lihat di https://www.blibli.com/p/sepatu-lari-pria/ps--ABC-60012-00001 harganya beda. "+
	"Kalau mau nego bisa lewat wa.me/6281234567890 katanya. Terima kasih banyak kak, ditunggu kabarnya ya. ", 1<<10)

// adversarial inputs try to make the matcher slow: a word every pattern
// starts with and no end, spaced letters, a phrase cut short again and
// again, digits without end, an unless word everywhere.
var adversarial = map[string]string{
	"ask-ask-ask":     "kirim minta kasih tau ",
	"secret-secret":   "kode otp pin password ",
	"spaced-letters":  "k o d e o t p ",
	"unended-phrase":  "kode verif kata kasih ",
	"digits":          "0812 3456 ",
	"never-and-match": "jangan kirim kode otp ",
	"marks":           "o\u200bt\u0301p\ufe0f ",
	"one-long-word":   "a",
	"punctuation":     "?!.,;: ",
}

func repeatTo(s string, n int) string {
	return strings.Repeat(s, n/len(s)+1)[:n]
}

// loop runs f for b.N iterations and reports, beside the wall time, the CPU
// time of an iteration and of a byte, which other processes on a busy
// machine do not inflate.
func loop(b *testing.B, bytes int, f func()) {
	b.SetBytes(int64(bytes))
	start := processCPU()
	for b.Loop() {
		f()
	}
	if used := processCPU() - start; used > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N)/float64(bytes), "cpu-ns/B")
	}
}

// BenchmarkDetect measures the detector on chat of growing size, a
// baseline of the same bytes split on spaces beside it: time per byte
// stays flat when the detector is linear.
func BenchmarkDetect(b *testing.B) {
	d := embeddedDetector(b)
	for _, n := range []int{256, 1 << 10, 4 << 10, 16 << 10} {
		text := repeatTo(chat, n)
		b.Run(fmt.Sprintf("chat/bytes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			loop(b, n, func() { d.Detect(text) })
		})
		b.Run(fmt.Sprintf("baseline-fields/bytes=%d", n), func(b *testing.B) {
			loop(b, n, func() { strings.Fields(text) })
		})
	}
}

// BenchmarkDetectEveryday measures the detector on an everyday 1 KiB
// message, beside the same baseline.
func BenchmarkDetectEveryday(b *testing.B) {
	d := embeddedDetector(b)
	b.Run("everyday", func(b *testing.B) {
		b.ReportAllocs()
		loop(b, len(everyday), func() { d.Detect(everyday) })
	})
	b.Run("baseline-fields", func(b *testing.B) {
		loop(b, len(everyday), func() { strings.Fields(everyday) })
	})
}

// BenchmarkDetectAdversarial measures inputs built to be slow, at 1 KiB
// and 16 KiB: time per byte must not grow with the size.
func BenchmarkDetectAdversarial(b *testing.B) {
	d := embeddedDetector(b)
	for name, unit := range adversarial {
		for _, n := range []int{1 << 10, 16 << 10} {
			text := repeatTo(unit, n)
			b.Run(fmt.Sprintf("%s/bytes=%d", name, n), func(b *testing.B) {
				loop(b, n, func() { d.Detect(text) })
			})
		}
	}
}
