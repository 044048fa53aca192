package signals

import "slices"

// span is a run of tokens, [from, to).
type span struct{ from, to int }

// index is what the patterns need of one message: its tokens, and where
// each list and class occurs in them.
type index struct {
	toks []token
	at   []int    // the lists with a phrase starting at token i: ids[at[i]:at[i+1]]
	ids  []int32  // (see at)
	occ  [][]span // every occurrence of each list and class, by start
}

// index finds every phrase of every list in toks, walking the trie from
// each token, never across punctuation that ends a phrase; a phrase has at
// most maxPhrase words, so each walk is short. Then it finds the numbers
// of each class. The index lives in ws until its next use.
func (d *Detector) index(ws *workspace, toks []token) *index {
	x := &ws.index
	x.toks = toks
	x.at = slices.Grow(x.at[:0], len(toks)+1)[:len(toks)+1]
	x.ids = x.ids[:0]
	x.occ = slices.Grow(x.occ[:0], int(d.ids))[:d.ids]
	for i := range x.occ {
		x.occ[i] = x.occ[i][:0]
	}
	var curBuf, nextBuf [2 * maxPhrase]*node // the states of a walk, before and after a token
	for i := range toks {
		x.at[i] = len(x.ids)
		if !d.keys.mayHaveAny(toks[i].forms) {
			continue // no phrase starts with this word, as with most words
		}
		cur, nxt := append(curBuf[:0], d.root), nextBuf[:0]
		for j := i; j < len(toks) && len(cur) > 0 && (j == i || !toks[j].brk); j++ {
			nxt = nxt[:0]
			for _, s := range cur {
				for _, f := range toks[j].forms {
					if !d.keys.mayHave(f) {
						continue
					}
					if c := s.next[f]; c != nil && !slices.Contains(nxt, c) {
						nxt = append(nxt, c)
					}
				}
			}
			for _, c := range nxt {
				for _, id := range c.ends {
					x.ids = append(x.ids, id)
					x.occ[id] = append(x.occ[id], span{i, j + 1})
				}
			}
			cur, nxt = nxt, cur
		}
	}
	x.at[len(toks)] = len(x.ids)
	for i := range toks {
		if !toks[i].number {
			continue
		}
		for _, c := range d.classes {
			if c.class.matches(&toks[i]) {
				x.occ[c.id] = append(x.occ[c.id], span{i, i + 1})
			}
		}
	}
	return x
}

// startsAt reports whether e occurs from token i.
func (x *index) startsAt(e element, i int) bool {
	switch {
	case i >= len(x.toks):
		return false
	case e.class != nil:
		return e.class.matches(&x.toks[i])
	}
	return slices.Contains(x.ids[x.at[i]:x.at[i+1]], e.id)
}

// find returns the spans where p matches, valid until the next find with
// ws. It reads the occurrences of its
// steps in order of start, once each, and keeps for each step the match of
// the steps up to it that ends last (it leaves the next step the most
// room), starting last among those (the shortest), and the few that end
// ahead of the occurrence read. So it runs in time linear in the
// occurrences, with no backtracking.
func (p *pattern) find(ws *workspace) []span {
	x := &ws.index
	n := len(p.steps)
	for _, st := range p.steps {
		if len(x.occ[st.id]) == 0 {
			return nil
		}
	}
	var (
		out     = ws.found[:0]
		read    [maxSteps]int // occurrences of each step read so far
		best    [maxSteps]span
		pending = &ws.pending
	)
	for k := range n {
		best[k] = span{-1, -1}
		pending[k] = pending[k][:0]
	}
	for {
		k := -1
		for j, st := range p.steps {
			if read[j] < len(x.occ[st.id]) && (k < 0 || x.occ[st.id][read[j]].from < x.occ[p.steps[k].id][read[k]].from) {
				k = j
			}
		}
		if k < 0 {
			ws.found = out
			return out
		}
		st := &p.steps[k]
		s := x.occ[st.id][read[k]]
		read[k]++
		for j := range n - 1 {
			pending[j] = promote(pending[j], &best[j], s.from)
		}
		from := s.from
		if k > 0 {
			b := best[k-1]
			if b.to < 0 || s.from-b.to > st.gap {
				continue
			}
			from = b.from
		}
		if st.blockedAt(x, s.to) {
			continue
		}
		if k == n-1 {
			out = append(out, span{from, s.to})
		} else {
			pending[k] = append(pending[k], span{from, s.to})
		}
	}
}

// promote moves the matches of pending that end by token i into best when
// they end later, or as late and start later, and returns those left.
func promote(pending []span, best *span, i int) []span {
	kept := pending[:0]
	for _, c := range pending {
		switch {
		case c.to > i:
			kept = append(kept, c)
		case c.to > best.to || c.to == best.to && c.from > best.from:
			*best = c
		}
	}
	return kept
}

// blockedAt reports whether one of the ! terms after s occurs from token i.
func (s *step) blockedAt(x *index, i int) bool {
	for _, e := range s.notNext {
		if x.startsAt(e, i) {
			return true
		}
	}
	return false
}

// window says whether an unless pattern occurs near a span of tokens. It
// is built in time linear in the message, and answers in constant time.
type window struct {
	// lastEnd[i] is the last end of an occurrence starting before token
	// i, or -1.
	lastEnd []int
	// firstStart[i] is the first start of an occurrence ending after token
	// i, or past the message.
	firstStart []int
}

// build makes w the window of found in a message of n tokens, reusing its
// arrays.
func (w *window) build(found []span, n int) {
	w.lastEnd = slices.Grow(w.lastEnd[:0], n+1)[:n+1]
	w.firstStart = slices.Grow(w.firstStart[:0], n+1)[:n+1]
	// First the last end of the occurrences starting at each token i,
	// kept at i+1, and the first start of those ending at each token i,
	// kept at i-1; then the running maximum and minimum over them.
	for i := range w.lastEnd {
		w.lastEnd[i], w.firstStart[i] = -1, n+1
	}
	for _, s := range found {
		w.lastEnd[s.from+1] = max(w.lastEnd[s.from+1], s.to)
		w.firstStart[s.to-1] = min(w.firstStart[s.to-1], s.from)
	}
	for i := 1; i <= n; i++ {
		w.lastEnd[i] = max(w.lastEnd[i], w.lastEnd[i-1])
	}
	for i := n - 1; i >= 0; i-- {
		w.firstStart[i] = min(w.firstStart[i], w.firstStart[i+1])
	}
}

// near reports whether the pattern occurs on the given side of s, at most
// within tokens away, or inside s.
func (w window) near(sd side, within int, s span) bool {
	last, first := w.lastEnd[s.to], w.firstStart[s.from]
	isBefore := last >= 0 && last >= s.from-within
	isAfter := first < len(w.firstStart) && first <= s.to+within
	switch sd {
	case before:
		return isBefore
	case after:
		return isAfter
	}
	return isBefore || isAfter
}
