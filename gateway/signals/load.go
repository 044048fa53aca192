package signals

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/blibli/safelink/gateway/linefile"
	"github.com/blibli/safelink/gateway/verdict"
)

// Detector finds scam signals in chat messages with the security team's
// patterns. It is immutable and safe for concurrent use.
type Detector struct {
	vocab   vocabulary
	root    *node
	keys    wordFilter // every word of the trie, to pass over the others quickly
	ids     int32      // lists and classes, each with an id below ids
	classes []classID  // the classes the patterns name
	groups  []group
	unless  []pattern // the patterns of the unless lines, each once
	files   []FileStats
}

// classID is a class with the id its occurrences are kept under.
type classID struct {
	id    int32
	class *class
}

// FileStats counts what one pattern file holds.
type FileStats struct {
	File    string
	Lists   int // list names defined
	Matches int // match lines
	Unless  int // unless lines
}

// Files counts what each pattern file holds, in file name order.
func (d *Detector) Files() []FileStats { return slices.Clone(d.files) }

// group is a kind line with its match and unless lines.
type group struct {
	kind    verdict.SignalKind
	matches []pattern
	unless  []unless
}

// pattern is a match or unless line ready to run: a chain of steps.
type pattern struct {
	src   Source
	steps []step
}

// unless is an unless line: a pattern, shared by the lines that spell it
// alike, and how near a match it drops it.
type unless struct {
	src     Source
	pattern int // in Detector.unless
	side    side
	within  int
}

// step is one word, list or class of a pattern with the ! terms after it.
type step struct {
	element
	gap     int       // tokens allowed between the previous step and this one
	notNext []element // none of these starts right after this step
}

// element is a list (a word is a list of one) or a class.
type element struct {
	id    int32
	class *class // nil for a list
}

// node is a node of the trie of every phrase of every list, a word an edge.
type node struct {
	next map[string]*node
	ends []int32 // the lists a phrase ending here belongs to
}

// insert puts the phrase words of list in the trie.
func (d *Detector) insert(words []string, list int32) {
	for _, w := range words {
		d.keys.add(w)
	}
	d.root.insert(words, list)
}

func (n *node) insert(words []string, list int32) {
	for _, w := range words {
		if n.next == nil {
			n.next = map[string]*node{}
		}
		child := n.next[w]
		if child == nil {
			child = &node{}
			n.next[w] = child
		}
		n = child
	}
	if !slices.Contains(n.ends, list) {
		n.ends = append(n.ends, list)
	}
}

// Load reads every pattern file (*.txt) at the top of fsys and builds a
// Detector. It returns linefile.Errors naming every problem, and no
// Detector when anything is wrong: half the patterns are never used.
func Load(fsys fs.FS) (*Detector, error) {
	names, err := fs.Glob(fsys, "*.txt")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("no pattern files (*.txt)")
	}
	var (
		errs  linefile.Errors
		files []*fileSyntax
	)
	for _, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			errs = append(errs, &linefile.Error{File: name, Msg: fmt.Sprintf("cannot open: %v", err)})
			continue
		}
		syn, fileErrs := parseFile(name, f)
		f.Close()
		errs = append(errs, fileErrs...)
		files = append(files, syn)
	}
	d, compileErrs := compile(names, files)
	errs = append(errs, compileErrs...)
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b *linefile.Error) int {
			return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
		})
		return nil, errs
	}
	return d, nil
}

// compiler turns parsed files into a Detector: it numbers the lists (a
// word of a pattern is a list of its own), puts every phrase in the trie
// and checks that every list named is defined and every list defined used.
type compiler struct {
	d       *Detector
	ids     map[string]int32 // list name, "=" and a word, or a class → id
	used    map[string]bool
	lists   map[string]*listSyntax
	unless  map[string]int     // an unless pattern as written → its index
	classes map[string]classID // a class as written → it
	errs    linefile.Errors
}

func compile(names []string, files []*fileSyntax) (*Detector, linefile.Errors) {
	c := &compiler{
		d:       &Detector{root: &node{}, vocab: vocabulary{words: map[string]bool{}}},
		ids:     map[string]int32{},
		used:    map[string]bool{},
		lists:   map[string]*listSyntax{},
		unless:  map[string]int{},
		classes: map[string]classID{},
	}
	for i, f := range files {
		stats := FileStats{File: names[i], Lists: len(f.lists)}
		for _, l := range f.lists {
			c.defineList(l)
		}
		for _, g := range f.groups {
			stats.Matches += len(g.matches)
			stats.Unless += len(g.unless)
		}
		c.d.files = append(c.d.files, stats)
	}
	for _, f := range files {
		for _, g := range f.groups {
			c.d.groups = append(c.d.groups, c.group(g))
		}
	}
	for _, f := range files {
		for _, l := range f.lists {
			if c.lists[l.name] == l && !c.used[l.name] {
				c.errs = append(c.errs, &linefile.Error{File: l.src.File, Line: l.src.Line, Msg: fmt.Sprintf("list %s is never used", l.name)})
			}
		}
	}
	return c.d, c.errs
}

func (c *compiler) defineList(l *listSyntax) {
	if first, dup := c.lists[l.name]; dup {
		c.errs = append(c.errs, &linefile.Error{File: l.src.File, Line: l.src.Line,
			Msg: fmt.Sprintf("list %s is already defined in %s; a list lives in one file", l.name, first.src)})
		return
	}
	c.lists[l.name] = l
	id := c.id(l.name)
	for _, p := range l.phrases {
		c.d.insert(p, id)
		c.addWords(p...)
	}
}

func (c *compiler) id(key string) int32 {
	id, ok := c.ids[key]
	if !ok {
		id = c.d.ids
		c.d.ids++
		c.ids[key] = id
	}
	return id
}

func (c *compiler) addWords(words ...string) {
	for _, w := range words {
		if w[0] == '.' {
			w = w[1:]
		}
		c.d.vocab.words[w] = true
		c.d.vocab.longest = max(c.d.vocab.longest, len(w))
	}
}

func (c *compiler) group(g *groupSyntax) group {
	out := group{kind: g.kind}
	for _, m := range g.matches {
		out.matches = append(out.matches, c.pattern(m))
	}
	for _, u := range g.unless {
		key := patternKey(u.terms)
		i, ok := c.unless[key]
		if !ok {
			i = len(c.d.unless)
			c.unless[key] = i
			c.d.unless = append(c.d.unless, c.pattern(u.patternSyntax))
		}
		out.unless = append(out.unless, unless{src: u.src, pattern: i, side: u.side, within: u.within})
	}
	return out
}

// patternKey spells terms one way, so that unless lines that look for the
// same words share one pattern.
func patternKey(terms []term) string {
	var b strings.Builder
	for _, t := range terms {
		fmt.Fprintf(&b, "%d %t %q %q %v;", t.gap, t.not, t.word, t.list, t.class)
	}
	return b.String()
}

func (c *compiler) pattern(p patternSyntax) pattern {
	out := pattern{src: p.src}
	for _, t := range p.terms {
		e := c.element(p.src, t)
		if t.not {
			last := &out.steps[len(out.steps)-1]
			last.notNext = append(last.notNext, e)
			continue
		}
		out.steps = append(out.steps, step{element: e, gap: t.gap})
	}
	return out
}

func (c *compiler) element(src Source, t term) element {
	switch {
	case t.word != "":
		id := c.id("=" + t.word)
		c.d.insert([]string{t.word}, id)
		c.addWords(t.word)
		return element{id: id}
	case t.list != "":
		if _, ok := c.lists[t.list]; !ok {
			c.errs = append(c.errs, &linefile.Error{File: src.File, Line: src.Line, Msg: fmt.Sprintf("unknown list {%s}", t.list)})
		}
		c.used[t.list] = true
		return element{id: c.id(t.list)}
	}
	key := fmt.Sprintf("<%+v>", t.class)
	cl, ok := c.classes[key]
	if !ok {
		cl = classID{id: c.id(key), class: &t.class}
		c.classes[key] = cl
		c.d.classes = append(c.d.classes, cl)
	}
	return element{id: cl.id, class: cl.class}
}
