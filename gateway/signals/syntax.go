package signals

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/blibli/safelink/gateway/linefile"
	"github.com/blibli/safelink/gateway/verdict"
)

// Bounds of the pattern files. They keep every pattern small, so that
// matching a message stays linear in its length with a small factor.
const (
	maxLineLength = 4096
	maxPhrase     = 6  // words in a phrase
	maxSteps      = 8  // words, lists and classes in a pattern, ! ones aside
	maxGap        = 10 // ~N between two of them
	maxWithin     = 20 // distance of an unless
	maxDigits     = 32 // in <digits:N-M>
)

// Source is a line of a pattern file: the match that raised a signal, or
// the unless that dropped it.
type Source struct {
	File string
	Line int
	Text string // the line as written, without its comment
}

// String returns "file:line".
func (s Source) String() string { return fmt.Sprintf("%s:%d", s.File, s.Line) }

// term is one element of a pattern as written.
type term struct {
	gap   int    // ~N before it: tokens allowed between the previous element and it
	not   bool   // !x: x does not start right after the previous element
	word  string // a word, or
	list  string // a list, {name}, or
	class class  // a class, <digits:N-M> or <phone>
}

// class is a kind of token a pattern names by its shape.
type class struct {
	phone    bool // a mobile number: 08…, 628…, +62 8…
	min, max int  // a number of min to max digits, when max > 0
}

func (c class) matches(t *token) bool {
	switch {
	case !t.number:
		return false
	case c.phone:
		return isMobileNumber(t.forms[0])
	}
	return c.min <= len(t.forms[0]) && len(t.forms[0]) <= c.max
}

// isMobileNumber reports whether digits is an Indonesian mobile number:
// 08 and 8 to 11 more digits, or the same after 62 instead of 0. Numbers
// such as 0804 1 871 871 (Blibli's customer care) are not mobile numbers.
func isMobileNumber(digits string) bool {
	rest, ok := strings.CutPrefix(digits, "08")
	if !ok {
		rest, ok = strings.CutPrefix(digits, "628")
	}
	return ok && len(rest) >= 8 && len(rest) <= 11 && rest[0] != '0'
}

// side is where an unless looks for its pattern around a match.
type side string

const (
	before side = "before" // before the match, or inside it
	after  side = "after"  // after the match, or inside it
	around side = "around" // either
)

type patternSyntax struct {
	src   Source
	terms []term
}

type unlessSyntax struct {
	patternSyntax
	side   side
	within int
}

// groupSyntax is a kind line and the match and unless lines below it.
type groupSyntax struct {
	kind    verdict.SignalKind
	src     Source
	matches []patternSyntax
	unless  []unlessSyntax
}

type listSyntax struct {
	name    string
	src     Source     // its first line
	phrases [][]string // each a sequence of words
}

// fileSyntax is one pattern file as written.
type fileSyntax struct {
	lists  []*listSyntax
	groups []*groupSyntax
}

// parseFile reads one pattern file. It returns every problem, each naming
// its file and line.
func parseFile(file string, r io.Reader) (*fileSyntax, linefile.Errors) {
	f := &fileSyntax{}
	lists := map[string]*listSyntax{}
	phraseLines := map[string]int{} // "list\x00phrase" → line
	errs := linefile.Scan(file, r, maxLineLength, func(line int, text string) error {
		src := Source{File: file, Line: line, Text: strings.TrimSpace(text)}
		directive, rest, _ := strings.Cut(src.Text, " ")
		rest = strings.TrimSpace(rest)
		var group *groupSyntax
		if n := len(f.groups); n > 0 {
			group = f.groups[n-1]
		}
		switch directive {
		case "kind":
			kind, err := verdict.ParseSignalKind(rest)
			if err != nil {
				return err
			}
			f.groups = append(f.groups, &groupSyntax{kind: kind, src: src})
		case "list":
			name, phrases, err := parseListLine(rest)
			if err != nil {
				return err
			}
			l := lists[name]
			if l == nil {
				l = &listSyntax{name: name, src: src}
				lists[name] = l
				f.lists = append(f.lists, l)
			}
			for _, p := range phrases {
				key := name + "\x00" + strings.Join(p, " ")
				if first, dup := phraseLines[key]; dup {
					return fmt.Errorf("%q is already in list %s on line %d", strings.Join(p, " "), name, first)
				}
				phraseLines[key] = line
				l.phrases = append(l.phrases, p)
			}
		case "match", "unless":
			if group == nil {
				return fmt.Errorf("%s before any kind line: %s lines belong to the kind line above them", directive, directive)
			}
			if directive == "unless" {
				u, err := parseUnless(rest)
				if err == nil {
					u.src = src
					group.unless = append(group.unless, u)
				}
				return err
			}
			terms, err := parsePattern(rest)
			if err == nil {
				group.matches = append(group.matches, patternSyntax{src: src, terms: terms})
			}
			return err
		default:
			return fmt.Errorf("unknown line %q: a line starts with kind, list, match or unless", directive)
		}
		return nil
	})
	for _, g := range f.groups {
		if len(g.matches) == 0 {
			errs = append(errs, &linefile.Error{File: file, Line: g.src.Line, Msg: fmt.Sprintf("kind %s has no match line below it", g.kind)})
		}
	}
	return f, errs
}

var listName = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// parseListLine parses what follows "list": NAME: phrase, phrase, …
func parseListLine(s string) (string, [][]string, error) {
	name, rest, ok := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return "", nil, errors.New("a list line is list NAME: phrase, phrase, …")
	}
	if !listName.MatchString(name) {
		return "", nil, fmt.Errorf("list name %q: use lowercase letters, digits and dashes, starting with a letter", name)
	}
	var phrases [][]string
	for i, p := range strings.Split(rest, ",") {
		words := strings.Fields(p)
		if len(words) == 0 {
			return "", nil, fmt.Errorf("phrase %d of list %s is empty (two commas, or a comma at an end)", i+1, name)
		}
		if len(words) > maxPhrase {
			return "", nil, fmt.Errorf("phrase %q has %d words; a phrase has at most %d", strings.TrimSpace(p), len(words), maxPhrase)
		}
		for _, w := range words {
			if err := checkWord(w); err != nil {
				return "", nil, err
			}
		}
		phrases = append(phrases, words)
	}
	return name, phrases, nil
}

// checkWord accepts a word as messages are read: lowercase letters or
// digits, with a dot in front for a file extension.
func checkWord(w string) error {
	bare := strings.TrimPrefix(w, ".")
	letters, digits, other := 0, 0, 0
	for _, r := range bare {
		switch {
		case 'a' <= r && r <= 'z':
			letters++
		case isDigit(r):
			digits++
		default:
			other++
		}
	}
	switch {
	case bare == "":
		return fmt.Errorf("%q is not a word", w)
	case other > 0 && strings.ToLower(bare) != bare:
		return fmt.Errorf("%q: write words in lowercase (%q); messages are compared in lowercase", w, strings.ToLower(w))
	case other > 0:
		return fmt.Errorf("%q: a word is letters a-z or digits 0-9; write its parts apart with spaces (%q), as messages are read", w, strings.Join(strings.FieldsFunc(bare, func(r rune) bool { return !isWordRune(r) }), " "))
	case letters > 0 && digits > 0:
		return fmt.Errorf("%q mixes letters and digits: messages read digits in a word as letters (0tp is otp) or as a number of their own (budi123 is budi 123)", w)
	case bare == "nya":
		return errors.New(`"nya" never stands alone: messages join it to the word before it ("otp nya" reads as otpnya, which otp matches too)`)
	}
	return nil
}

// parsePattern parses the words, {lists}, <classes>, ~N gaps and ! terms of
// a match or unless line.
func parsePattern(s string) ([]term, error) {
	var (
		terms    []term
		gap      = -1 // the ~N waiting for its term
		positive int
	)
	for _, f := range strings.Fields(s) {
		if n, ok := strings.CutPrefix(f, "~"); ok {
			g, err := strconv.Atoi(n)
			switch {
			case err != nil || g < 1 || g > maxGap:
				return nil, fmt.Errorf("%q: a gap is ~N with N from 1 to %d", f, maxGap)
			case positive == 0:
				return nil, fmt.Errorf("%q: a pattern cannot start with a gap", f)
			case gap >= 0:
				return nil, fmt.Errorf("%q: two gaps in a row; write one", f)
			}
			gap = g
			continue
		}
		t := term{gap: max(gap, 0)}
		if rest, ok := strings.CutPrefix(f, "!"); ok {
			switch {
			case positive == 0:
				return nil, fmt.Errorf("%q: a pattern cannot start with !; a ! checks what follows the word before it", f)
			case gap >= 0:
				return nil, fmt.Errorf("%q: a ! checks the word right after the one before it, so it cannot follow a gap", f)
			}
			t.not, f = true, rest
		}
		if err := parseTerm(&t, f); err != nil {
			return nil, err
		}
		if !t.not {
			positive++
			gap = -1
		}
		terms = append(terms, t)
	}
	switch {
	case positive == 0:
		return nil, errors.New("the pattern is empty")
	case gap >= 0:
		return nil, errors.New("a pattern cannot end with a gap")
	case positive > maxSteps:
		return nil, fmt.Errorf("the pattern has %d words, lists and classes; at most %d", positive, maxSteps)
	}
	return terms, nil
}

var digitsClass = regexp.MustCompile(`^<digits(?::([0-9]+)(?:-([0-9]+))?)?>$`)

// parseTerm reads one word, {list} or <class> into t.
func parseTerm(t *term, f string) error {
	switch {
	case strings.HasPrefix(f, "{"):
		name, ok := strings.CutSuffix(f[1:], "}")
		if !ok || !listName.MatchString(name) {
			return fmt.Errorf("%q: a list is written {name}, the name in lowercase letters, digits and dashes", f)
		}
		t.list = name
	case f == "<phone>":
		t.class = class{phone: true}
	case strings.HasPrefix(f, "<"):
		m := digitsClass.FindStringSubmatch(f)
		if m == nil {
			return fmt.Errorf("%q: the classes are <digits>, <digits:N>, <digits:N-M> and <phone>", f)
		}
		lo, hi := 1, maxDigits
		if m[1] != "" {
			lo, _ = strconv.Atoi(m[1])
			hi = lo
		}
		if m[2] != "" {
			hi, _ = strconv.Atoi(m[2])
		}
		if lo < 1 || hi < lo || hi > maxDigits {
			return fmt.Errorf("%q: the digits must run from 1 to %d, the smaller first", f, maxDigits)
		}
		t.class = class{min: lo, max: hi}
	default:
		if err := checkWord(f); err != nil {
			return err
		}
		t.word = f
	}
	return nil
}

// parseUnless parses what follows "unless": a pattern, then before, after
// or around, then the distance in words.
func parseUnless(s string) (unlessSyntax, error) {
	fields := strings.Fields(s)
	if len(fields) < 3 {
		return unlessSyntax{}, errors.New("an unless line is unless PATTERN before|after|around N")
	}
	sd, n := side(fields[len(fields)-2]), fields[len(fields)-1]
	if sd != before && sd != after && sd != around {
		return unlessSyntax{}, fmt.Errorf("%q: an unless ends with before N, after N or around N", strings.Join(fields[len(fields)-2:], " "))
	}
	within, err := strconv.Atoi(n)
	if err != nil || within < 0 || within > maxWithin {
		return unlessSyntax{}, fmt.Errorf("%q: the distance of an unless is a number of words from 0 to %d", n, maxWithin)
	}
	terms, err := parsePattern(strings.Join(fields[:len(fields)-2], " "))
	if err != nil {
		return unlessSyntax{}, err
	}
	return unlessSyntax{patternSyntax: patternSyntax{terms: terms}, side: sd, within: within}, nil
}
