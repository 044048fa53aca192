package gateway

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// The console's languages: Indonesian by default, and English.
const (
	langID = "id"
	langEN = "en"
	// langCookie remembers the language a person picked.
	langCookie = "safelink_console_lang"
)

// consoleLang is the language of one console page.
type consoleLang struct {
	Code string // langID or langEN
}

// Other is the code of the other language, for the switch.
func (l consoleLang) Other() string {
	if l.Code == langEN {
		return langID
	}
	return langEN
}

// T is the text of key in the page's language; an unknown key fails the
// page, so that no page goes out with a text missing.
func (l consoleLang) T(key string) (string, error) {
	t, ok := consoleText[key]
	if !ok {
		return "", fmt.Errorf("console text %q: no such key", key)
	}
	if l.Code == langEN {
		return t.en, nil
	}
	return t.id, nil
}

// When writes a time the same way in both languages: UTC, to the minute.
func (consoleLang) When(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// consoleLanguage is the language of a console request: the one ?lang=
// picks, remembered in a cookie, or the one remembered, or Indonesian.
func consoleLanguage(c echo.Context) consoleLang {
	if code := c.QueryParam("lang"); code == langID || code == langEN {
		c.SetCookie(&http.Cookie{Name: langCookie, Value: code, Path: "/console/", MaxAge: 365 * 24 * 3600,
			Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
		return consoleLang{Code: code}
	}
	if cookie, err := c.Cookie(langCookie); err == nil && cookie.Value == langEN {
		return consoleLang{Code: langEN}
	}
	return consoleLang{Code: langID}
}

// text is one text of the console in both languages.
type text struct{ id, en string }

// consoleText holds every text of the console's pages.
var consoleText = map[string]text{
	"console":      {"Konsol keamanan safelink", "safelink security console"},
	"skip":         {"Langsung ke isi", "Skip to content"},
	"nav":          {"Menu konsol", "Console menu"},
	"nav.overview": {"Ringkasan", "Overview"},
	"nav.rules":    {"Aturan", "Rules"},
	"nav.reports":  {"Laporan", "Reports"},
	"nav.audit":    {"Audit", "Audit"},
	"nav.check":    {"Cek URL", "Check a URL"},
	"lang.switch":  {"English", "Bahasa Indonesia"},
	"signedin":     {"Masuk sebagai", "Signed in as"},
	"signout":      {"Keluar", "Sign out"},
	"signin.title": {"Masuk ke konsol", "Sign in to the console"},
	"signin.intro": {"Tempel token admin kamu. Token tidak disimpan di browser; yang disimpan hanya sesi bertanda tangan yang berlaku 8 jam.",
		"Paste your admin token. The token is not kept in the browser; only a signed session that lasts 8 hours is."},
	"signin.token":  {"Token admin", "Admin token"},
	"signin.submit": {"Masuk", "Sign in"},
	"signin.proxy": {"Di belakang proxy autentikasi (misalnya oauth2-proxy) kamu sudah masuk dengan email kamu dan tidak perlu token.",
		"Behind the authenticating proxy (such as oauth2-proxy) you are signed in with your email and need no token."},

	"problem":              {"Ada masalah", "There is a problem"},
	"problem.proxy":        {"Header email proxy datang dari alamat yang tidak dipercaya.", "A proxy's email header came from an address that is not trusted."},
	"problem.email":        {"Email dari proxy tidak bisa dipakai sebagai nama.", "The proxy's email cannot be used as a name."},
	"problem.signin":       {"Kamu perlu masuk dulu.", "You need to sign in first."},
	"problem.token":        {"Token itu bukan token admin.", "That token is not an admin token."},
	"problem.toomany":      {"Terlalu banyak percobaan gagal. Tunggu sebentar, lalu coba lagi.", "Too many failed attempts. Wait a moment, then try again."},
	"problem.crosssite":    {"Formulir ini dikirim dari situs lain, jadi ditolak.", "This form was sent from another site, so it was refused."},
	"problem.csrf":         {"Formulir ini sudah kedaluwarsa atau bukan dari sesi kamu. Buka halamannya lagi, lalu kirim ulang.", "This form has expired or is not from your session. Open the page again and send it again."},
	"problem.rule":         {"Aturan ini belum bisa dipakai:", "This rule cannot be used yet:"},
	"problem.removal":      {"Aturan belum dihapus:", "The rule was not removed:"},
	"problem.notfound":     {"Aturan itu sudah tidak ada.", "That rule no longer exists."},
	"problem.nostore":      {"Tidak ada penyimpanan aturan yang dikonfigurasi.", "No rule store is configured."},
	"problem.store":        {"Penyimpanan bersama (Redis) tidak menjawab. Coba lagi sebentar lagi.", "The shared store (Redis) did not answer. Try again shortly."},
	"problem.filter":       {"Filter ini tidak bisa dipakai:", "This filter cannot be used:"},
	"problem.toolong":      {"URL itu terlalu panjang.", "That URL is too long."},
	"problem.dismissal":    {"Laporan belum diabaikan:", "The reports were not dismissed:"},
	"problem.undo":         {"Pengabaian belum dibatalkan:", "The dismissal was not undone:"},
	"problem.nodismissals": {"Tidak ada penyimpanan pengabaian yang dikonfigurasi.", "No store of dismissals is configured."},

	"rules.title":      {"Aturan tim keamanan", "Security-team rules"},
	"rules.filter":     {"Saring aturan", "Filter rules"},
	"rules.any":        {"Semua", "Any"},
	"rules.text":       {"Teks (nilai, alasan, penulis, ID)", "Text (value, reason, author, ID)"},
	"rules.apply":      {"Saring", "Filter"},
	"rules.shown":      {"Aturan yang cocok dengan filter", "Rules matching the filter"},
	"rules.of":         {"dari", "of"},
	"rules.none":       {"Tidak ada aturan yang cocok.", "No rule matches."},
	"rules.added":      {"Aturan ditambahkan:", "Rule added:"},
	"rules.removed":    {"Aturan dihapus:", "Rule removed:"},
	"rules.add":        {"Tambah aturan", "Add a rule"},
	"rules.add.intro":  {"Kamu akan melihat pratinjau dampaknya dulu sebelum aturan berlaku.", "You will see a preview of its effect before the rule applies."},
	"rules.expiresin":  {"Berlaku selama (misalnya 30m, 12h, 7d; kosong: selamanya)", "Lasts (such as 30m, 12h, 7d; empty: for ever)"},
	"rules.preview":    {"Lihat pratinjau", "Preview"},
	"rules.remove":     {"Hapus", "Remove"},
	"rules.why":        {"Alasan menghapus", "Why remove it"},
	"rules.never":      {"tidak pernah", "never"},
	"field.id":         {"ID", "ID"},
	"field.match":      {"Cocokkan", "Match"},
	"field.value":      {"Nilai", "Value"},
	"field.action":     {"Tindakan", "Action"},
	"field.reason":     {"Alasan", "Reason"},
	"field.author":     {"Penulis", "Author"},
	"field.created":    {"Dibuat", "Created"},
	"field.expires":    {"Berakhir", "Expires"},
	"field.time":       {"Waktu", "Time"},
	"field.op":         {"Perubahan", "Change"},
	"field.note":       {"Catatan", "Note"},
	"field.rule":       {"Aturan", "Rule"},
	"field.why":        {"Alasan", "Why"},
	"match.domain":     {"domain (dan subdomainnya)", "domain (and its subdomains)"},
	"match.host":       {"host (persis)", "host (exactly)"},
	"match.url-prefix": {"awalan URL", "URL prefix"},
	"action.block":     {"blokir", "block"},
	"action.warn":      {"peringatkan", "warn"},
	"action.allow":     {"izinkan", "allow"},
	"action.reported":  {"dilaporkan", "reported"},
	"action.redirect":  {"dialihkan", "redirect"},
	"action.invalid":   {"tidak valid", "invalid"},

	"preview.title": {"Pratinjau aturan baru", "Preview of the new rule"},
	"preview.effect": {"Dalam 24 jam terakhir, klik ke domain ini:",
		"In the last 24 hours, clicks to this domain:"},
	"preview.exact": {"Aturan ini mencakup seluruh domain, jadi jumlah ini adalah klik yang akan cocok.",
		"The rule covers the whole domain, so this is the number of clicks it would have matched."},
	"preview.atmost": {"Aturan ini hanya mencakup sebagian domain, jadi ini batas atas klik yang akan cocok.",
		"The rule covers only part of the domain, so this is an upper bound of the clicks it would have matched."},
	"preview.top": {"Hitungan ini berasal dari statistik per menit, yang hanya menyimpan domain yang paling banyak diklik (paling banyak 100 per menit). Domain yang jarang diklik bisa tercatat 0.",
		"These counts come from the per-minute statistics, which keep only the most-clicked domains (at most 100 a minute). A rarely clicked domain may show 0."},
	"preview.nostats": {"Statistik per menit tidak dikonfigurasi, jadi dampaknya tidak bisa dihitung.",
		"Per-minute statistics are not configured, so the effect cannot be counted."},
	"preview.nosite":  {"Aturan ini tidak menunjuk ke satu domain, jadi dampaknya tidak bisa dihitung.", "This rule names no single domain, so its effect cannot be counted."},
	"preview.clicks":  {"Klik", "Clicks"},
	"preview.total":   {"Total", "Total"},
	"preview.domain":  {"Domain", "Domain"},
	"preview.confirm": {"Tambahkan aturan ini", "Add this rule"},
	"preview.change":  {"Ubah dulu", "Change it first"},

	"reports.title":       {"Laporan pengguna", "Users' reports"},
	"reports.none.reader": {"Tidak ada penyimpanan event yang dikonfigurasi, jadi laporan tidak bisa dibaca.", "No event store is configured, so reports cannot be read."},
	"reports.intro": {"Laporan 7 hari terakhir, dikelompokkan menurut domain; yang belum diputuskan di atas. Laporan yang dibaca, paling banyak 1000:",
		"The reports of the last 7 days, grouped by domain; the undecided ones first. Reports read, at most 1000:"},
	"reports.count":       {"Laporan", "Reports"},
	"reports.reporters":   {"Pelapor berbeda", "Distinct reporters"},
	"reports.first":       {"Pertama", "First"},
	"reports.last":        {"Terakhir", "Last"},
	"reports.categories":  {"Kategori", "Categories"},
	"reports.saw":         {"Yang dilihat pelapor", "What the reporter saw"},
	"reports.comment":     {"Komentar terakhir", "Latest comment"},
	"reports.decided":     {"Keputusan", "Decision"},
	"reports.open":        {"belum diputuskan", "not decided yet"},
	"reports.reason":      {"Dilaporkan pengguna", "Reported by users"},
	"reports.block":       {"Blokir…", "Block…"},
	"reports.warn":        {"Peringatkan…", "Warn…"},
	"reports.empty":       {"Belum ada laporan.", "No reports yet."},
	"reports.dismiss":     {"Abaikan, salah lapor", "Dismiss as a false positive"},
	"reports.dismiss.why": {"Kenapa laporan ini salah (wajib)", "Why these reports are wrong (required)"},
	"reports.dismissed":   {"diabaikan, salah lapor", "dismissed as a false positive"},
	"reports.dismissed.done": {"Laporan domain ini diabaikan sebagai salah lapor; laporan berikutnya tidak akan memasang peringatan otomatis:",
		"This domain's reports were dismissed as a false positive; its later reports will add no automatic warning:"},
	"reports.undo":   {"Batalkan pengabaian", "Undo the dismissal"},
	"reports.undone": {"Pengabaian dibatalkan; laporan domain ini bisa memasang peringatan otomatis lagi:", "Dismissal undone; this domain's reports can add an automatic warning again:"},

	"audit.title":  {"Log audit", "Audit log"},
	"audit.filter": {"Saring log", "Filter the log"},
	"audit.from":   {"Dari (UTC)", "From (UTC)"},
	"audit.to":     {"Sampai (UTC)", "To (UTC)"},
	"audit.format": {"Tulis tanggal (2026-01-31, sepanjang hari) atau tanggal dan jam (2026-01-31T14:05), dalam UTC.",
		"Write a date (2026-01-31, the whole day) or a date and time (2026-01-31T14:05), in UTC."},
	"audit.searched": {"Mencari di perubahan terbaru, paling banyak", "Searching the latest changes, at most"},
	"audit.none":     {"Tidak ada perubahan yang cocok.", "No change matches."},
	"op.add":         {"tambah", "add"},
	"op.remove":      {"hapus", "remove"},
	"op.expire":      {"kedaluwarsa", "expire"},
	"op.dismiss":     {"abaikan laporan", "dismiss reports"},
	"op.undo":        {"batalkan pengabaian", "undo a dismissal"},

	"overview.title":     {"Ringkasan", "Overview"},
	"overview.period":    {"Periode", "Period"},
	"period.hour":        {"1 jam terakhir", "Last hour"},
	"period.day":         {"24 jam terakhir", "Last 24 hours"},
	"period.week":        {"7 hari terakhir", "Last 7 days"},
	"overview.clicks":    {"Klik menurut tindakan", "Clicks by action"},
	"overview.chart":     {"Grafik klik per menit atau per jam menurut tindakan; angkanya ada di tabel.", "Chart of clicks a minute or an hour by action; the figures are in the table."},
	"overview.max":       {"Puncak grafik", "Top of the chart"},
	"overview.start":     {"Mulai (UTC)", "Start (UTC)"},
	"overview.total":     {"Total periode ini", "Total of the period"},
	"overview.ctr":       {"Yang tetap lanjut setelah peringatan, menurut alasan", "Click-through past a warning, by reason"},
	"overview.warned":    {"Diperingatkan", "Warned"},
	"overview.continued": {"Tetap lanjut", "Went on"},
	"overview.rate":      {"Persentase", "Rate"},
	"overview.topwarn":   {"Domain yang paling sering diperingatkan", "Most warned domains"},
	"overview.topblock":  {"Domain yang paling sering diblokir", "Most blocked domains"},
	"overview.topnote":   {"Dari statistik per menit, yang hanya menyimpan domain yang paling banyak diklik.", "From the per-minute statistics, which keep only the most-clicked domains."},
	"overview.reports":   {"Laporan pengguna dalam periode ini", "Users' reports in the period"},
	"overview.lists":     {"Kesegaran daftar ancaman", "Threat-list freshness"},
	"overview.source":    {"Sumber", "Source"},
	"overview.state":     {"Keadaan", "State"},
	"overview.age":       {"Umur", "Age"},
	"overview.nolists":   {"Tidak ada daftar ancaman yang dikonfigurasi.", "No threat lists are configured."},
	"overview.expiring":  {"Aturan yang berakhir dalam 24 jam", "Rules that expire within 24 hours"},
	"overview.none":      {"Tidak ada.", "None."},
	"overview.nostats":   {"Statistik per menit tidak dikonfigurasi.", "Per-minute statistics are not configured."},

	"check.title": {"Cek URL", "Check a URL"},
	"check.intro": {"Putuskan sebuah link seperti saat diklik (tanpa tanda tangan), dengan aturan dan daftar ancaman replika ini. Link tidak dibuka.",
		"Decide on a link as a click would (unsigned), with this replica's rules and threat lists. The link is not opened."},
	"check.url":       {"URL", "URL"},
	"check.submit":    {"Cek", "Check"},
	"check.result":    {"Hasil", "Result"},
	"check.action":    {"Tindakan", "Action"},
	"check.reasons":   {"Alasan", "Reasons"},
	"check.problem":   {"Masalah", "Problem"},
	"check.target":    {"Tujuan", "Target"},
	"check.site":      {"Situs", "Site"},
	"check.imitates":  {"Meniru", "Imitates"},
	"check.rule":      {"Aturan yang memutuskan", "Rule that decided"},
	"check.threats":   {"Daftar ancaman", "Threat lists"},
	"check.sources":   {"Sumber daftar", "List sources"},
	"check.lists":     {"Keadaan daftar", "Lists"},
	"check.unwrapped": {"Dibuka dari link gateway", "Unwrapped"},
}
