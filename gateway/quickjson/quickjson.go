// Package quickjson reads the JSON that the rewrite API receives with
// every chat message, an object whose members are strings or arrays of
// strings, in one pass over its bytes: several times faster than
// encoding/json, whose scanner calls a function for every byte.
//
// It reads nothing else. For JSON of any other shape, for JSON that is not
// valid, and for the rare spellings it leaves alone (a member named twice,
// null, an escaped UTF-16 surrogate, bytes that are not UTF-8), it says it
// did not read the data, and the caller decodes it with encoding/json,
// which then gives the answer and the error messages. What it reads, it
// reads as encoding/json would: a fuzz test holds the two equal.
package quickjson

import (
	"unicode/utf8"
)

// Member is one member of an object: a string, or an array of strings.
type Member struct {
	Name    string
	IsArray bool
	String  string   // the value, when it is a string
	Strings []string // the value, when it is an array (never nil)
}

// MaxMembers bounds the members of an object Object reads: the objects it
// is for have a few, and each member is compared with those before it.
const MaxMembers = 16

// Object returns the members of the one object that data holds, in order,
// and true; false when it did not read data (see the package comment), or
// when the object has more than MaxMembers members.
func Object(data []byte) ([]Member, bool) {
	r := reader{data: data}
	r.space()
	if !r.take('{') {
		return nil, false
	}
	var members []Member
	r.space()
	if !r.take('}') {
		for {
			m, ok := r.member()
			if !ok || len(members) == MaxMembers || hasName(members, m.Name) {
				return nil, false
			}
			members = append(members, m)
			r.space()
			if r.take('}') {
				break
			}
			if !r.take(',') {
				return nil, false
			}
			r.space()
		}
	}
	r.space()
	return members, r.at == len(data)
}

func hasName(members []Member, name string) bool {
	for _, m := range members {
		if m.Name == name {
			return true
		}
	}
	return false
}

// reader reads data from at.
type reader struct {
	data []byte
	at   int
}

// space passes over JSON's white space.
func (r *reader) space() {
	for r.at < len(r.data) {
		switch r.data[r.at] {
		case ' ', '\t', '\n', '\r':
			r.at++
		default:
			return
		}
	}
}

// take passes over b when it is next.
func (r *reader) take(b byte) bool {
	if r.at < len(r.data) && r.data[r.at] == b {
		r.at++
		return true
	}
	return false
}

// member reads a name, a colon and a string or an array of strings.
func (r *reader) member() (Member, bool) {
	name, ok := r.string()
	if !ok {
		return Member{}, false
	}
	r.space()
	if !r.take(':') {
		return Member{}, false
	}
	r.space()
	m := Member{Name: name}
	if !r.take('[') {
		m.String, ok = r.string()
		return m, ok
	}
	m.IsArray, m.Strings = true, []string{}
	r.space()
	if r.take(']') {
		return m, true
	}
	for {
		s, ok := r.string()
		if !ok {
			return Member{}, false
		}
		m.Strings = append(m.Strings, s)
		r.space()
		if r.take(']') {
			return m, true
		}
		if !r.take(',') {
			return Member{}, false
		}
		r.space()
	}
}

// string reads a JSON string. Its bytes are copied once, unescaped when
// they hold escapes.
func (r *reader) string() (string, bool) {
	if !r.take('"') {
		return "", false
	}
	start := r.at
	for r.at < len(r.data) {
		switch b := r.data[r.at]; {
		case b == '"':
			raw := r.data[start:r.at]
			r.at++
			if !utf8.Valid(raw) {
				return "", false // encoding/json writes U+FFFD for each bad byte
			}
			return string(raw), true
		case b == '\\':
			return r.escaped(start)
		case b < ' ':
			return "", false
		default:
			r.at++
		}
	}
	return "", false
}

// escaped reads the rest of a string from its first backslash, at r.at;
// the string started at start.
func (r *reader) escaped(start int) (string, bool) {
	out := append(make([]byte, 0, r.at-start+16), r.data[start:r.at]...)
	for r.at < len(r.data) {
		b := r.data[r.at]
		switch {
		case b == '"':
			r.at++
			if !utf8.Valid(out) {
				return "", false
			}
			return string(out), true
		case b < ' ':
			return "", false
		case b != '\\':
			out = append(out, b)
			r.at++
			continue
		}
		if r.at+1 >= len(r.data) {
			return "", false
		}
		r.at += 2
		switch e := r.data[r.at-1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			c, ok := r.hex4()
			if !ok || utf16Surrogate(c) {
				return "", false // a surrogate pairs with the next escape, or stands for U+FFFD
			}
			out = utf8.AppendRune(out, c)
		default:
			return "", false
		}
	}
	return "", false
}

// hex4 reads the four hex digits of a \u escape.
func (r *reader) hex4() (rune, bool) {
	if r.at+4 > len(r.data) {
		return 0, false
	}
	var c rune
	for _, b := range r.data[r.at : r.at+4] {
		switch {
		case '0' <= b && b <= '9':
			b -= '0'
		case 'a' <= b && b <= 'f':
			b = b - 'a' + 10
		case 'A' <= b && b <= 'F':
			b = b - 'A' + 10
		default:
			return 0, false
		}
		c = c<<4 | rune(b)
	}
	r.at += 4
	return c, true
}

func utf16Surrogate(c rune) bool { return 0xd800 <= c && c < 0xe000 }
