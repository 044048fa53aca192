package verdict

import (
	"net/url"
	"strings"
)

// appFileExtensions are the endings of Android app files: the package
// itself and the bundles of split packages that sideloading apps install.
var appFileExtensions = []string{".apk", ".apks", ".xapk", ".apkm"}

// IsAppFile reports whether the last segment of the URL path p names an
// Android app file, however it is spelled: letter case, percent-encoding
// (%2Eapk), a trailing dot or space and a double extension
// (resi.pdf.apk) do not hide it.
func IsAppFile(p string) bool {
	last := p[strings.LastIndexByte(p, '/')+1:]
	if decoded, err := url.PathUnescape(last); err == nil {
		last = decoded
	}
	// A space, dot or NUL at the end is dropped by some servers and
	// download managers.
	last = strings.ToLower(strings.TrimRight(last, " .\x00"))
	for _, ext := range appFileExtensions {
		if strings.HasSuffix(last, ext) {
			return true
		}
	}
	return false
}
